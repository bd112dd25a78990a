"""Guard rails of #19 item 7: every string a reader, editor or moderator sees goes
through a translation function (templates, Python and scripts)."""

from pathlib import Path

from rostra.core.translatable_text import findings_under, javascript_findings

REPO = Path(__file__).resolve().parents[3]


def test_every_shipped_string_is_translatable():
    """No template, module or script under rostra/ shows text outside a translation
    function (`python -m rostra.core.translatable_text rostra` lists what is left)."""
    found = findings_under(REPO / "rostra")
    assert found == [], "\n".join(map(str, found))


def _script(tmp_path, code: str) -> list[str]:
    path = tmp_path / "static" / "widget.js"
    path.parent.mkdir(exist_ok=True)
    path.write_text(code)
    return [finding.text for finding in javascript_findings(path)]


def test_scripts_showing_plain_text_are_found(tmp_path):
    """Literals put into the page or a dialog without gettext are findings, each once."""
    code = """
    button.textContent = "Copied";
    score.setAttribute("aria-label", "Score " + n);
    panel.innerHTML = '<p class="note">The comments could not be loaded.</p>';
    label.textContent = n === 1 ? "1 new comment" : n + " new comments";
    window.alert("Select a passage first.");
    """
    assert _script(tmp_path, code) == [
        "Copied",
        "Score",
        "The comments could not be loaded.",
        "1 new comment",
        "new comments",
        "Select a passage first.",
    ]


def test_scripts_through_the_catalog_pass(tmp_path):
    """gettext/ngettext/interpolate calls, markup without words, attribute and element
    names, and opted-out lines are no findings."""
    code = """
    // A comment may say "Copied" textContent = "x"
    button.textContent = gettext("Copied");
    score.setAttribute("aria-label", interpolate(gettext("Score %s"), [n]));
    label.textContent = interpolate(ngettext("%s new comment", "%s new comments", n), [n]);
    panel.setAttribute("aria-label", button.getAttribute("aria-label"));
    button.innerHTML = '<span class="passage__icon"></span>';
    mark.title = "Rostra"; // translatable: no
    """
    assert _script(tmp_path, code) == []
