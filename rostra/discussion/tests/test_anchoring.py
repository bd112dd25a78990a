"""Anchors of passage comments follow the article through edits."""

from rostra.discussion.anchoring import (
    approximate_matches,
    plain_text,
    reanchor,
    selector_for,
)

P1 = (
    "The barrier will not protect against flooding from heavy rain, which is the cause "
    "of most damage in the lower town."
)
P2 = "Work starts in spring and should take three years, the council said."
PASSAGE = "will not protect against flooding from heavy rain"


def anchored(block_id="b1", text=P1, passage=PASSAGE):
    start = text.index(passage)
    return selector_for(block_id, text, start, start + len(passage))


def test_plain_text_is_the_text_with_whitespace_collapsed():
    html = (
        '<div class="block">\n  <p>One <b>bold</b>\n\n and <a href="/x">a&nbsp;link</a>.</p>'
        "<p>Two</p></div>"
    )
    assert plain_text(html) == "One bold and a link.Two"


def test_selector_has_quote_context_and_position():
    selector = anchored()
    assert selector.exact == PASSAGE
    assert selector.prefix == "The barrier "
    assert selector.suffix == P1[selector.end : selector.end + 32]
    assert len(selector.suffix) == 32


def test_unchanged_article_keeps_the_anchor():
    placement = reanchor(anchored(), [("b1", P1), ("b2", P2)])
    assert (placement.block_id, placement.method) == ("b1", "unchanged")


def test_text_inserted_before_the_passage():
    edited = "Update: the vote was unanimous. " + P1
    placement = reanchor(anchored(), [("b1", edited)])
    assert placement.method == "moved"
    assert edited[placement.start : placement.end] == PASSAGE


def test_edit_inside_the_passage_is_found_approximately():
    edited = P1.replace("heavy rain", "heavy rainfall").replace("protect", "fully protect")
    placement = reanchor(anchored(), [("b1", edited), ("b2", P2)])
    assert placement.method == "fuzzy" and placement.block_id == "b1"
    found = edited[placement.start : placement.end]
    assert found.startswith("will not fully protect") and "heavy rain" in found


def test_passage_deleted_orphans_the_anchor():
    edited = "The barrier protects the harbour. Most damage in the lower town comes from the sea."
    assert reanchor(anchored(), [("b1", edited), ("b2", P2)]) is None


def test_duplicated_passage_is_told_apart_by_its_context():
    text = "Trains run late. The council said so. Buses run late. The council said so again."
    second = text.rindex("The council said so")
    selector = selector_for("b1", text, second, second + len("The council said so"))
    edited = "Ferries too. " + text  # both occurrences move
    placement = reanchor(selector, [("b1", edited)])
    assert placement.start == edited.rindex("The council said so")


def test_block_moved_or_passage_moved_to_another_block():
    placement = reanchor(anchored(), [("b2", P2), ("b1", P1)])  # block order changed
    assert (placement.block_id, placement.method) == ("b1", "unchanged")
    moved = reanchor(anchored(), [("b2", P2), ("b3", "New paragraph. " + P1)])  # b1 gone
    assert (moved.block_id, moved.method) == ("b3", "other-block")


def test_block_deleted_orphans_the_anchor():
    assert reanchor(anchored(), [("b2", P2)]) is None


def test_approximate_matches_reports_errors_and_span():
    (errors, start, end), *_ = sorted(approximate_matches("flooding", "the flodding came", 2))
    assert errors == 1 and "the flodding came"[start:end] in {"flodding", "flodin", "floddin"}


def test_question_spans_give_passage_offsets_in_plain_text():
    from rostra.discussion.anchoring import question_spans

    html = (
        '<p>Intro  text.\n <span data-question-id="q1" data-question="Agree?"> The barrier'
        " <b>will</b> hold </span> for a century.</p>"
    )
    text = plain_text(html)
    (span,) = question_spans(html)
    assert (span.question_id, span.question) == ("q1", "Agree?")
    assert text[span.start : span.end] == "The barrier will hold"
