"""How allauth behaves here: no public sign-up, and a locked-out login answers 429."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.core.exceptions import ValidationError


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Administrators create staff accounts; /accounts/signup/ says registration is closed."""
        return False

    def pre_authenticate(self, request, **credentials):
        """allauth shows repeated failures as a form error; refuse them with HTTP 429 instead.

        The limits (ACCOUNT_RATE_LIMITS["login_failed"]: per address and per account) are
        counted in the shared cache, so they hold across worker processes.
        """
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                raise ImmediateHttpResponse(respond_429(request)) from error
            raise
