import json

from django.core.management.base import BaseCommand, CommandError

from wiflight_sim.errors import ApiError
from wiflight_sim.models import FaultState
from wiflight_sim.services.control import faults_update


def _switch(value: str) -> bool:
    return value.lower() in ("1", "on", "true", "yes")


class Command(BaseCommand):
    help = "Show or set the simulator's fault switches (shared through the database)."

    def add_arguments(self, parser):
        parser.add_argument("--unavailable", type=_switch, help="on/off: answer 503 to every API request")
        parser.add_argument("--delay", type=float, help="seconds to wait before answering")
        parser.add_argument("--drop", type=_switch, help="on/off: close connections without a response")
        parser.add_argument("--fail-fraction", type=float, help="0..1: share of API requests answered 503")
        parser.add_argument("--pause-notifications", type=_switch, help="on/off: hold the notification outbox")
        parser.add_argument("--expire-sessions", action="store_true", help="expire every gasn-session now")
        parser.add_argument("--clear", action="store_true", help="turn every fault off")

    def handle(self, *args, **o):
        changes = {
            key: o[opt]
            for key, opt in [
                ("unavailable", "unavailable"), ("delay", "delay"), ("drop", "drop"),
                ("fail_fraction", "fail_fraction"), ("notifications_paused", "pause_notifications"),
            ]
            if o[opt] is not None
        }
        if o["clear"]:
            changes["clear"] = True
        if o["expire_sessions"]:
            changes["expire_sessions"] = True
        try:
            state = faults_update(changes) if changes else FaultState.current().as_dict()
        except ApiError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(json.dumps(state, indent=2))
