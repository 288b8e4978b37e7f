"""django-allauth's extension point: sign-up is closed, members come in by invitation.

Failed logins count per account, and mailed links come from PUBLIC_BASE_URL (clubs/sign_in.py).
"""

from allauth.account.adapter import DefaultAccountAdapter

from clubs import sign_in


class ClosedSignupAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    # allauth's own key is the typed login prefixed with the Host header, so a lockout held
    # neither for the member's email nor for another Host. This private hook is the one
    # allauth uses both to count failures and to clear them after a password reset;
    # tests/clubs/test_sign_in_limits.py fails if a new allauth stops calling it.
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        return sign_in.login_failure_key(credentials.get("email") or credentials.get("username") or "")

    def get_reset_password_from_key_url(self, key: str) -> str:
        return sign_in.public_url(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return sign_in.public_url(super().get_email_confirmation_url(request, emailconfirmation))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(template_prefix, email, {**context, "current_site": sign_in.public_site()})

    def format_email_subject(self, subject: str) -> str:
        return f"[{sign_in.public_site().name}] {subject}"
