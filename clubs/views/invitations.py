from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from clubs.forms import SetPasswordForm
from core.form_errors import add_service_error
from clubs.services import invitation_accept, invitation_lookup

# Every member may open their own bookings: the page the club starts from for anyone.
CLUB_PAGE = "dispatch:my_bookings"


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept_view(request, token: str):
    invitation = invitation_lookup(token)
    if invitation is None:
        return render(request, "clubs/invitation_invalid.html", status=404)
    user = invitation.membership.user
    club = invitation.membership.organization
    needs_password = not user.has_usable_password()
    form = SetPasswordForm(request.POST or None, user=user) if needs_password else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            # The service's user carries the new password hash, which the session is bound to.
            user = invitation_accept(token=token, password=form.cleaned_data["password1"] if form else "")
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect("account_login")
            add_service_error(form, exc)
        else:
            return _welcome(request, user, club, password_just_set=form is not None)
    return render(request, "clubs/invitation_accept.html", {"invitation": invitation, "form": form})


def _welcome(request, user, club, *, password_just_set: bool):
    """Setting the password proved the invitee holds the link and chose the password: asking them
    to type it again at once was a second sign-in for nothing. Someone with an account already
    (no password set here) signs in as usual, unless they are that account already."""
    club_page = reverse(CLUB_PAGE, args=[club.slug])
    if password_just_set or request.user == user:
        if request.user != user:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to {club.name}. Next time, sign in with your username "
                                  f"{user.username} or your email.")
        return redirect(club_page)
    if request.user.is_authenticated:
        logout(request)
    messages.success(request, f"Welcome to {club.name}. Sign in with your username {user.username} or your email.")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': club_page})}")
