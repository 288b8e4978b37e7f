from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from portal.access import club_member
from portal.forms import ClubSettingsForm, add_service_error
from portal.services import organization_update


@club_member("admin")
def club_settings(request):
    club = request.club
    form = ClubSettingsForm(request.POST or None, initial={
        "name": club.name, "timezone": club.timezone, "wiflight_user_domain": club.wiflight_user_domain})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            organization_update(organization=club, actor=request.user, name=d["name"], timezone_name=d["timezone"],
                                wiflight_user_domain=d["wiflight_user_domain"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Club settings saved.")
            return redirect("club_overview", club.slug)
    return render(request, "portal/club_settings.html", {"form": form}, status=400 if form.errors else 200)
