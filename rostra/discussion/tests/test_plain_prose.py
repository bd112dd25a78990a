"""Plain prose is rendered without the Markdown parser, to exactly the same HTML."""

import random

import pytest

from rostra.discussion.text import (
    _plain_prose_html,
    _sanitised_markdown,
    is_plain_prose,
    normalise,
    render_markdown,
)

EVERYDAY_COMMENTS = [
    "Thanks for this, it's a good read.",
    'Will the barrier hold? The "engineers" (and the council) say so; I doubt it!',
    "First paragraph.\n\nSecond one, after a blank line.\nAnd a line of its own.",
    "Schöne Grüße aus Köln: danke für den Artikel.",
    "Спасибо за статью. Когда откроют дорогу?",
    "شكرا على المقال",
    "Well... maybe. We'll see - or not. 8/3 of us agree.",
    "bench 8/3 post 12",
]

# Texts that look plain but are not: each must go through the parser.
NOT_PLAIN = [
    "see example.org",
    "http://example.org",
    "//example.org/path",
    "mail me at a@example.org",
    "1. a list",
    "2) a list",
    "- a bullet",
    "+ a bullet",
    "    indented code",
    "a hard  \nbreak",
    "*em* and _em_",
    "~~struck~~",
    "`code`",
    "a & b",
    "a < b",
    "> quoted",
    "# heading",
    "a\\b",
    "[link](x)",
    "12:30 ok",
    "a.b",
    "mailto:x",
]


@pytest.mark.parametrize("body", EVERYDAY_COMMENTS)
def test_everyday_comments_take_the_plain_path_and_render_as_markdown_would(body):
    """Ordinary prose in any script skips the parser and gives the parser's HTML."""
    assert is_plain_prose(body)
    assert render_markdown(body) == _sanitised_markdown(body)


@pytest.mark.parametrize("body", NOT_PLAIN)
def test_text_with_any_markdown_link_or_markup_meaning_goes_through_the_parser(body):
    """Lists, links, code, emphasis, entities, hard breaks: never the plain path."""
    assert not is_plain_prose(body)


def test_every_text_the_plain_path_accepts_renders_exactly_as_markdown_would():
    """Thousands of random texts made of letters, digits, spaces, line breaks and every
    punctuation mark that matters to Markdown or linkify: wherever the plain path is
    taken, its HTML is byte for byte what markdown-it and the sanitiser give."""
    common, rare = list("ab zé1 \n.,;:!?'\"()-/"), [*"*_[]<>&#`~\\@+=|\t", "www", "com"]
    alphabet, weights = common + rare, [10] * len(common) + [1] * len(rare)
    generator = random.Random(14)
    taken = 0
    for _ in range(4000):
        length = generator.randint(1, 40)
        text = normalise("".join(generator.choices(alphabet, weights, k=length)))
        if text and is_plain_prose(text):
            taken += 1
            assert _plain_prose_html(text) == _sanitised_markdown(text), repr(text)
    assert taken > 250  # the generator does reach the plain path, hundreds of times
