"""Numbers as editors type them: "150.000" and "3,5" in Vietnamese, "150,000" and "3.5" in English.

Django's DecimalField reads only "150000" or "150000.5" (and the browser's number input refuses a
thousands separator), so a Vietnamese editor's "150.000" was refused as "too many decimal places".
These fields read and show numbers in the admin's active language.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

SPACES = re.compile(r"[\s\u00a0\u202f]")


def separators():
    return get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")


def parse_number(text):
    """The Decimal that `text` writes in the active language, or None if it writes none."""
    decimal, thousands = separators()
    text = SPACES.sub("", text)
    pattern = rf"-?(?:\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+|\d+)(?:{re.escape(decimal)}\d+)?"
    if not re.fullmatch(pattern, text):
        return None
    try:
        return Decimal(text.replace(thousands, "").replace(decimal, "."))
    except InvalidOperation:
        return None


def format_number(value):
    """`value` as the active language writes it, without trailing zeros: 150.000 or 3,5."""
    if value in (None, ""):
        return ""
    value = Decimal(value)
    whole = value == value.to_integral_value()
    value = value.quantize(Decimal(1)) if whole else value.normalize()
    decimal, thousands = separators()
    return numberformat.format(
        value, decimal, grouping=3, thousand_sep=thousands, force_grouping=True
    )


class LocalizedDecimalField(forms.DecimalField):
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        number = parse_number(str(value))
        if number is None:
            raise ValidationError(
                _("Enter a number such as %(example)s."),
                code="invalid",
                params={"example": format_number(Decimal("150000.5"))},
            )
        return number

    def prepare_value(self, value):
        if isinstance(value, (Decimal, int, float)):
            return format_number(value)
        return value

    def widget_attrs(self, widget):
        # Not Django's number input attributes (step, min, max): the text input takes separators.
        return forms.Field.widget_attrs(self, widget)


class NumberBlock(blocks.DecimalBlock):
    """A DecimalBlock that reads and shows numbers in the editor's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.field
        self.field = LocalizedDecimalField(
            required=field.required,
            help_text=field.help_text,
            max_value=field.max_value,
            min_value=field.min_value,
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
        )


class NumberField(models.DecimalField):
    """A DecimalField whose admin input reads numbers in the editor's language."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": LocalizedDecimalField, **kwargs})
