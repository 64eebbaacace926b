"""Token authentication for party members' apps: ``Authorization: Bearer <key>``.

A request without the header is anonymous and reads public content. A header with a bad,
expired or revoked key is refused (401) rather than read as anonymous, so an app notices
at once that its member has been signed out.
"""

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import MemberToken

KEYWORD = "bearer"
# last_used_at is for the people who revoke tokens; a write per request would be a waste.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class MemberTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != KEYWORD.encode() or len(header) != 2:
            raise exceptions.AuthenticationFailed()
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed() from None
        token = MemberToken.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed()
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            MemberToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
