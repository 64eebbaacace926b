"""Supervision's settings with their defaults (``disclosure_pages.conf.AppSettings``).

They are the starting values of a county's rules (``SupervisionRules``), which the county
office then changes in the admin; a county without a rules row uses them as they are.
"""

from disclosure_pages.conf import AppSettings

app_settings = AppSettings(
    # Months between re-confirmations of a standing entry's item (固定公开: kept current).
    SUNSHINE_STANDING_INTERVAL_MONTHS=6,
    # Days after a month, quarter or year ends within which its periodic item is still on time.
    SUNSHINE_PERIODIC_GRACE_DAYS=10,
    # Days from one stage of a matter to the next when its catalogue entry gives none (阶段公开).
    SUNSHINE_STAGE_DAYS=30,
    # Chases (催办) of one obligation after which it is escalated to the unit's township.
    SUNSHINE_ESCALATE_AFTER_CHASES=2,
    # Days a unit has to answer a supervisor's inspection note (督查意见).
    SUNSHINE_INSPECTION_ANSWER_DAYS=15,
)
