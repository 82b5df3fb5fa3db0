"""How allauth behaves here: no public sign-up, a locked-out login answers 429, mail may fail."""

import logging
from smtplib import SMTPException

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.core.exceptions import ValidationError

from config import internals

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """A mail server that is down must not turn a password reset into an error page.

        The visitor gets the usual "we have sent you an email" answer, which never says whether
        the address has an account anyway, and can ask again; the failure is logged.
        """
        try:
            super().send_mail(template_prefix, email, context)
        except (SMTPException, OSError):
            logger.exception("Could not send the %s email", template_prefix)

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

    def is_reauthentication_required(self, *, app, **kwargs):
        """A sign-in within the reauthentication window counts as confirming the password.

        allauth counts only an explicit reauthentication, so staff sent to enrol in two-factor
        authentication right after signing in were asked for their password a second time.
        """
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        return request is None or not internals.authenticated_within(
            request, app_settings.REAUTHENTICATION_TIMEOUT
        )
