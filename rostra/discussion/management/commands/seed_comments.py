import random

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rostra.discussion import services
from rostra.discussion.identity import Viewer, guest_key
from rostra.discussion.policy import Policy
from rostra.publishing.models import ArticlePage

WORDS = [
    *("harbour", "council", "gates", "tide", "ferry", "library", "market", "orchard"),
    *("seals", "barrier", "budget", "weekend", "road", "plans", "residents", "summer"),
    *("winter", "square", "homes", "trees", "stalls", "theatre"),
]


class Command(BaseCommand):
    help = (
        "Add generated comments under an article, through the normal posting service "
        "(for benchmarks and load tests; not for a live site)."
    )

    def add_arguments(self, parser):
        parser.add_argument("article_slug")
        parser.add_argument("--count", type=int, default=2000)
        parser.add_argument("--reply-share", type=float, default=0.1)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, article_slug, count, reply_share, seed, **options):
        article = ArticlePage.objects.filter(slug=article_slug).first()
        if article is None:
            raise CommandError(f"No article with the slug {article_slug!r}.")
        rng = random.Random(seed)  # noqa: S311 - filler text, not secrets
        policy = Policy(rate_limit=(count + 1, 60), min_submit_seconds=0)
        thread = services.thread_for_article(article)
        start = timezone.now() - timezone.timedelta(seconds=count)
        posted = []
        for n in range(count):
            parent = rng.choice(posted) if posted and rng.random() < reply_share else None
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))
            comment = services.comment_post(
                thread=thread,
                viewer=Viewer(key=guest_key(f"seed-{n % 97}"), ip_hash=f"seed-{n % 97}"),
                policy=policy,
                body=f"Comment {n}: {words}.",
                name=f"Reader {n % 97}",
                parent_id=parent.pk if parent else None,
                now=start + timezone.timedelta(seconds=n),
            )
            posted.append(comment)
        self.stdout.write(f"Added {count} comments to “{article.title}”.")
