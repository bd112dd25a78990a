"""The benchmark's site: `python bench/seed_thread.py SLUG COUNT` in a site's environment
(ROSTRA_DATA_DIR ...) runs `rostra setup --demo`, then adds COUNT comments, 10% of them
replies to an earlier one, under the article SLUG; it prints the thread's key. One
process for both: starting Django costs seconds on a busy machine.

Through the importers' service (`comments_import`: one insert and one update per 2,000
comments) rather than `rostra seed_comments`, which posts one comment at a time through
`comment_post` (about 25 s for 2,000 on a shared 2-core machine, against about 1 s here).
The rows are the ones posting makes: same columns, tree places, rendered Markdown.
"""

import random
import sys

REPLY_SHARE = 0.1
AUTHORS = 97


def seed(slug: str, count: int) -> str:
    """Add the comments; return the thread's key ("article:ID")."""
    from django.db import transaction
    from django.utils import timezone

    from rostra.discussion import services
    from rostra.discussion.identity import guest_key
    from rostra.discussion.management.commands.seed_comments import WORDS
    from rostra.discussion.models import DiscussionSettings
    from rostra.discussion.text import render_markdown
    from rostra.publishing.models import ArticlePage

    article = ArticlePage.objects.get(slug=slug)
    max_depth = DiscussionSettings.for_site(article.get_site()).max_depth
    rng = random.Random(1)
    start = timezone.now() - timezone.timedelta(seconds=count)
    items = []
    for n in range(count):
        parent = rng.randrange(n) if n and rng.random() < REPLY_SHARE else None
        body = f"Comment {n}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))
        items.append(
            services.ImportedComment(
                thread_id=0,  # set below, once the thread exists
                author_key=guest_key(f"seed-{n % AUTHORS}"),
                author_name=f"Reader {n % AUTHORS}",
                body_source=body,
                body_html=render_markdown(body),
                created_at=start + timezone.timedelta(seconds=n),
                parent_index=parent,
                ip_hash=f"seed-{n % AUTHORS}",
            )
        )
    with transaction.atomic():
        thread = services.thread_for_article(article)
        for item in items:
            item.thread_id = thread.pk
        services.comments_import(items, max_depth=max_depth)
    return thread.key


if __name__ == "__main__":
    import io

    from rostra.config import env

    env.use_default_settings_module()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("setup", "--demo", stdout=io.StringIO())  # its output: the admin's password
    print(seed(sys.argv[1], int(sys.argv[2])))
