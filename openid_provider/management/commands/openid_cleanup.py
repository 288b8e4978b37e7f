from django.core.management.base import BaseCommand

from openid_provider.services import openid_cleanup


class Command(BaseCommand):
    help = "Delete expired OpenID associations and stale nonces."

    def handle(self, *args, **options):
        associations, nonces = openid_cleanup()
        self.stdout.write(f"Deleted {associations} expired associations and {nonces} stale nonces.")
