"""The blocks of giving: an amount in VND, and the donation box a programme page can show."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks

from giving.vietqr import MAX_AMOUNT
from pages.blocks import RICH_TEXT_FEATURES
from pages.numbers import NumberBlock


class AmountBlock(NumberBlock):
    """A whole number of VND, typed as the editor writes numbers: 200.000 or 200,000."""

    def __init__(self, **kwargs):
        super().__init__(
            min_value=1, max_value=MAX_AMOUNT, max_digits=9, decimal_places=0, **kwargs
        )

    class Meta:
        icon = "decimal"
        label = _("Amount (VND)")


class DonationBlock(blocks.StructBlock):
    """The organisation's bank account and a VietQR code whose message names the programme."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES, required=False)
    amounts = blocks.ListBlock(
        AmountBlock(),
        label=pgettext_lazy("bank transfer", "Suggested amounts"),
        default=[],
        help_text=_("Visitors choose one to put it in the QR code, or type their own."),
    )

    class Meta:
        icon = "pick"
        label = pgettext_lazy("bank transfer", "Donation")
        template = "giving/blocks/donation.html"
        description = _(
            "The bank account from the site's bank transfer settings, with a VietQR code whose "
            "transfer message names this programme."
        )
        preview_value = {
            "heading": "Ủng hộ chương trình",
            "text": "<p>Mỗi khoản đóng góp đều đến tận tay cộng đồng.</p>",
            "amounts": [100000, 200000, 500000],
        }
