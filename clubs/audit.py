"""The audit log's one writer. Called by services inside their transaction, so an action and
its audit entry are committed together or not at all."""

from clubs.models import AuditEvent, Organization


def audit_record(*, organization: Organization, actor, action: str, target=None, summary: str, details=None) -> AuditEvent:
    return AuditEvent.objects.create(
        organization=organization,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        details=details or {},
    )
