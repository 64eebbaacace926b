"""The crawl's county: the security matrix's small demo county (``tests/security/county.py``:
the demo seed with its logins, a village officer, a draft in review, a members-only item
with files, a pending revision) with the Traditional variant of every page and catalogue
entry, and the Wagtail Site at the crawl's public base (``CRAWL_BASE``)."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from tests.security.county import build_county

from .crawler import CRAWL_BASE

# Who walks the admin, and who reads the portal.
ADMIN_ROLES = ("superuser", "county_reviewer", "township_approver", "township_officer", "village_officer")
PUBLIC_ROLES = ("anonymous", "member")


def sync_site():
    """Put the default Site at PUBLIC_BASE_URL as ``migrate``/``sync_public_site`` do."""
    try:
        from disclosure_pages.public_urls import sync_default_site
    except ImportError:  # before PUBLIC_BASE_URL existed: the Site stays where the seed put it
        return
    sync_default_site()


def build_crawl_county():
    with override_settings(PUBLIC_BASE_URL=CRAWL_BASE, WAGTAILADMIN_BASE_URL=CRAWL_BASE):
        sync_site()
        c = build_county()
        call_command("sync_variants", missing_only=True, stdout=io.StringIO())
        sync_site()
    User = get_user_model()
    c.roles = {
        "anonymous": None,
        "member": c.member_a,
        "superuser": User.objects.get(username="admin"),
        "county_reviewer": User.objects.get(username="reviewer"),
        "township_approver": User.objects.get(username="approver"),
        "township_officer": c.officer,
        "village_officer": c.users["village_officer"],
    }
    return c
