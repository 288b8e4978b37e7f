"""The reservation sync, by subject: `sync_marking` (inside the writer's transaction) and
`sync_sending` (workers: claim, send, record). This module only re-exports their public names
so callers can keep `from integrations.wiflight.services import ...`; new code imports from
the subject module. The HTTP session cache lives with the client (`client.client_for`)."""

from integrations.wiflight.client import _clients, client_for  # noqa: F401 - re-exported
from integrations.wiflight.sync_marking import (  # noqa: F401 - re-exported
    _bump_fields, booking_reservation_name, kick, maintenance_reservation_name, ready_connection,
    reservation_sync_aircraft, reservation_sync_booking, reservation_sync_club, reservation_sync_member)
from integrations.wiflight.sync_sending import (  # noqa: F401 - re-exported
    backoff_seconds, claim_due, drain, new_owner, sync_one, sync_retry_now, sync_send)
