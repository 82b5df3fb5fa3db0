"""StreamField blocks shared by every page type. Each block renders through its own template."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from pages.numbers import NumberBlock
from pages.renditions import prefetch_renditions

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading (h2)")), ("h3", _("Sub-heading (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"
        description = _("A section heading; use levels in order for screen readers.")
        preview_value = {"text": "Phòng chống bạo lực trên cơ sở giới", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "blocks/paragraph.html"
        description = _("Text with bold, italic, links and lists.")
        preview_value = "<p>Chúng tôi đồng hành cùng cộng đồng.</p>"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"
        description = _("A highlighted quotation.")
        preview_value = {"text": "Mỗi người đều có quyền quyết định tương lai của mình."}


class PrefetchingImageBlock(ImageBlock):
    """Wagtail's ImageBlock, with the renditions of a stream's images fetched in one query.

    Otherwise each image asks the cache for its renditions, and Wagtail writes them back to
    it, on every render.
    """

    def bulk_to_python(self, values):
        images = super().bulk_to_python(values)
        prefetch_renditions(images)
        return images


class CaptionedImageBlock(blocks.StructBlock):
    """Wagtail's ImageBlock (alt text per use, a decorative flag) with an optional caption."""

    image = PrefetchingImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)
    credit = blocks.CharBlock(
        label=_("Credit"),
        required=False,
        max_length=200,
        help_text=_("Who took or made the image, e.g. “Photo: LIGHT”."),
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"
        description = _("An image with alt text, and an optional caption and credit.")


class FigureBlock(blocks.StructBlock):
    value = NumberBlock(label=_("Value"), decimal_places=2)
    value_to = NumberBlock(
        label=_("Upper value"),
        required=False,
        decimal_places=2,
        help_text=_("For a range such as 40–60%; leave empty for a single value."),
    )
    approximate = blocks.BooleanBlock(
        label=_("Approximate"), required=False, help_text=_('Shows "about" before the value.')
    )
    unit = blocks.ChoiceBlock(
        label=_("Unit"),
        required=False,
        choices=[("+", _("+ (more than)")), ("%", _("% (per cent)"))],
    )
    label = blocks.CharBlock(label=_("Label"), max_length=200, help_text=_("What is counted."))
    context = blocks.CharBlock(label=_("Context"), required=False, max_length=300)
    source = blocks.CharBlock(label=_("Source"), required=False, max_length=200)
    as_of = blocks.DateBlock(label=_("As of"), required=False)

    def clean(self, value):
        cleaned = super().clean(value)
        if cleaned.get("value_to") is not None and cleaned["value_to"] <= cleaned["value"]:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "value_to": ValidationError(_("The upper value must be larger than the value."))
                }
            )
        return cleaned

    class Meta:
        icon = "order"
        label = _("Figure")
        template = "blocks/figure.html"
        description = _("A headline figure: value, unit, label, context and source.")
        preview_value = {"value": Decimal(150000), "unit": "+", "label": "lượt người được tư vấn"}


class FiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    figures = blocks.ListBlock(FigureBlock(), label=_("Figures"), min_num=1)

    class Meta:
        icon = "table"
        label = _("Headline figures")
        template = "blocks/figures.html"
        description = _("A row of headline figures.")


class ValueBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    description = blocks.TextBlock(label=_("Description"))

    class Meta:
        icon = "pick"
        label = _("Value")
        template = "blocks/value.html"
        description = _("One of the organisation's values.")
        preview_value = {"title": "Bình đẳng", "description": "Ai cũng có năng lực để phát triển."}


class MilestoneBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("Date"))
    precision = blocks.ChoiceBlock(
        label=_("Date precision"),
        choices=[("day", _("Day")), ("month", _("Month")), ("year", _("Year"))],
        default="year",
        help_text=_("How much of the date to show: 2007, August 2007 or 1 August 2007."),
    )
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = ParagraphBlock(label=_("Text"), required=False)
    image = PrefetchingImageBlock(label=_("Image"), required=False)

    class Meta:
        icon = "date"
        label = _("Milestone")
        template = "blocks/milestone.html"
        description = _("A dated step in the organisation's history.")
        preview_value = {
            "date": datetime.date(2007, 8, 1),
            "precision": "day",
            "title": "Thành lập",
        }


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "blocks/document_link.html"
        description = _("A link to a report or other document.")


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    quote = QuoteBlock()
    image = CaptionedImageBlock()
    figures = FiguresBlock()
    document = DocumentLinkBlock()

    class Meta:
        template = "blocks/body.html"
