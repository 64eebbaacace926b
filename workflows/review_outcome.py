"""The outcome of a review action taken from the page editor, carried in the session to the hook
that shows it.

Wagtail's editor route calls ``Task.on_action`` without the request and drops what it returns
(the action dialog's route redirects to it). ``expect`` marks the request of an editor post
naming a review action, for this context (thread or task) only; ``on_action`` hands its outcome
page to ``remember``, which writes it into that request's session; the ``after_edit_page`` hook
``take``s it out again and redirects there.
"""

from contextvars import ContextVar

SESSION_KEY = "workflows_review_outcome_url"

_acting = ContextVar("workflows_review_request", default=None)


def expect(request):
    """Note that ``request`` (an editor post with a review action) will hear its outcome."""
    _acting.set(request)


def remember(user, url):
    """Keep ``url`` (the outcome page of ``user``'s review action) in the acting request's session."""
    request = _acting.get()
    if request is not None and request.user.pk == user.pk:
        request.session[SESSION_KEY] = url


def take(request):
    """The outcome page of the review action ``request`` took, if any (removed from the session)."""
    _acting.set(None)
    return request.session.pop(SESSION_KEY, None)
