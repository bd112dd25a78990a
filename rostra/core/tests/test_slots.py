"""Other apps fill publishing's template slots through hooks."""

from contextlib import ExitStack

import pytest
from django.template import Context, Template
from wagtail import hooks

from rostra.core import slots


def test_empty_slot_renders_an_empty_marker():
    html = Template('{% load rostra_slots %}{% slot "article.after_body" %}').render(Context())
    assert html == '<div class="slot" data-slot="article.after_body"></div>'


def test_registered_renderers_fill_the_slot_in_order():
    name = slots.hook_name("article.above_headline")
    with ExitStack() as stack:
        stack.enter_context(hooks.register_temporarily(name, lambda ctx: "<b>2</b>", order=10))
        stack.enter_context(
            hooks.register_temporarily(name, lambda ctx: f"<i>{ctx['who']}</i>", order=-10)
        )
        stack.enter_context(hooks.register_temporarily(name, lambda ctx: None))
        html = slots.render("article.above_headline", Context({"who": "1"}))
    assert html == '<div class="slot" data-slot="article.above_headline"><i>1</i><b>2</b></div>'


def test_slot_without_wrapper_for_the_document_head():
    with hooks.register_temporarily(slots.hook_name("base.head"), lambda ctx: "<meta x>"):
        html = slots.render("base.head", Context(), wrap=False)
    assert html.endswith("<meta x>")
    assert "<div" not in html


def test_unknown_slot_is_refused():
    with pytest.raises(KeyError, match="unknown slot"):
        slots.register("article.sidebar")
