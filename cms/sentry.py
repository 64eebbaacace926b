"""Optional error reporting to Sentry (or a compatible server, e.g. a self-hosted GlitchTip).

Off unless ``SENTRY_DSN`` is set; then sentry-sdk, which the project does not require, must be
installed (``pip install sentry-sdk``). Unset, nothing of it is imported.
"""

from django.core.exceptions import ImproperlyConfigured


def init_sentry(dsn, environment=None):
    """Start reporting errors to ``dsn``; returns whether it did."""
    if not dsn:
        return False
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        raise ImproperlyConfigured("SENTRY_DSN is set but sentry-sdk is not installed (pip install sentry-sdk).") from None
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        integrations=[DjangoIntegration()],
        # No user names, addresses or cookies leave the county's servers; no performance tracing.
        send_default_pii=False,
        traces_sample_rate=0,
    )
    return True
