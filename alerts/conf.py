"""Alerts' settings with their defaults (``disclosure_pages.conf.AppSettings``)."""

from disclosure_pages.conf import AppSettings

app_settings = AppSettings(
    # How alerts and confirmations reach a subscriber, by kind of address: ``{CLASS, OPTIONS}``
    # each, a sender of participation's interface (participation/senders.py). E-mail goes
    # through Django's mail settings (SMTP in production); mobiles need an SMS gateway.
    SUNSHINE_ALERTS_SENDERS={
        "email": {"CLASS": "participation.senders.EmailSender", "OPTIONS": {}},
        "mobile": {"CLASS": "participation.senders.ConsoleSender", "OPTIONS": {}},
    },
    # Days a subscriber has to confirm; unconfirmed subscribers and their addresses are deleted after them.
    SUNSHINE_ALERTS_CONFIRM_DAYS=7,
    # Days an address is kept after its last subscription ended (then it and its sent records are deleted).
    SUNSHINE_ALERTS_KEEP_DAYS_AFTER_UNSUBSCRIBE=28,
    # Minutes a mobile's one-time confirmation code is valid, and wrong tries before it is spent.
    SUNSHINE_ALERTS_CODE_MINUTES=10,
    SUNSHINE_ALERTS_CODE_ATTEMPTS=5,
    # Confirmation messages one address may be sent in an hour (a form must not flood a stranger's inbox).
    SUNSHINE_ALERTS_CONFIRMATIONS_PER_CONTACT_HOUR=3,
    # Messages given up in a row (a bounce at once) after which an address is suspended (no more messages until it subscribes again).
    SUNSHINE_ALERTS_SUSPEND_AFTER_FAILURES=5,
    # Minutes to wait before trying again a message that failed for a while (4xx, no connection),
    # after the first, second, … failed try (the last repeats); tries in all before it is given up.
    SUNSHINE_ALERTS_RETRY_MINUTES=[1, 5, 30, 120],
    SUNSHINE_ALERTS_MAX_ATTEMPTS=5,
    # Minutes after which a delivery claimed by a run that never finished (it died) is pending again.
    SUNSHINE_ALERTS_STUCK_MINUTES=15,
    # Messages one e-mail address is sent in an hour, one mobile in a day (SMS gateways limit
    # messages per number and day); beyond them alerts wait (SMS: they go into the next daily digest).
    SUNSHINE_ALERTS_EMAILS_PER_ADDRESS_HOUR=20,
    SUNSHINE_ALERTS_SMS_PER_NUMBER_DAY=5,
    # Officers' reminders (待办提醒) for an admin user who has not chosen in their account settings:
    # "daily" (a summary each morning of what waits for them, when something does) or "none".
    SUNSHINE_OFFICER_REMINDERS_DEFAULT="daily",
    # The delivery check (``manage.py check_alert_delivery``, every 15 minutes): the address a test
    # alert is sent to through the e-mail sender (empty: no check), the mailbox that address
    # delivers to, read back as ``{CLASS, OPTIONS}`` (``alerts.checks.ImapMailbox``: OPTIONS
    # host, port, username, password, ssl, folder), and the minutes a check message has to arrive.
    SUNSHINE_ALERTS_CHECK_ADDRESS="",
    SUNSHINE_ALERTS_CHECK_MAILBOX={"CLASS": "alerts.checks.ImapMailbox", "OPTIONS": {}},
    SUNSHINE_ALERTS_CHECK_MINUTES=15,
)
