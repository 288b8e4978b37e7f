from django.core.management.base import BaseCommand

from wiflight_sim.models import SimUser
from wiflight_sim.services.accounts import user_configure


class Command(BaseCommand):
    help = "Create or update a simulator account (as Wi-Flight staff would)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=[r for r, _ in SimUser.ROLES], default=SimUser.END_USER)
        parser.add_argument("--password")
        parser.add_argument("--fullname", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--fleet", help="fleet name (managers and administrators)")
        parser.add_argument("--domain", action="append", default=[], help="name domain, e.g. example.com (repeatable)")
        parser.add_argument("--openid", action="append", default=[], help="OpenID claimed id (repeatable)")

    def handle(self, *args, **o):
        user = user_configure(
            username=o["username"], role=o["role"], password=o["password"], fullname=o["fullname"], email=o["email"],
            fleet_name=o["fleet"], domains=tuple(o["domain"]), openids=tuple(o["openid"]),
        )
        self.stdout.write(f"user {user.username} ({user.role}) id={user.pk}")
