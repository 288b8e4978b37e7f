from django.core.management.base import BaseCommand

from wiflight_sim.models import NotifyProfile


class Command(BaseCommand):
    help = "Program a notify profile by name (Wi-Flight does this by hand for integrators)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--url", required=True)
        parser.add_argument("--basic-user", default="")
        parser.add_argument("--basic-password", default="")
        parser.add_argument("--hmac-secret", default="", help="sign the body: <header>: sha256=<hex>")
        parser.add_argument("--signature-header", default="X-WiFlight-Signature")
        parser.add_argument("--disable", action="store_true")

    def handle(self, *args, **o):
        profile, _ = NotifyProfile.objects.update_or_create(
            name=o["name"],
            defaults={
                "url": o["url"], "basic_user": o["basic_user"], "basic_password": o["basic_password"],
                "hmac_secret": o["hmac_secret"], "signature_header": o["signature_header"], "enabled": not o["disable"],
            },
        )
        self.stdout.write(f"notify profile {profile.name} -> {profile.url}")
