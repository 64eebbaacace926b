"""Small site-wide views of the portal."""

import mimetypes

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from wagtail.utils import sendfile_streaming_backend
from wagtail.utils.sendfile import sendfile

from .context_processors import ELDER_MODE_COOKIE

ONE_YEAR = 365 * 24 * 3600


@require_http_methods(["GET", "POST"])
def toggle_elder_mode(request):
    """Switch the elder-friendly mode (适老化) on or off; it persists in a cookie."""
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get(ELDER_MODE_COOKIE) == "1":
        response.delete_cookie(ELDER_MODE_COOKIE)
    else:
        response.set_cookie(ELDER_MODE_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax")
    return response


IMAGE_CACHE_SECONDS = 3600


def serve_image_file(request, name):
    """An image file (an original or a rendition) through the same check as documents.

    Images shown by a page the public may view are cacheable by anyone; every other image
    (a members-only item's, a draft's) only by the browser of someone allowed to see it.
    """
    from .attachments import ALLOW, image_access
    from .files import IMAGE_PREFIXES
    from .visibility import ANONYMOUS

    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    image, file = _image_file(name) if name.startswith(IMAGE_PREFIXES) else (None, None)
    if image is None:
        raise Http404
    public = image_access(image, ANONYMOUS) == ALLOW
    if not public and image_access(image, request.user) != ALLOW:
        raise Http404
    try:
        local_path = file.path
    except NotImplementedError:
        local_path = None
    mimetype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if local_path:
        backend = None if hasattr(settings, "SENDFILE_BACKEND") else sendfile_streaming_backend.sendfile
        response = sendfile(request, local_path, mimetype=mimetype, backend=backend)
    else:
        try:
            response = FileResponse(file.open("rb"), content_type=mimetype)
        except OSError:
            raise Http404 from None
    if public:
        response["Cache-Control"] = f"public, max-age={IMAGE_CACHE_SECONDS}"
    else:
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Cookie"])
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _image_file(name):
    """(image, its file field) for a stored original or rendition file name."""
    from wagtail.images import get_image_model

    Image = get_image_model()
    if name.startswith("original_images/"):
        image = Image.objects.filter(file=name).first()
        return (image, image.file) if image else (None, None)
    rendition = Image.get_rendition_model().objects.filter(file=name).select_related("image").first()
    return (rendition.image, rendition.file) if rendition else (None, None)
