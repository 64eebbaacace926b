"""Participation's settings with their defaults (``disclosure_pages.conf.AppSettings``)."""

from disclosure_pages.conf import AppSettings

app_settings = AppSettings(
    # How one-time codes reach a contact, by kind of contact: ``{CLASS, OPTIONS}`` each
    # (participation/senders.py). Development prints them; production sets an SMTP e-mail
    # sender (Django's mail settings) and an SMS gateway.
    SUNSHINE_PARTICIPATION_SENDERS={
        "email": {"CLASS": "participation.senders.EmailSender", "OPTIONS": {}},
        "mobile": {"CLASS": "participation.senders.ConsoleSender", "OPTIONS": {}},
    },
    # Working days a handling unit has to answer an opinion (the county may set others when assigning).
    SUNSHINE_OPINION_DEADLINE_WORKING_DAYS=10,
    # Working days before the deadline when the assignee is reminded (and again once it has passed).
    SUNSHINE_OPINION_REMIND_WORKING_DAYS_BEFORE=2,
    # Characters an opinion may have (the form refuses longer text before saving anything).
    SUNSHINE_OPINION_MAX_LENGTH=2000,
    # Words that send an opinion to moderation with a flag (it is never refused for them).
    SUNSHINE_OPINION_FLAG_WORDS=["法轮", "代开发票", "办证", "赌博", "博彩", "枪支"],
    # One-time codes: minutes a code is valid, wrong tries before it is spent.
    SUNSHINE_OPINION_CODE_MINUTES=10,
    SUNSHINE_OPINION_CODE_ATTEMPTS=5,
    # Rate limits per hour: codes sent to one contact, codes asked for and opinions sent from one address.
    SUNSHINE_OPINION_CODES_PER_CONTACT_HOUR=5,
    SUNSHINE_OPINION_CODES_PER_ADDRESS_HOUR=20,
    SUNSHINE_OPINION_SUBMISSIONS_PER_ADDRESS_HOUR=20,
    # Wrong 查询码 one address may enter in an hour on the tracking page before it has to wait.
    SUNSHINE_OPINION_TRACK_TRIES_PER_ADDRESS_HOUR=20,
    # The opinion API's writes and look-ups by tracking code (codes, submissions, tracking,
    # rating, sending back), per client a minute: stricter than the API's general rate.
    SUNSHINE_OPINION_API_RATE="10/min",
    # Days after closure when a resident's name and contact are erased (erase_opinion_contacts).
    SUNSHINE_OPINION_CONTACT_RETENTION_DAYS=180,
)
