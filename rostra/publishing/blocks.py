"""The blocks an article body is made of.

Every block in a StreamField keeps a stable id; the inline-feedback feature anchors
reader comments to a paragraph by that id, so blocks are never re-created on save.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = [
    "bold", "italic", "link", "ol", "ul", "superscript", "subscript", "question",
]  # fmt: skip


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Subheading"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "publishing/blocks/heading.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "publishing/blocks/figure.html"


class RemoteImageBlock(blocks.StructBlock):
    """An image kept at its original address, as imported articles carry them."""

    url = blocks.URLBlock(max_length=1000)
    alt = blocks.CharBlock(required=False, max_length=300, help_text=_("Text for screen readers."))
    caption = blocks.CharBlock(required=False, max_length=300)
    link = blocks.URLBlock(required=False, max_length=1000)

    class Meta:
        icon = "image"
        label = _("Image by address")
        template = "publishing/blocks/remote_image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "publishing/blocks/quote.html"


class EmbedFigureBlock(blocks.StructBlock):
    embed = EmbedBlock(help_text=_("Address of a video, post or map (oEmbed)."))
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "media"
        template = "publishing/blocks/embed.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, template="publishing/blocks/paragraph.html"
    )
    heading = HeadingBlock()
    image = FigureBlock()
    remote_image = RemoteImageBlock()
    quote = QuoteBlock()
    embed = EmbedFigureBlock()
