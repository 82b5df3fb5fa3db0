from django import template

from giving.donation import donation_for
from giving.models import BankTransferSettings

register = template.Library()


@register.simple_tag(takes_context=True)
def donation(context, amounts, page=None):
    """What the donation block shows (giving.donation), its message naming the page's code."""
    request = context.get("request")
    account = BankTransferSettings.for_visitor(request) if request is not None else None
    return donation_for(request, account, amounts or [], getattr(page, "code", ""))
