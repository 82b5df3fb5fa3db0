"""Number fields read what an editor types in the admin's language."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pages.blocks import FigureBlock
from pages.numbers import LocalizedDecimalField, format_number
from programmes.models import ProgrammePage

READS = {
    "vi": {
        "150.000": Decimal("150000"),
        "150000": Decimal("150000"),
        "1.234.567,5": Decimal("1234567.5"),
        "3,5": Decimal("3.5"),
        " 150 000 ": Decimal("150000"),
        "-12,25": Decimal("-12.25"),
    },
    "en": {
        "150,000": Decimal("150000"),
        "150000": Decimal("150000"),
        "1,234,567.5": Decimal("1234567.5"),
        "3.5": Decimal("3.5"),
    },
}
REFUSED = {"vi": ["150.00", "3.5", "1.2.3", "abc", "150,000.5"], "en": ["150.00,5", "1,23", "x"]}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_numbers_in_the_admins_language(language):
    field = LocalizedDecimalField(decimal_places=2, max_digits=14)
    with translation.override(language):
        for text, number in READS[language].items():
            assert field.clean(text) == number, text
        for text in REFUSED[language]:
            with pytest.raises(ValidationError) as refused:
                field.clean(text)
            # The error shows how to write a number in this language.
            assert format_number(Decimal("150000.5")) in str(refused.value)


def test_numbers_are_shown_as_the_language_writes_them():
    field = LocalizedDecimalField()
    with translation.override("vi"):
        assert field.prepare_value(Decimal("150000.00")) == "150.000"
        assert field.prepare_value(Decimal("3.50")) == "3,5"
    with translation.override("en"):
        assert field.prepare_value(Decimal("150000.00")) == "150,000"


def test_a_figure_block_takes_a_vietnamese_figure():
    block = FigureBlock()
    with translation.override("vi"):
        value = block.child_blocks["value"].clean(
            block.child_blocks["value"].field.clean("150.000")
        )
    assert value == Decimal("150000")
    assert "150.000" in str(block.child_blocks["value"].get_form_state(Decimal("150000")))


@pytest.mark.django_db
def test_a_programme_budget_in_the_vietnamese_admin():
    form_class = ProgrammePage.get_edit_handler().get_form_class()
    field = form_class.formsets["budgets"].form.base_fields["value"]
    with translation.override("vi"):
        assert field.clean("150.000.000") == Decimal("150000000")
    assert 'inputmode="decimal"' in field.widget.render("budget", "1")
