"""Template context every portal page needs: elder-friendly mode and the other script."""

ELDER_MODE_COOKIE = "elder_mode"


def portal(request):
    return {"elder_mode": request.COOKIES.get(ELDER_MODE_COOKIE) == "1"}
