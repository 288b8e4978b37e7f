from django.http import HttpResponse
from django.urls import include, path


def whoami(request):
    return HttpResponse(f"signed-in:{request.user.username}" if request.user.is_authenticated else "anonymous",
                        content_type="text/plain")


urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("whoami/", whoami),
]
