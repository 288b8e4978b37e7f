"""What maintenance says at check-out, beside the club's booking rules (registered with
dispatch.services.checks in MaintenanceConfig.ready()): an item due and within its tolerance
lets the aircraft fly only to reach the inspection, so the dispatcher is told, every time.
Overdue is not a warning: it grounds (maintenance.services.grounding)."""

from dispatch.services.checks import CHECK_OUT, WARN, BookingFacts, RuleFinding
from maintenance import due
from maintenance.selectors import aircraft_maintenance


def due_at_check_out(facts: BookingFacts) -> list[RuleFinding]:
    if facts.stage != CHECK_OUT:
        return []
    state = aircraft_maintenance(facts.aircraft)
    return [RuleFinding(code="maintenance_due", level=WARN, message=f"{i.text}.",
                        facts={"item_id": i.item.pk, "hours": str(state.hours)})
            for i in state.items if i.state == due.State.DUE]
