"""Turning python3-openid's WebResponse into Django responses, and the one error page."""

from django.http import HttpResponse
from django.shortcuts import render
from openid.server.server import EncodingError

# The library's auto-submitting form (responses over 2047 characters) uses an inline onload
# handler and an inline script; this response, and only this one, allows inline script.
FORM_POST_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; base-uri 'none'"


def error_page(request, *, title: str, message: str, status: int = 400) -> HttpResponse:
    return render(request, "openid_provider/error.html", {"title": title, "message": message}, status=status)


def openid_response(request, server, response, *, direct: bool) -> HttpResponse:
    """Sign (when needed) and encode a response: key-value form for direct requests, a
    redirect or a self-submitting form for the browser."""
    try:
        web = server.encodeResponse(response)
    except EncodingError:
        return error_page(request, title="OpenID response failed",
                          message="The answer to this request could not be encoded.")
    http = HttpResponse(web.body, status=web.code)
    for name, value in web.headers.items():
        http[name] = value
    if direct:
        http["Content-Type"] = "text/plain; charset=utf-8"
    elif web.code == 200:
        http["Content-Type"] = "text/html; charset=utf-8"
        http["Content-Security-Policy"] = FORM_POST_CSP
        http["Cache-Control"] = "no-store"
    return http
