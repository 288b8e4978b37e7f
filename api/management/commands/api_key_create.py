"""Print a new API key for a club, for scripts: the key is shown once, stored hashed."""

from django.core.management.base import BaseCommand, CommandError

from api.keys import api_key_create
from api.models import ApiKey
from clubs.models import Membership, Organization
from core.errors import Refusal


class Command(BaseCommand):
    help = "Create an API key for a club and print it (once)."

    def add_arguments(self, parser):
        parser.add_argument("--club", required=True, help="The club's slug.")
        parser.add_argument("--name", required=True, help="What uses the key (shown in the club's key list).")
        parser.add_argument("--scopes", default="read", choices=["read", "read,write"])
        parser.add_argument("--admin", help="Username of the club admin creating it (default: the first admin).")

    def handle(self, *args, club, name, scopes, admin, **options):
        organization = Organization.objects.filter(slug=club).first()
        if organization is None:
            raise CommandError(f"No club with slug {club!r}.")
        admins = Membership.objects.people().select_related("user", "organization").filter(
            organization=organization, is_admin=True, is_active=True).order_by("pk")
        actor = admins.filter(user__username=admin).first() if admin else admins.first()
        if actor is None:
            raise CommandError(f"{club!r} has no active admin" + (f" named {admin!r}." if admin else "."))
        try:
            key, raw = api_key_create(actor=actor, name=name, scopes=ApiKey.Scope(scopes))
        except Refusal as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(f"Created {key} for {organization.name} ({key.get_scopes_display().lower()}), "
                          f"on behalf of {actor.user.display_name}. It is shown once:")
        self.stdout.write(raw)
