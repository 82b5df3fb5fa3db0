"""Links from the admin's account page to the allauth pages that replace Wagtail's own."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks


@hooks.register("register_account_menu_item")
def change_password_item(request):
    return {
        "url": reverse("account_change_password"),
        "label": _("Change password"),
        "help_text": _("Changing your password signs you out everywhere else."),
    }


@hooks.register("register_account_menu_item")
def two_factor_item(request):
    return {
        "url": reverse("mfa_index"),
        "label": _("Two-factor authentication"),
        "help_text": _("Your authenticator app and recovery codes."),
    }
