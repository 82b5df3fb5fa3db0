"""What the Donate page and the donation block show: the account, the amounts and the QR code."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from giving import vietqr
from giving.qr import qr_svg
from pages.numbers import format_number

AMOUNT_PARAMETER = "amount"


def format_amount(value):
    """200.000 ₫ in Vietnamese, 200,000 VND in English."""
    return _("%(amount)s VND") % {"amount": format_number(value)}


def chosen_amount(request):
    """(amount, bad): the whole VND of ?amount=, and whether one was asked for but unusable."""
    raw = request.GET.get(AMOUNT_PARAMETER)
    if raw is None or raw == "":
        return None, False
    if not re.fullmatch(r"[0-9]{1,9}", raw) or not 1 <= int(raw) <= vietqr.MAX_AMOUNT:
        return None, True
    return int(raw), False


@dataclass
class Donation:
    account: object = None  # BankTransferSettings that show an account, else None
    options: list = field(default_factory=list)  # the suggested amounts as links
    other_amount_url: str = ""
    amount: int | None = None
    amount_label: str = ""
    bad_amount: bool = False
    message: str = ""
    qr: str = ""


def donation_for(request, account, amounts, code=""):
    """What to show for a transfer to `account` (BankTransferSettings or None) of one of
    `amounts` (whole VND), the message naming a programme's `code`."""
    if request is None or account is None or not account.shows_account:
        return Donation()
    amount, bad = chosen_amount(request)
    path = request.path
    donation = Donation(
        account=account,
        options=[
            {
                "label": format_amount(value),
                "url": f"{path}?{AMOUNT_PARAMETER}={value}#donation",
                "selected": value == amount,
            }
            for value in dict.fromkeys(int(value) for value in amounts if value)
        ],
        other_amount_url=f"{path}#donation",
        amount=amount,
        amount_label=format_amount(amount) if amount else "",
        bad_amount=bad,
        message=vietqr.transfer_message(account.message_prefix, code),
    )
    if account.makes_qr:
        text = vietqr.payload(account.bank_bin, account.account_number, amount, donation.message)
        details = {
            "amount": donation.amount_label,
            "holder": account.account_holder,
            "account": account.account_number,
            "bank": account.bank_name,
        }
        if amount:
            title = _(
                "VietQR code for a bank transfer of %(amount)s to %(holder)s, account "
                "%(account)s at %(bank)s"
            )
        else:
            title = _(
                "VietQR code for a bank transfer to %(holder)s, account %(account)s at %(bank)s"
            )
        donation.qr = qr_svg(text, title % details)
    return donation
