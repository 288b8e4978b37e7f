"""Public discovery documents: identity pages and the XRDS documents relying parties fetch."""

from django.shortcuts import get_object_or_404, render

from openid_provider.models import OpenIDIdentity
from openid_provider.public_urls import endpoint_url, identity_url, identity_xrds_url

XRDS_CONTENT_TYPE = "application/xrds+xml"


def wants_xrds(request) -> bool:
    return XRDS_CONTENT_TYPE in request.headers.get("Accept", "")


def identity_page(request, slug):
    get_object_or_404(OpenIDIdentity, slug=slug)
    if wants_xrds(request):
        return identity_xrds(request, slug)
    response = render(request, "openid_provider/identity.html", {
        "endpoint_url": endpoint_url(), "identity_url": identity_url(slug),
    })
    response["X-XRDS-Location"] = identity_xrds_url(slug)
    return response


def identity_xrds(request, slug):
    get_object_or_404(OpenIDIdentity, slug=slug)
    return render(request, "openid_provider/xrds_signon.xml", {
        "endpoint_url": endpoint_url(), "identity_url": identity_url(slug),
    }, content_type=XRDS_CONTENT_TYPE)


def server_xrds(request):
    """The OP identifier document: lets a relying party start with identifier_select."""
    return render(request, "openid_provider/xrds_server.xml", {"endpoint_url": endpoint_url()},
                  content_type=XRDS_CONTENT_TYPE)
