"""Import benchmark: `make bench`.

Generates a WordPress WXR export with 10,000 posts and 100,000 comments (a third of
them replies), then runs `rostra import` on it in a fresh SQLite data directory and
reports wall time, rate and the peak memory of the import process. Targets (issue #7):
<= 60 s and <= 300 MB.
"""

import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

POSTS = int(os.environ.get("BENCH_IMPORT_POSTS", "10000"))
COMMENTS = int(os.environ.get("BENCH_IMPORT_COMMENTS", "100000"))
SECTIONS = ["News", "Politics", "Culture", "Sport", "Environment", "Business"]
WORDS = [
    "council", "harbour", "flood", "barrier", "vote", "budget", "school", "river", "market",
    "festival", "road", "library", "ferry", "museum", "weather", "report", "residents",
    "plan", "hearing", "evidence", "choir",
]  # fmt: skip


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_wxr(path: Path, rng: random.Random) -> None:
    per_post = COMMENTS // POSTS
    comment_id = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Bench Gazette</title><link>https://gazette.example</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>"
            "<wp:base_site_url>https://gazette.example</wp:base_site_url>\n"
        )
        for post in range(1, POSTS + 1):
            day = f"2020-{1 + post % 12:02d}-{1 + post % 28:02d} {post % 24:02d}:15:00"
            paragraphs = "\n\n".join(sentence(rng, 40) for _ in range(4))
            out.write(
                f"<item><title>{escape(sentence(rng, 6))}</title>"
                f"<link>https://gazette.example/{post}/</link>"
                f"<dc:creator>author{post % 7}</dc:creator>"
                f"<content:encoded><![CDATA[<h2>{sentence(rng, 4)}</h2>\n{paragraphs}]]>"
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
                parent = (
                    rng.randrange(first, comment_id)
                    if comment_id > first and rng.random() < 0.33
                    else 0
                )
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>Reader {comment_id % 997}</wp:comment_author>"
                    f"<wp:comment_author_email>r{comment_id % 997}@example.org"
                    "</wp:comment_author_email>"
                    f"<wp:comment_author_IP>10.0.{comment_id % 250}.{comment_id % 200}"
                    "</wp:comment_author_IP>"
                    f"<wp:comment_date_gmt>{day}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{escape(sentence(rng, 25))}</wp:comment_content>"
                    "<wp:comment_approved>1</wp:comment_approved>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
                )
            out.write("</item>\n")
        out.write("</channel></rss>\n")


def main() -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="rostra-bench-import-"))
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(ROSTRA_DATA_DIR=str(data_dir), LOG_LEVEL="WARNING", EMAIL_URL="dummy:")
    rostra = [sys.executable, "-m", "rostra"]
    try:
        export = data_dir / "export.xml"
        write_wxr(export, random.Random(7))
        size_mb = export.stat().st_size / 1e6
        subprocess.run([*rostra, "setup"], env=env, check=True, capture_output=True)
        start = time.perf_counter()
        result = subprocess.run(
            [*rostra, "import", "wordpress", str(export), "--no-progress"],
            env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        elapsed = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(result.stdout.strip())
        print(
            f"\nimport of a {size_mb:,.0f} MB WXR ({POSTS:,} posts, {COMMENTS:,} comments): "
            f"{elapsed:.1f} s, {COMMENTS / elapsed:,.0f} comments/s, peak memory {peak_mb:,.0f} MB"
        )
        ok = elapsed <= 60 and peak_mb <= 300
        print("targets (<= 60 s, <= 300 MB):", "met" if ok else "MISSED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
