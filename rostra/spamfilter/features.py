"""A comment as the model sees it: hashed word and character n-grams of the folded
text, plus a few signals about its links and its author.

Each feature is a string ("w:free", "c:cas", "links:2") hashed with CRC-32 into one of
2**18 buckets, so the model is a fixed-size table of weights whatever the language or
the vocabulary, and the serving processes need neither the vocabulary nor numpy to
score. Text features are present or absent, scaled so that a long comment does not
outweigh a short one (their squares sum to 1); signals count SIGNAL_VALUE each.

Each feature also carries what a moderator would recognise it by (its "origin": the
word a character n-gram came from, "3 links"): the reasons shown for a score.
"""

import zlib
from dataclasses import dataclass, field
from itertools import pairwise
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rostra.spamfilter.folding import LINK, links, undisguise, words

BUCKETS = 2**18
MASK = BUCKETS - 1
CHAR_NGRAMS = (3, 4, 5)
MAX_TEXT = 3000  # characters read: enough to judge, and a bounded cost per post
# Signals weigh like a word of a ten-word comment: they tip a verdict, but the text
# decides it (a model leaning on "no links" or a length would be easy to walk around).
SIGNAL_VALUE = 0.3
FEATURES_VERSION = 1  # stored with each model; a model of another version is not used


@dataclass(frozen=True)
class Signals:
    """What is known about a comment besides its text, as of when it was posted."""

    name: str = ""
    website: str = ""
    earlier: int = 0  # the author's earlier comments, any status
    approved: int = 0  # ... of them approved
    rejected: int = 0  # ... of them marked spam or removed
    repeated_elsewhere: bool = False  # the same text in another thread in the past week
    own_hosts: frozenset[str] = field(default_factory=frozenset)  # the site's own


def _bucket(count: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if count <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _host(address: str) -> str:
    if not address.lower().startswith(("http://", "https://")):
        address = "http://" + address
    try:
        host = (urlsplit(address).hostname or "").removeprefix("www.")
    except ValueError:
        return ""
    return host


def signal_features(text: str, signals: Signals) -> dict[str, str]:
    """The signals as features, each with its reason for a moderator (in the language
    active when the comment is scored: the reasons are stored with its score)."""
    found: dict[str, str] = {}
    hosts = [_host(address) for address in links(text)]
    if signals.website:
        hosts.append(_host(signals.website))
        found["website"] = _("gave a website")
    outside = [host for host in hosts if host and host not in signals.own_hosts]
    found[f"links:{_bucket(len(outside), (0, 1, 2, 4))}"] = ngettext(
        "%(count)d link", "%(count)d links", len(outside)
    ) % {"count": len(outside)}
    for host in dict.fromkeys(outside):
        links_to = _("links to %(host)s") % {"host": host}
        found[f"domain:{host}"] = links_to
        parts = host.split(".")
        if len(parts) > 2:
            found[f"domain:{'.'.join(parts[-2:])}"] = links_to
    if signals.earlier == 0:
        found["first-comment"] = _("first comment of this author")
    else:
        found[f"approved:{_bucket(signals.approved, (0, 2, 10))}"] = ngettext(
            "%(count)d earlier comment approved",
            "%(count)d earlier comments approved",
            signals.approved,
        ) % {"count": signals.approved}
        if signals.rejected:
            found[f"rejected:{_bucket(signals.rejected, (1, 3))}"] = ngettext(
                "%(count)d earlier comment rejected",
                "%(count)d earlier comments rejected",
                signals.rejected,
            ) % {"count": signals.rejected}
    if signals.repeated_elsewhere:
        found["repeated"] = _("same text posted in another discussion")
    letters = [ch for ch in "".join(links_removed(text)) if ch.isalpha()]
    found[f"length:{_bucket(len(text), (20, 60, 200, 800, 2000))}"] = ngettext(
        "%(count)d character", "%(count)d characters", len(text)
    ) % {"count": len(text)}
    if len(letters) >= 12:
        capitals = sum(ch.isupper() for ch in letters) / len(letters)
        if capitals >= 0.3:
            found[f"capitals:{_bucket(int(capitals * 10), (4, 7))}"] = _(
                "%(percent)s capital letters"
            ) % {"percent": f"{capitals:.0%}"}
    return found


def text_features(text: str) -> dict[str, str]:
    """Word unigrams and bigrams and character 3- to 5-grams of the folded text, each
    with the word(s) it came from."""
    folded = undisguise(" ".join(links_removed(text[:MAX_TEXT])))
    found: dict[str, str] = {}
    tokens = words(folded)
    for word in dict.fromkeys(tokens):
        found[f"w:{word}"] = word
        padded = f" {word} "
        for size in CHAR_NGRAMS:
            for start in range(len(padded) - size + 1):
                found.setdefault(f"c:{padded[start : start + size]}", word)
    for first, second in pairwise(tokens):
        found[f"b:{first} {second}"] = f"{first} {second}"
    return found


def links_removed(text: str) -> list[str]:
    """The text's parts between web addresses (the addresses are signals of their own)."""
    parts, end = [], 0
    for match in LINK.finditer(text):
        parts.append(text[end : match.start()])
        end = match.end()
    parts.append(text[end:])
    return parts


def hashed(text: str, signals: Signals) -> list[tuple[int, float, str]]:
    """The comment's features as (bucket, value, reason)."""
    text_found = text_features(text)
    scale = 1.0 / len(text_found) ** 0.5 if text_found else 0.0
    rows = [
        (zlib.crc32(name.encode()) & MASK, scale, origin) for name, origin in text_found.items()
    ]
    rows.extend(
        (zlib.crc32(f"s:{name}".encode()) & MASK, SIGNAL_VALUE, origin)
        for name, origin in signal_features(text, signals).items()
    )
    return rows
