"""The elder-friendly mode (适老化) toggle: persists in a cookie, never redirects off-site."""

import pytest

pytestmark = pytest.mark.django_db


def test_toggle_sets_then_clears_the_cookie(client):
    response = client.get("/elder-mode/", {"next": "/zh-hans/units/"})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/units/"
    assert response.cookies["elder_mode"].value == "1"
    assert response.cookies["elder_mode"]["max-age"] > 0

    client.cookies["elder_mode"] = "1"
    response = client.get("/elder-mode/", {"next": "/zh-hans/"})
    assert response.cookies["elder_mode"].value == ""  # deleted


@pytest.mark.parametrize("target", ["https://evil.example.com/", "//evil.example.com/x", "javascript:alert(1)"])
def test_toggle_never_redirects_off_site(client, target):
    response = client.get("/elder-mode/", {"next": target})
    assert response["Location"] == "/"
