import os

from django.core.management.base import BaseCommand
from django.db import transaction

from wiflight_sim.models import NotifyProfile, SimUser
from wiflight_sim.services.accounts import aircraft_configure, user_configure

FLEET = "Flightline demo fleet"
AIRCRAFT = [("C-GDFA", "Cessna 172S"), ("C-GDFB", "Cessna 172S"), ("C-FDFC", "Piper PA-28-161"),
            ("C-GDFD", "Cessna 152"), ("C-GDFE", "Diamond DA40")]


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


class Command(BaseCommand):
    help = "Create the demo fleet administrator, aircraft and notify profile (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        domain = _env("WIFLIGHT_SIM_DEMO_DOMAIN", "demo.flightline.test")
        admin = user_configure(
            username=_env("WIFLIGHT_SIM_DEMO_USER", f"flightline@{domain}"),
            role=SimUser.FLEET_ADMIN,
            password=_env("WIFLIGHT_SIM_DEMO_PASSWORD", "demo-wiflight"),
            fullname="Flightline demo integration",
            fleet_name=FLEET,
            domains=(domain,),
        )
        for tail, model in AIRCRAFT:
            aircraft_configure(tail=tail, model=model, fleet_name=FLEET)
        NotifyProfile.objects.update_or_create(
            name=_env("WIFLIGHT_SIM_DEMO_PROFILE", "flightline-demo"),
            defaults={
                "url": _env("WIFLIGHT_SIM_DEMO_NOTIFY_URL", "http://127.0.0.1:8000/wiflight/notify/demo/"),
                "basic_user": _env("WIFLIGHT_SIM_DEMO_NOTIFY_USER", "wiflight"),
                "basic_password": _env("WIFLIGHT_SIM_DEMO_NOTIFY_PASSWORD", "demo-notify-secret"),
                "hmac_secret": os.environ.get("WIFLIGHT_SIM_DEMO_NOTIFY_HMAC", ""),
                "enabled": True,
            },
        )
        self.stdout.write(f"demo: {admin.username} with domain {domain}, aircraft {', '.join(t for t, _ in AIRCRAFT)}")
