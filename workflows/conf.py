"""The review workflow's settings with their defaults (``disclosure_pages.conf.AppSettings``)."""

from disclosure_pages.conf import AppSettings

app_settings = AppSettings(
    # Four-eyes (四眼原则): nobody approves their own submission. True lets superusers do so,
    # and each such approval is logged as "sunshine.workflow.self_approval".
    SUNSHINE_ALLOW_SUPERUSER_SELF_APPROVAL=False,
    # Catalogue entry codes whose items always go to the county tier, besides important items
    # and referrals: 干部考核评价和选拔任用 (C06), 违纪违法问题查处和通报 (D04).
    SUNSHINE_COUNTY_REVIEW_ENTRY_CODES=["C06", "D04"],
    # Scopes whose items always go to the county tier, e.g. ["named"] (see rules.py).
    SUNSHINE_COUNTY_REVIEW_SCOPES=[],
    # Days an item may wait at a review tier before dashboards mark it overdue.
    SUNSHINE_REVIEW_OVERDUE_DAYS=3,
)
