"""Content-Security-Policy for the portal and, with a few allowances, for Wagtail's admin.

The portal's policy is django-csp's ``CONTENT_SECURITY_POLICY`` (cms/settings/base.py): only
this site's own scripts, styles, images and fonts; the two inline scripts and one inline
stylesheet the templates have carry the request's nonce. Wagtail's admin is a larger
application written without a nonce in mind, so under /admin/ some directives are replaced
(``ADMIN_DIRECTIVES``), each for a reason said beside it; the API's documentation page
(Swagger UI, served from the sidecar package) gets one allowance too.
"""

from csp.constants import NONE, NONCE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.urls import NoReverseMatch, reverse

ADMIN_DIRECTIVES = {
    # Wagtail's form widgets (date pickers, page and snippet choosers, inline panels) write an
    # inline <script> per field, its text varying with the field's id: neither a nonce nor a
    # hash can name them, so the admin allows inline scripts. Only signed-in staff reach it;
    # what still holds there: scripts from no other origin, no plugins, no <base>, forms and
    # fetches to this site only, images from this site (so stolen data has nowhere to go).
    "script-src": [SELF, UNSAFE_INLINE],
    # Wagtail's templates and widgets write style="" attributes and a few <style> blocks of
    # their own (progress bars, the sidebar's widths, the rich text editor's toolbar); a style
    # cannot run script. With a nonce in the list browsers would ignore 'unsafe-inline', so none.
    "style-src": [SELF, UNSAFE_INLINE],
    # data: the admin's CSS draws icons as data: SVGs; blob: the image uploader previews a
    # chosen file before it is sent. No other origin: Gravatar is switched off in the settings.
    "img-src": [SELF, "data:", "blob:"],
    # The editor's preview panel shows the page in a frame of the admin itself.
    "frame-ancestors": [SELF],
}

API_DOCS_DIRECTIVES = {
    # Swagger UI's stylesheet draws its icons as data: SVGs.
    "img-src": [SELF, "data:"],
}

# The portal's own directives (django-csp's CONTENT_SECURITY_POLICY), here so that the settings
# and the tests read one definition.
PORTAL_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, NONCE],
    # style="" attributes in a few templates (a legend's colours, form widths): a style
    # attribute cannot run script, and browsers without style-src-attr fall back to style-src
    # (the attributes are then ignored, nothing breaks).
    "style-src-attr": [UNSAFE_INLINE],
    "img-src": [SELF],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}


def _prefix(name):
    try:
        return reverse(name)
    except NoReverseMatch:  # pragma: no cover - a site without the admin or the API docs
        return None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, replacing some directives under /admin/ and /api/docs/."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        for name, directives in (("wagtailadmin_home", ADMIN_DIRECTIVES), ("api-docs", API_DOCS_DIRECTIVES)):
            prefix = _prefix(name)
            if prefix and request.path_info.startswith(prefix):
                return PolicyParts(parts.config, parts.update, {**directives, **(parts.replace or {})}, parts.nonce)
        return parts


class PermissionsPolicyMiddleware:
    """``Permissions-Policy``: no page of the site uses the camera, microphone, location, sensors,
    payment or USB; a script that got in through some hole cannot ask for them either."""

    header = ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb",
        )
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
