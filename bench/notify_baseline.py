"""Bench only, never in production URLs: a WSGI app on the same settings and database whose
one endpoint stores the raw request body and answers 200. bench/notify.py runs it under
gunicorn beside the real receiver, so the ratio shows what authentication, the hardened
parse, the de-duplicating insert and the task enqueue cost on top of "HTTP + one insert"."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import models, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402


class BenchRawBody(models.Model):
    body = models.BinaryField()

    class Meta:
        app_label = "wiflight"
        db_table = "bench_raw_body"


@csrf_exempt
def store_raw(request, slug):
    body = request.read(settings.WIFLIGHT_NOTIFY_MAX_BYTES + 1)
    with transaction.atomic():
        BenchRawBody.objects.create(body=body)
    return HttpResponse("Stored.\n", content_type="text/plain")


urlpatterns = [path("wiflight/notify/<slug:slug>/", store_raw)]
settings.ROOT_URLCONF = __name__
application = get_wsgi_application()
