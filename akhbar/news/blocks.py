"""Body blocks of an article: the parts of a news story (see shared reference ANATOMY.md).

Paragraph (rich text, lists included), crosshead (``<h2>``), quote with
attribution, figure (image, alt text or an explicit decorative mark, caption,
photo credit), embed, table (with caption and header row/column), separator.
Templates live in ``theme/templates/news/blocks/``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class CrossheadBlock(blocks.CharBlock):
    """A subheading inside the body, rendered as ``<h2>`` (the page has one ``<h1>``)."""

    class Meta:
        icon = "title"
        label = _("Crosshead")
        template = "news/blocks/crosshead.html"


class QuoteBlock(blocks.StructBlock):
    """Quoted speech with its attribution (who said it)."""

    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "news/blocks/quote.html"


class FigureBlock(blocks.StructBlock):
    """An image with alt text, caption and photo credit as separate fields.

    Validation (``clean``): alt text is required unless ``decorative`` is
    ticked (then ``alt=""``); a credit is required unless the image itself
    carries one. Raises ``StructBlockValidationError`` naming the field.
    """

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alt text"),
        required=False,
        max_length=500,
        help_text=_("What the image shows, for readers who cannot see it. Leave empty only for decorative images."),
    )
    decorative = blocks.BooleanBlock(
        label=_("Decorative"), required=False, help_text=_("Tick if the image adds no information (alt will be empty).")
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=1000)
    credit = blocks.CharBlock(
        label=_("Photo credit"), required=False, max_length=255, help_text=_("Defaults to the image's own credit.")
    )

    class Meta:
        icon = "image"
        label = _("Figure")
        template = "news/blocks/figure.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        image = value.get("image")
        if image is not None:
            if not value.get("decorative") and not (value.get("alt_text") or getattr(image, "description", "")):
                errors["alt_text"] = ValidationError(_("Describe the image, or mark it as decorative."))
            if not (value.get("credit") or getattr(image, "credit", "")):
                errors["credit"] = ValidationError(_("A photo needs a credit."))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        image = value.get("image")
        context["alt"] = "" if value.get("decorative") else (value.get("alt_text") or getattr(image, "description", ""))
        context["credit"] = value.get("credit") or getattr(image, "credit", "")
        return context


class SeparatorBlock(blocks.StaticBlock):
    class Meta:
        icon = "horizontalrule"
        label = _("Separator")
        admin_text = _("A horizontal rule between parts of the story.")
        template = "news/blocks/separator.html"


class DataTableBlock(TableBlock):
    """A table of figures (results, prices, tallies): caption, optional header row / column.

    Cells are plain text (escaped when shown). The value is Wagtail's
    ``TableBlock`` value: ``{"data": [[str]], "first_row_is_table_header",
    "first_col_is_header", "table_caption", "table_header_choice"}``.
    """

    class Meta:
        icon = "table"
        label = _("Table")
        template = "news/blocks/table.html"


class ArticleBodyBlock(blocks.StreamBlock):
    """The body of an article: an ordered stream of the blocks above."""

    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, label=_("Paragraph"), template="news/blocks/paragraph.html")
    crosshead = CrossheadBlock()
    quote = QuoteBlock()
    figure = FigureBlock()
    embed = EmbedBlock(label=_("Embed"), help_text=_("Link to a video or post (YouTube, X, ...)"), template="news/blocks/embed.html")
    separator = SeparatorBlock()
    table = DataTableBlock(table_options={"renderer": "text", "contextMenu": True})
