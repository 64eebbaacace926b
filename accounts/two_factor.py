"""The admin's second factor (两步验证): TOTP devices and recovery codes from django-otp, who must
enrol, checking a code, and the middleware that stops an admin user at the code (or at enrolment)
before any other admin page.

django-otp keeps the devices (``otp_totp.TOTPDevice``, ``otp_static.StaticDevice`` holding the
recovery codes) and throttles wrong codes per device (each failure doubles the wait); its
``OTPMiddleware`` marks a session verified once a device accepted a code (``user.is_verified()``).
The portal, its members' sign-in and the API are not touched: only paths under the admin are.
"""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib.auth.models import AnonymousUser
from django.core import checks
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import devices_for_user, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import GroupApprovalTask

from disclosure_pages.models import UnitPage

from .conf import OTP_ROLES, app_settings

TOTP_DIGITS = 6
# Admin routes a user stopped at the second factor may still reach: signing out, and what every
# admin page loads (the icon sprite, the JavaScript catalogue) — none shows content.
OPEN_ROUTES = {"wagtailadmin_logout", "wagtailadmin_login", "wagtailadmin_sprite", "wagtailadmin_javascript_catalog"}


# -- who must enrol ----------------------------------------------------------------------------


def is_approver(user):
    """Whether ``user`` approves at a review tier: a member of a unit's leading group (the unit and
    county tiers resolve their approvers from it, workflows.models), or of a group that a plain
    Wagtail group-approval task names (a site may add such tasks to its workflows)."""
    if not (user.is_authenticated and user.is_active):
        return False
    groups = list(user.groups.values_list("pk", flat=True))  # values, not a subquery (a province's pages)
    return (
        UnitPage.objects.filter(leading_group__in=groups).exists()
        or GroupApprovalTask.objects.filter(active=True, groups__in=groups).exists()
    )


def can_use_admin(user):
    return user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin")


def required_for(user):
    """Whether SUNSHINE_OTP_REQUIRED_FOR makes ``user`` enrol before using the admin."""
    roles = set(app_settings.SUNSHINE_OTP_REQUIRED_FOR)
    if not roles or not can_use_admin(user):
        return False
    return (
        "admins" in roles
        or ("superusers" in roles and user.is_superuser)
        or ("approvers" in roles and is_approver(user))
    )


@checks.register(checks.Tags.security)
def check_required_for(app_configs, **kwargs):
    """A misspelt role would silently require no one: refuse it at startup."""
    roles = app_settings.SUNSHINE_OTP_REQUIRED_FOR
    if isinstance(roles, str) or not all(role in OTP_ROLES for role in roles):
        return [
            checks.Error(
                f"SUNSHINE_OTP_REQUIRED_FOR must be a list of {', '.join(OTP_ROLES)} (or empty), got {roles!r}",
                id="accounts.E001",
            )
        ]
    return []


# -- devices -----------------------------------------------------------------------------------


def totp_device(user, confirmed=True):
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).order_by("pk").first()


def has_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_device(user):
    """The TOTP device being enrolled (unconfirmed): the same secret until it is confirmed, so
    reloading the page does not invalidate what the phone already scanned."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)
    return device


def secret_of(device):
    """The key as an authenticator app takes it when typed in (Base32, in groups of four)."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(data):
    """An inline SVG QR code, made on the server (no third-party image service sees the secret)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=4)
    return image.to_string(encoding="unicode")


@transaction.atomic
def new_recovery_codes(user):
    """Replace ``user``'s recovery codes with fresh single-use ones; returns them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": "recovery", "confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(app_settings.SUNSHINE_OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def confirm(device):
    """The enrolled device now counts; any other of the user's TOTP devices goes."""
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def remove_devices(user):
    """Delete all of ``user``'s second-factor devices and recovery codes; returns how many devices."""
    count = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        count += 1
    return count


# -- checking a code ---------------------------------------------------------------------------


def normalise(code):
    """What people type: spaces and dashes between groups, capitals in recovery codes."""
    return "".join(str(code or "").split()).replace("-", "").lower()


def check_code(user, code, device=None, recovery=True):
    """The device that accepts ``code`` and ``None``, or ``None`` and the error to show.

    Six digits are checked against the TOTP device (``device``, else the user's confirmed one),
    anything else against the recovery codes (when ``recovery``). A device's throttle (django-otp:
    after each wrong code the next one waits twice as long) refuses without looking at the code.
    """
    code = normalise(code)
    if code.isdigit() and len(code) == TOTP_DIGITS:
        device = device or totp_device(user)
    elif recovery:
        device = StaticDevice.objects.filter(user=user).first()
    else:
        return None, _("请输入身份验证器显示的6位数字。")
    if device is None:
        return None, _("验证码不正确，请重新输入。")
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return None, throttled_message(details)
    verified = verify_token(user, device.persistent_id, code)
    if verified is None:
        if recovery:
            return None, _("验证码或恢复码不正确，请重新输入（恢复码每个只能使用一次）。")
        return None, _("验证码不正确，请重新输入。")
    return verified, None


def throttled_message(details):
    locked_until = (details or {}).get("locked_until")
    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
    return _("错误次数过多，请在 %(seconds)d 秒后再试。") % {"seconds": seconds}


# -- the admin's gate --------------------------------------------------------------------------


def stopped_at_the_gate(user):
    """Signed in with the password only, while a code (or enrolment) is still owed."""
    return can_use_admin(user) and not user.is_verified() and (has_device(user) or required_for(user))


class TwoFactorMiddleware:
    """Before any admin page: a user with a device enters a code once per sign-in; a user the
    setting requires to enrol goes to enrolment. Placed after django-otp's OTPMiddleware.

    Outside the admin, such a user counts as signed out until the code is given: a password
    alone must not open what the user's rights open elsewhere (a unit's draft attachments under
    /documents/, members-only items, the API by session). Members, who have no admin access,
    are never concerned.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        match = request.resolver_match
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self.admin_prefix):
            if stopped_at_the_gate(user):
                request.user = AnonymousUser()
            return None
        if (
            match is None
            or not request.path.startswith(self.admin_prefix)
            or match.view_name in OPEN_ROUTES
            or user is None
            or not can_use_admin(user)
            or user.is_verified()
        ):
            return None
        if has_device(user):
            if match.view_name == "two_factor:verify":
                return None
            return redirect(f"{reverse('two_factor:verify')}?{urlencode({'next': request.get_full_path()})}")
        if match.view_name.startswith("two_factor:enrol") or not required_for(user):
            return None
        return redirect("two_factor:enrol")

