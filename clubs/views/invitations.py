from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from clubs.forms import SetPasswordForm
from core.form_errors import add_service_error
from clubs.services import invitation_accept, invitation_lookup


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept_view(request, token: str):
    invitation = invitation_lookup(token)
    if invitation is None:
        return render(request, "clubs/invitation_invalid.html", status=404)
    user = invitation.membership.user
    needs_password = not user.has_usable_password()
    form = SetPasswordForm(request.POST or None, user=user) if needs_password else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            invitation_accept(token=token, password=form.cleaned_data["password1"] if form else "")
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect("account_login")
            add_service_error(form, exc)
        else:
            if request.user.is_authenticated and request.user != user:
                logout(request)
            messages.success(request, f"Welcome to {invitation.membership.organization.name}. Sign in with "
                                      f"your username {user.username} or your email.")
            return redirect("account_login")
    return render(request, "clubs/invitation_accept.html", {"invitation": invitation, "form": form})
