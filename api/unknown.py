"""The answer for a URL under /api/ that names no endpoint: 404 in the error envelope."""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from api.base import ApiView


@extend_schema(exclude=True)
class UnknownEndpoint(ApiView):
    permission_classes = [AllowAny]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound("No such API endpoint.")

    def check_permissions(self, request):
        pass
