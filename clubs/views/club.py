from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from clubs.access import club_member
from clubs.forms import ClubSettingsForm
from core.form_errors import add_service_error
from clubs.services import DAY_SETTINGS, organization_update


@club_member("manage_club")
def club_settings(request):
    club = request.club
    form = ClubSettingsForm(request.POST or None, current_timezone=club.timezone, initial={
        "name": club.name, "timezone": club.timezone, "wiflight_user_domain": club.wiflight_user_domain,
        "max_passengers": club.max_passengers, "passengers_block_bookings": club.passengers_block_bookings,
        **{setting: getattr(club, setting) for setting in DAY_SETTINGS}})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            organization_update(actor=request.membership, name=d["name"], timezone_name=d["timezone"],
                                wiflight_user_domain=d["wiflight_user_domain"], max_passengers=d["max_passengers"],
                                passengers_block_bookings=d["passengers_block_bookings"],
                                **{setting: d[setting] for setting in DAY_SETTINGS})
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Club settings saved.")
            return redirect("club_overview", club.slug)
    return render(request, "clubs/club_settings.html", {"form": form}, status=400 if form.errors else 200)
