"""Where a gift came from: the article and the place on the site where the reader was
asked, carried first-party from the ask into the checkout and back with the payment.
Nothing here trusts what it is given: an unknown position or article is recorded as
none."""

from rostra.funding.models import AskPosition


def ask_position(value) -> str:
    """`value` if it names an ask position, else ""."""
    return value if isinstance(value, str) and value in AskPosition.values else ""


def ask_article_id(value) -> int | None:
    """The id of a live article that `value` names, else None (never an error)."""
    from rostra.publishing.models import ArticlePage

    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    article_id = int(text)
    return article_id if ArticlePage.objects.filter(pk=article_id).exists() else None
