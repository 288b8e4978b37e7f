"""/organizations/<slug>/members: members and their roles; invite by email with roles,
change roles, deactivate and reactivate (clubs.services, with their rules and audit); the
licence, medical and flight-review expiry dates the booking rules check (kept by admins and
dispatchers: clubs.services.member_documents_update)."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api import envelopes
from api.base import ApiView
from api.fields import IdField, PlainCharField, StrictDateField, StrictSerializer
from api.lookups import member_with_id
from api.schema import envelope_of, list_of
from clubs.models import Membership, Role
from clubs.policy import require_capability
from clubs.services import MemberDetails, member_documents_update, member_invite, member_set_active, member_update

KIND = "member"
DOCUMENTS = ("licence_expires_on", "medical_expires_on", "flight_review_expires_on")


class MemberWriteSerializer(StrictSerializer):
    full_name = PlainCharField(max_length=150)
    email = serializers.EmailField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), allow_empty=False, max_length=10)
    wiflight_username = PlainCharField(max_length=150, required=False, allow_blank=True, default="")
    instructor = IdField(required=False, allow_null=True, default=None, help_text="For a student: their instructor.")


def _document_date(label: str):
    return StrictDateField(required=False, allow_null=True, help_text=f"When the {label} expires (YYYY-MM-DD); "
                           "null: not on file. Admins and dispatchers set it.")


class MemberPatchSerializer(MemberWriteSerializer):
    licence_expires_on = _document_date("licence")
    medical_expires_on = _document_date("medical")
    flight_review_expires_on = _document_date("flight review")


class MemberAttributes(serializers.Serializer):
    full_name = serializers.CharField()
    email = serializers.EmailField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
    active = serializers.BooleanField()
    wiflight_username = serializers.CharField(allow_blank=True)
    instructor_id = serializers.CharField(allow_null=True)
    joined_at = serializers.DateTimeField()
    licence_expires_on = serializers.DateField(allow_null=True)
    medical_expires_on = serializers.DateField(allow_null=True)
    flight_review_expires_on = serializers.DateField(allow_null=True)


def attributes(m: Membership) -> dict:
    return {"full_name": m.user.display_name, "email": m.user.email, "roles": m.roles, "active": m.is_active,
            "wiflight_username": m.wiflight_username,
            "instructor_id": str(m.instructor_id) if m.instructor_id else None, "joined_at": m.joined_at.isoformat(),
            **{name: getattr(m, name).isoformat() if getattr(m, name) else None for name in DOCUMENTS}}


def _see(actor) -> None:
    require_capability(actor, "see_members", "Only admins, dispatchers and viewers see the member list.")


def _member_for(actor, pk: int) -> Membership:
    _see(actor)
    return member_with_id(actor, pk, field=None)


def _details(actor, d: dict) -> MemberDetails:
    instructor = member_with_id(actor, d["instructor"], field="instructor") if d.get("instructor") else None
    return MemberDetails(full_name=d["full_name"], email=d["email"], roles=frozenset(d["roles"]),
                         wiflight_username=d["wiflight_username"], instructor=instructor)


class MemberList(ApiView):
    @extend_schema(operation_id="members_list", responses=list_of(KIND, MemberAttributes))
    def get(self, request, slug):
        actor = self.actor(slug)
        _see(actor)
        qs = (Membership.objects.people().filter(organization_id=actor.organization_id)
              .select_related("user").order_by("pk"))
        return Response(envelopes.page_of(request, qs, kind=KIND, attributes=attributes))

    @extend_schema(operation_id="members_invite", request=envelope_of(KIND, MemberWriteSerializer, "MemberInvite"),
                   responses={201: envelope_of(KIND, MemberAttributes)},
                   description="Adds the member and emails them a one-time link to set their password.")
    def post(self, request, slug):
        actor = self.actor(slug)
        body = MemberWriteSerializer(data=envelopes.attributes_of(request, KIND))
        body.is_valid(raise_exception=True)
        membership, _ = member_invite(actor=actor, details=_details(actor, body.validated_data))
        return Response(envelopes.one(KIND, membership.pk, attributes(membership)), status=201)


class MemberDetail(ApiView):
    @extend_schema(operation_id="members_retrieve", responses=envelope_of(KIND, MemberAttributes))
    def get(self, request, slug, pk):
        member = _member_for(self.actor(slug), pk)
        return Response(envelopes.one(KIND, member.pk, attributes(member)))

    @extend_schema(operation_id="members_update",
                   request=envelope_of(KIND, MemberPatchSerializer, "MemberPatch", partial=True),
                   responses=envelope_of(KIND, MemberAttributes),
                   description="Document dates alone need an admin or a dispatcher; the rest, an admin. "
                               "Either all of it changes or none.")
    def patch(self, request, slug, pk):
        actor = self.actor(slug)
        member = _member_for(actor, pk)
        changes = MemberPatchSerializer(data=envelopes.attributes_of(request, KIND), partial=True)
        changes.is_valid(raise_exception=True)
        given = changes.validated_data
        documents = {name: given[name] for name in DOCUMENTS if name in given}
        details = {k: v for k, v in given.items() if k not in DOCUMENTS}
        with transaction.atomic():  # the details and the dates together, or neither
            if details or not documents:
                current = {"full_name": member.user.full_name, "email": member.user.email, "roles": member.roles,
                           "wiflight_username": member.wiflight_username, "instructor": member.instructor_id}
                member = member_update(membership=member, actor=actor, details=_details(actor, {**current, **details}))
            if documents:
                dates = {name: documents.get(name, getattr(member, name)) for name in DOCUMENTS}
                member = member_documents_update(membership=member, actor=actor, **dates)
        return Response(envelopes.one(KIND, member.pk, attributes(member)))


class _Activation(ApiView):
    active = True

    def _set(self, slug, pk):
        actor = self.actor(slug)
        member = member_set_active(membership=_member_for(actor, pk), actor=actor, active=self.active)
        return Response(envelopes.one(KIND, member.pk, attributes(member)))


class MemberDeactivate(_Activation):
    active = False

    @extend_schema(operation_id="members_deactivate", request=None, responses=envelope_of(KIND, MemberAttributes),
                   description="Takes the member off every future Wi-Flight reservation; their history stays.")
    def post(self, request, slug, pk):
        return self._set(slug, pk)


class MemberReactivate(_Activation):
    @extend_schema(operation_id="members_reactivate", request=None, responses=envelope_of(KIND, MemberAttributes))
    def post(self, request, slug, pk):
        return self._set(slug, pk)
