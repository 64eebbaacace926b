"""The opinion pages' own labels in Traditional on /zh-hant/ (participation's zh_Hant catalogue)."""

import pytest
from django.test import Client


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "traditional", "simplified"),
    [
        ("/zh-hant/opinions/", "意見辦理臺帳", "意见办理台帐"),
        ("/zh-hant/opinions/track/", "意見查詢", "意见查询"),
    ],
)
def test_portal_pages_speak_traditional(county, path, traditional, simplified):
    html = Client().get(path).content.decode()
    assert traditional in html and simplified not in html


def test_the_item_panel_speaks_traditional(county):
    from wagtail.models import Locale

    hant = county.pre_item.get_translation_or_none(Locale.objects.get(language_code="zh-hant"))
    if hant is None:
        pytest.skip("no Traditional variant made in this configuration")
    html = Client().get(hant.url).content.decode()
    assert "提交意見" in html and "提交意见" not in html


def test_the_admin_section_speaks_traditional_to_a_traditional_user(county):
    from wagtail.users.models import UserProfile

    officer = county.people.officer
    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "zh-hant"
    profile.save()
    client = Client()
    client.force_login(officer)
    html = client.get("/admin/opinions/").content.decode()
    assert "辦理佇列" in html or "辦理隊列" in html, html[:500]
