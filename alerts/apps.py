from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Subscriptions and alerts (信息订阅提醒): new public disclosures by e-mail and SMS, at once or in digests."""

    name = "alerts"
    verbose_name = _("订阅提醒")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search.updates import index_updated

        from . import answers, fanout, search_matching

        # The item change feed: publications are kept in alerts' outbox in the writer's
        # transaction, and fanned out to subscribers by a task once committed.
        fanout.outbox.connect()
        # Answers to opinions (when participation is installed): kept in the handling step's transaction.
        answers.connect()
        # Saved searches: publications kept in an outbox of their own, matched once the search index has them.
        search_matching.outbox.connect()
        index_updated.connect(search_matching.index_updated, dispatch_uid="alerts_saved_searches")
