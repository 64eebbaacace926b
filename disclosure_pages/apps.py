from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosurePagesConfig(AppConfig):
    """Units, the disclosure catalogue, disclosure items and the public portal."""

    name = "disclosure_pages"
    verbose_name = _("党务公开")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import pages_compat, signals  # noqa: F401 (pages_compat registers its version check)
        from .permissions import page_owners_for
        from .visibility import page_is_public_in_admin

        # The admin's privacy icons and statuses test only the view restrictions over the pages shown.
        pages_compat.replace_page_is_public_test(page_is_public_in_admin)
        pages_compat.replace_new_page_privacy_test(page_is_public_in_admin)
        # The explorer's owner filter offers the owners of the pages it lists.
        pages_compat.replace_owner_filter_choices(page_owners_for)

        post_migrate.connect(_sync_unit_files, sender=self)
        post_migrate.connect(_sync_public_site, sender=self)


def _sync_unit_files(using="default", **kwargs):
    """Existing units get their file collections and grants (``files.py``); a no-op when right."""
    from django.db import DEFAULT_DB_ALIAS

    from .files import sync_unit_files

    if using == DEFAULT_DB_ALIAS:
        sync_unit_files()


def _sync_public_site(using="default", **kwargs):
    """The default Wagtail Site takes PUBLIC_BASE_URL's host and port (``public_urls.py``)."""
    from django.db import DEFAULT_DB_ALIAS

    from .public_urls import sync_default_site

    if using == DEFAULT_DB_ALIAS:
        sync_default_site()
