"""Article HTML from other systems becomes safe article blocks."""

from rostra.transfer.html_body import html_to_blocks


def kinds(blocks):
    return [b["type"] for b in blocks]


def test_classic_wordpress_paragraphs_headings_quotes_and_images():
    blocks = html_to_blocks(
        "First line\nsecond line\n\nNext <strong>para</strong> with "
        '<a href="https://example.org/x">a link</a>.\n\n<h3>Sub</h3>\n'
        "<blockquote><p>Quoted.</p><cite>Someone</cite></blockquote>\n"
        '[caption id="a1" width="300"]<img src="https://cdn.example/p.jpg" alt="Pier"> '
        "The pier at dawn[/caption]"
    )
    assert kinds(blocks) == ["paragraph", "paragraph", "heading", "quote", "remote_image"]
    assert blocks[0]["value"] == "<p>First line<br/>second line</p>"
    assert blocks[1]["value"] == (
        '<p>Next <b>para</b> with <a href="https://example.org/x">a link</a>.</p>'
    )
    assert blocks[2]["value"] == {"text": "Sub", "level": "h3"}
    assert blocks[3]["value"] == {"text": "Quoted.", "attribution": "Someone"}
    assert blocks[4]["value"]["url"] == "https://cdn.example/p.jpg"
    assert blocks[4]["value"]["caption"] == "The pier at dawn"


def test_hostile_markup_is_reduced_to_text():
    blocks = html_to_blocks(
        '<p onclick="steal()">Hi <a href="javascript:alert(1)">there</a>'
        '<a href=" java&#x73;cript:alert(2)">you</a><script>alert(3)</script>'
        '<img src="x" onerror="alert(4)"><iframe src="data:text/html,x"></iframe></p>'
        '<style>body{display:none}</style><a href="data:text/html,x">d</a>'
    )
    markup = " ".join(str(b["value"]) for b in blocks)
    for bad in ("javascript", "onclick", "onerror", "alert(3)", "<script", "data:", "display"):
        assert bad not in markup
    assert "Hi there" in markup and "you" in markup


def test_block_editor_comments_and_empty_content():
    assert html_to_blocks("") == []
    blocks = html_to_blocks(
        "<!-- wp:paragraph -->\n<p>Block editor text</p>\n<!-- /wp:paragraph -->"
    )
    assert [b["value"] for b in blocks] == ["<p>Block editor text</p>"]
