"""Export files made to measure, for tests and `make bench`."""

import random
from pathlib import Path
from xml.sax.saxutils import escape

SECTIONS = ["News", "Politics", "Culture", "Sport", "Environment", "Business"]
WORDS = [
    "council", "harbour", "flood", "barrier", "vote", "budget", "school", "river", "market",
    "festival", "road", "library", "ferry", "museum", "weather", "report", "residents",
    "plan", "hearing", "evidence", "choir",
]  # fmt: skip
SITE = "https://gazette.example"


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_wxr(
    path: Path, *, posts: int, comments: int, seed: int = 7, early_replies: float = 0.0
) -> None:
    """A WordPress WXR export of `posts` posts sharing `comments` comments: a third of
    them replies to an earlier comment of their post, and a share `early_replies`
    replies to the comment that follows them in the file (as exports ordered by date
    have it when clocks were skewed)."""
    rng = random.Random(seed)  # noqa: S311 - made-up content, not secrets
    per_post = comments // posts
    comment_id = answered_early = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            f"<title>Bench Gazette</title><link>{SITE}</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>"
            f"<wp:base_site_url>{SITE}</wp:base_site_url>\n"
        )
        for post in range(1, posts + 1):
            day = f"2020-{1 + post % 12:02d}-{1 + post % 28:02d} {post % 24:02d}:15:00"
            paragraphs = "\n\n".join(_sentence(rng, 40) for _ in range(4))
            out.write(
                f"<item><title>{escape(_sentence(rng, 6))}</title>"
                f"<link>{SITE}/{post}/</link>"
                f"<dc:creator>author{post % 7}</dc:creator>"
                f"<content:encoded><![CDATA[<h2>{_sentence(rng, 4)}</h2>\n{paragraphs}]]>"
                "</content:encoded>"
                f"<wp:post_id>{post}</wp:post_id><wp:post_date_gmt>{day}</wp:post_date_gmt>"
                f"<wp:post_name>story-{post}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type><wp:comment_status>open</wp:comment_status>"
                f'<category domain="category" nicename="x">{SECTIONS[post % len(SECTIONS)]}'
                "</category>"
                f'<category domain="post_tag" nicename="t">tag{post % 50}</category>\n'
            )
            first = comment_id + 1
            for _ in range(per_post):
                comment_id += 1
                chance = rng.random()
                if comment_id == answered_early:  # its reply came first: no loops
                    parent = 0
                elif chance < early_replies and comment_id < first + per_post - 1:
                    parent = answered_early = comment_id + 1
                elif comment_id > first and chance < early_replies + 0.33:
                    parent = rng.randrange(first, comment_id)
                else:
                    parent = 0
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>Reader {comment_id % 997}</wp:comment_author>"
                    f"<wp:comment_author_email>r{comment_id % 997}@example.org"
                    "</wp:comment_author_email>"
                    f"<wp:comment_author_IP>10.0.{comment_id % 250}.{comment_id % 200}"
                    "</wp:comment_author_IP>"
                    f"<wp:comment_date_gmt>{day}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{escape(_sentence(rng, 25))}</wp:comment_content>"
                    "<wp:comment_approved>1</wp:comment_approved>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
                )
            out.write("</item>\n")
        out.write("</channel></rss>\n")
