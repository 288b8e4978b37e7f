"""/api/v1/schema is OpenAPI 3.1 generated from the code, envelopes and errors included;
/api/v1/docs is a reference page served by us, with nothing fetched from elsewhere."""

import re

from django.test import Client


def test_the_schema_is_openapi_3_1_with_envelopes_errors_and_headers(db):
    schema = Client().get("/api/v1/schema").json()
    assert schema["openapi"].startswith("3.1")
    operation = schema["paths"]["/api/v1/organizations/{slug}/flight-logs"]["post"]
    assert {"201", "400", "401", "403", "404", "409", "413", "415", "422", "429", "500"} <= set(operation["responses"])
    assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "Retry-After" in operation["responses"]["429"]["headers"]
    assert "X-RateLimit-Remaining" in operation["responses"]["201"]["headers"]
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    created = operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert set(schema["components"]["schemas"][created]["properties"]) == {"data"}


def test_the_reference_page_loads_nothing_from_a_third_party(db):
    page = Client().get("/api/v1/docs").content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    assert external == []
    from django.conf import settings
    from django.contrib.staticfiles import finders

    script = re.search(r'<script src="([^"]+)"', page).group(1)
    assert script.startswith(settings.STATIC_URL)
    assert finders.find(script.removeprefix(settings.STATIC_URL))  # shipped by drf-spectacular-sidecar
