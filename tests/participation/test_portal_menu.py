"""The ledger in the portal's main menu, through the plugin's register_portal_menu_item hook."""

import pytest
from django.test import Client

from .helpers import build_people

pytestmark = pytest.mark.django_db


def test_every_portal_page_links_the_ledger_in_the_readers_script():
    county = build_people()
    client = Client()
    assert '<a href="/zh-hans/opinions/">意见建议</a>' in client.get(county.township.url).content.decode()
    html = client.get("/zh-hant/opinions/").content.decode()
    assert '<a href="/zh-hant/opinions/" aria-current="page">意見建議</a>' in html
