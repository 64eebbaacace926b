"""Supervision follows the domain through its change feed: an item's change re-reckons the
obligations of its unit and entry (``obligations.py``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

# -- the public 绩效评估 page's cached figures (performance.py) --------------------------------


@receiver(post_save, sender="supervision.Obligation", dispatch_uid="supervision-performance-obligation-saved")
@receiver(post_delete, sender="supervision.Obligation", dispatch_uid="supervision-performance-obligation-deleted")
@receiver(post_save, sender="supervision.RoundResult", dispatch_uid="supervision-performance-result-saved")
@receiver(post_delete, sender="supervision.RoundResult", dispatch_uid="supervision-performance-result-deleted")
@receiver(post_save, sender="supervision.EvaluationRound", dispatch_uid="supervision-performance-round-saved")
@receiver(post_delete, sender="supervision.EvaluationRound", dispatch_uid="supervision-performance-round-deleted")
@receiver(post_save, sender="supervision.Finding", dispatch_uid="supervision-performance-finding-saved")
@receiver(post_delete, sender="supervision.Finding", dispatch_uid="supervision-performance-finding-deleted")
def move_performance_version_on(sender, **kwargs):
    """The public page's cached figures are of the data before this change."""
    from .performance import move_on

    move_on()
