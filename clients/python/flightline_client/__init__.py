"""A small client for Flightline's REST API (/api/v1/), and webhook verification."""

from flightline_client.client import Client, Organization, Resource, __version__
from flightline_client.errors import (ApiError, Conflict, Forbidden, NotFound, RateLimited, ServerError, Unauthorized,
                                      ValidationFailed)
from flightline_client.webhooks import WebhookVerificationError, verify_webhook

__all__ = ["ApiError", "Client", "Conflict", "Forbidden", "NotFound", "Organization", "RateLimited", "Resource",
           "ServerError", "Unauthorized", "ValidationFailed", "WebhookVerificationError", "__version__",
           "verify_webhook"]
