"""Labelled comments for the filter's tests, made here: legitimate comments, spam and
abuse in English, French, German and Spanish, with varied wording (a seeded random
choice of parts), and a way to record them as decisions the way an import does."""

import random
from datetime import UTC, datetime, timedelta

from rostra.discussion.models import Comment
from rostra.discussion.services.imports import ImportedComment, comments_import
from rostra.spamfilter.training import ABUSE, HAM, SPAM, Example

HAM_PARTS = [
    (
        ["The council", "Our mayor", "The harbour office", "The school board", "My neighbour"],
        ["should explain", "finally published", "keeps ignoring", "voted against", "asked about"],
        ["the new budget", "the road closure", "the bus timetable", "the library hours",
         "the flood defences", "the parking rules"],
        ["before the election.", "last Tuesday.", "in the article above.", "for years now.",
         "and I agree with the reporter."],
    ),
    (
        ["Le conseil municipal", "Notre maire", "La mairie", "Mon voisin"],
        ["devrait expliquer", "a enfin publié", "ignore toujours", "a voté contre"],
        ["le nouveau budget", "la fermeture de la route", "les horaires du bus",
         "la bibliothèque"],
        ["avant les élections.", "mardi dernier.", "comme le dit l'article.", "depuis des années."],
    ),
    (
        ["Der Stadtrat", "Unser Bürgermeister", "Die Schulbehörde", "Mein Nachbar"],
        ["sollte erklären", "hat endlich veröffentlicht", "ignoriert weiterhin", "stimmte gegen"],
        ["den neuen Haushalt", "die Straßensperrung", "den Busfahrplan", "die Bibliothek"],
        ["vor der Wahl.", "letzten Dienstag.", "wie im Artikel steht.", "seit Jahren."],
    ),
    (
        ["El ayuntamiento", "Nuestro alcalde", "La junta escolar", "Mi vecino"],
        ["debería explicar", "por fin publicó", "sigue ignorando", "votó en contra de"],
        ["el nuevo presupuesto", "el cierre de la carretera", "el horario del autobús",
         "la biblioteca"],
        ["antes de las elecciones.", "el martes pasado.", "como dice el artículo.",
         "desde hace años."],
    ),
]  # fmt: skip
SPAM_PARTS = [
    (
        ["Buy cheap", "Best price", "Order now", "Discount", "Limited offer"],
        ["viagra pills", "casino bonus", "crypto investment", "replica watches",
         "weight loss pills"],
        ["double your money", "earn $500 a day from home", "100% guaranteed", "no prescription"],
        ["https://cheap-pills.example/buy", "https://bonus-casino.example/win",
         "http://crypto-fast.example/join", "www.replica-deals.example", "", "", ""],
    ),
    (
        ["Achetez", "Meilleur prix", "Commandez", "Offre limitée"],
        ["pilules viagra", "bonus casino", "investissement crypto", "montres répliques"],
        ["doublez votre argent", "gagnez 500 € par jour", "garanti à 100%"],
        ["https://cheap-pills.example/fr", "https://bonus-casino.example/fr", "", ""],
    ),
    (
        ["Kaufen Sie billig", "Bester Preis", "Jetzt bestellen", "Rabatt"],
        ["Viagra Pillen", "Casino Bonus", "Krypto Investition", "Replika Uhren"],
        ["verdoppeln Sie Ihr Geld", "verdienen Sie 500 € am Tag", "100% garantiert"],
        ["https://cheap-pills.example/de", "https://bonus-casino.example/de", "", ""],
    ),
    (
        ["Compra barato", "Mejor precio", "Pide ahora", "Descuento"],
        ["pastillas viagra", "bono de casino", "inversión cripto", "relojes réplica"],
        ["duplica tu dinero", "gana 500 € al día", "100% garantizado"],
        ["https://cheap-pills.example/es", "https://bonus-casino.example/es", "", ""],
    ),
]  # fmt: skip
ABUSE_PARTS = [
    (
        ["You are", "You're all", "The writer is", "Everyone here is"],
        ["a pathetic idiot", "worthless morons", "disgusting scum", "stupid bums"],
        ["and should shut up.", "go away.", "nobody wants you here.", "get lost, losers.",
         "and should be dealt with accordingly, you can read it at https://news.example"],
    ),
    (
        ["Tu es", "Vous êtes tous", "Le journaliste est"],
        ["un pauvre idiot", "des crétins", "une ordure"],
        ["et tu devrais te taire.", "dégagez.", "personne ne veut de vous."],
    ),
    (
        ["Du bist", "Ihr seid alle", "Der Autor ist"],
        ["ein erbärmlicher Idiot", "wertlose Vollidioten", "widerlicher Abschaum"],
        ["und sollte die Klappe halten.", "verschwindet.", "niemand will euch hier."],
    ),
]  # fmt: skip


def _sentence(rng: random.Random, groups) -> str:
    parts = rng.choice(groups)
    return " ".join(rng.choice(options) for options in parts).strip()


def corpus(*, ham: int = 120, spam: int = 80, abuse: int = 0, seed: int = 7) -> list[Example]:
    """`ham` legitimate, `spam` spam and `abuse` abusive comments, interleaved in time
    (a comment a minute from 2025-01-01)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    labelled = (
        [(HAM, _sentence(rng, HAM_PARTS)) for _ in range(ham)]
        + [(SPAM, _sentence(rng, SPAM_PARTS)) for _ in range(spam)]
        + [(ABUSE, _sentence(rng, ABUSE_PARTS)) for _ in range(abuse)]
    )
    rng.shuffle(labelled)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        Example(text=f"{text} ({n})", label=label, created_at=start + timedelta(minutes=n))
        for n, (label, text) in enumerate(labelled)
    ]


STATUS_OF = {HAM: "approved", SPAM: "spam", ABUSE: "removed"}


def record_decisions(thread, examples: list[Example], *, status: str = "") -> list[int]:
    """Store `examples` as comments moderated to their label's status (or all with
    `status`), each by a different author, the way an import brings a site's history;
    returns their ids."""
    comments_import(
        [
            ImportedComment(
                thread_id=thread.pk,
                author_key=f"import:{n}:{example.label}",
                author_name="Reader",
                body_source=example.text,
                body_html=f"<p>{example.text}</p>",
                created_at=example.created_at,
                status=status or STATUS_OF[example.label],
            )
            for n, example in enumerate(examples)
        ],
        max_depth=5,
    )
    return list(
        Comment.objects.filter(thread=thread, body_source__in=[e.text for e in examples])
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
