"""The members' sign-in and sign-out: include under the site's language prefixes, before
Wagtail's pages: ``i18n_patterns(path("", include("disclosure_pages.account_urls")), ...)``."""

from django.urls import path

from .accounts import MemberLoginView, MemberLogoutView

urlpatterns = [
    path("account/login/", MemberLoginView.as_view(), name="portal_login"),
    path("account/logout/", MemberLogoutView.as_view(), name="portal_logout"),
]
