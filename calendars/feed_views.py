"""The address calendar apps fetch. No session: the token in the path is the credential, so
an unknown, revoked or no-longer-valid token gets the same 404 as any missing page."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from calendars.feed_documents import feed_document
from calendars.services import feed_for_token


@require_safe
def feed(request, token: str):
    found = feed_for_token(token)
    if found is None:
        raise Http404("No such calendar.")
    response = HttpResponse(feed_document(found, now=timezone.now()), content_type="text/calendar; charset=utf-8")
    # The address is a secret: no shared cache may keep a copy.
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="flightline.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
