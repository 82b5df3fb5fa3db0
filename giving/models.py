import re

from django.core.validators import RegexValidator
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from giving import vietqr
from giving.blocks import AmountBlock
from giving.donation import donation_for
from pages.blocks import RICH_TEXT_FEATURES
from pages.models import BasePage
from pages.models.settings import VisitorSiteSetting

# Eight characters (bank, country, place) and an optional three-character branch.
SWIFT_PATTERN = r"[A-Za-z]{6}[0-9A-Za-z]{2}(?:[0-9A-Za-z]{3})?"


@register_setting(icon="form")
class BankTransferSettings(VisitorSiteSetting):
    """The account that donations go to, and the transfer message that marks them.

    Not translated: an account is the same in every language. Left blank, the Donate page says
    that the details are not available yet instead of showing any.
    """

    bank_name = models.CharField(
        pgettext_lazy("bank transfer", "bank"),
        max_length=100,
        blank=True,
        help_text=_("E.g. Vietcombank."),
    )
    bank_bin = models.CharField(
        _("bank code (BIN)"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(rf"^{vietqr.BIN_PATTERN}$", _("Enter the six digits."))],
        help_text=_(
            "The bank's six-digit code in the NAPAS 247 network (970436 is Vietcombank); your "
            "bank can confirm it. Needed for the VietQR code."
        ),
    )
    branch = models.CharField(pgettext_lazy("bank transfer", "branch"), max_length=200, blank=True)
    account_number = models.CharField(
        pgettext_lazy("bank transfer", "account number"),
        max_length=19,
        blank=True,
        validators=[
            RegexValidator(
                rf"^{vietqr.ACCOUNT_PATTERN}$",
                _("Enter digits and letters only, without spaces (at most 19)."),
            )
        ],
    )
    account_holder = models.CharField(
        pgettext_lazy("bank transfer", "account holder"),
        max_length=100,
        blank=True,
        help_text=_("The name exactly as the bank shows it to the person transferring."),
    )
    swift_code = models.CharField(
        _("SWIFT/BIC code"),
        max_length=11,
        blank=True,
        validators=[
            RegexValidator(
                rf"^{SWIFT_PATTERN}$", _("A SWIFT/BIC code has 8 or 11 letters and digits.")
            )
        ],
        help_text=_("For transfers from abroad, e.g. BFTVVNVX."),
    )
    message_prefix = models.CharField(
        pgettext_lazy("bank transfer", "transfer message"),
        max_length=15,
        default="UNG HO",
        help_text=_(
            "Starts the message of every donation, followed by the programme's short code on "
            "programme pages. Banks take letters and digits without diacritics only; others "
            "are left out."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("bank_name"),
                FieldPanel("bank_bin"),
                FieldPanel("branch"),
                FieldPanel("account_number"),
                FieldPanel("account_holder"),
            ],
            heading=pgettext_lazy("bank transfer", "Account"),
        ),
        FieldPanel("swift_code"),
        FieldPanel("message_prefix"),
    ]

    class Meta:
        verbose_name = _("bank transfer details")

    def clean(self):
        super().clean()
        self.swift_code = self.swift_code.upper()
        self.account_holder = " ".join(self.account_holder.split())

    @property
    def shows_account(self):
        """Whether there is an account to show: a bank, a number and whose it is."""
        return bool(self.bank_name and self.account_number and self.account_holder)

    @property
    def makes_qr(self):
        return self.shows_account and bool(
            re.fullmatch(vietqr.BIN_PATTERN, self.bank_bin)
            and re.fullmatch(vietqr.ACCOUNT_PATTERN, self.account_number)
        )


class DonatePage(BasePage):
    """How to give: the organisation's bank account, with a VietQR code and suggested amounts.

    No payment goes through the site and nothing about donors is kept: visitors transfer from
    their own bank.
    """

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    suggested_amounts = StreamField(
        [("amount", AmountBlock())],
        verbose_name=pgettext_lazy("bank transfer", "suggested amounts"),
        blank=True,
        help_text=_("Visitors choose one to put it in the QR code, or type their own."),
    )

    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("suggested_amounts")]

    class Meta:
        verbose_name = _("donate page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        amounts = [block.value for block in self.suggested_amounts]
        context["donation"] = donation_for(
            request, BankTransferSettings.for_visitor(request), amounts
        )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # A mistyped ?amount= still shows the page, with a note, but it is not a page to keep.
        if isinstance(response, TemplateResponse) and response.context_data["donation"].bad_amount:
            response.status_code = 400
        return response
