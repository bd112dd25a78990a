"""German text of the demo conversation (`rostra demo --language de`), shaped like the
English one in demo.py: four people discuss the demo article on the town's budget, one
of them comments on a passage, another quotes the article twice and gets replies.
Original demo copy."""

ARTICLE_SLUG = "stadtrat-verabschiedet-den-haushalt-2027-mehr-geld-fur-schulen"

PEOPLE = {
    "dana": ("Doris Hähnel", ""),
    "ferris": ("Frank Oltmanns", "https://frank-oltmanns.example.org"),
    "marguerite": ("Margarete Lindholm", ""),
    "ravi": ("Rainer Castell", ""),
}

# (ref, author, replying to ref, hours ago, text, upvotes, downvotes)
CONVERSATION = [
    (
        "c1",
        "dana",
        None,
        30,
        "Endlich kommt die Schule am Mühlbach an die Reihe. Unsere Kinder frieren dort "
        "seit drei Wintern in den Klassenzimmern.",
        6,
        0,
    ),
    (
        "c2",
        "ferris",
        None,
        28,
        "Zwanzig Jahre sind eine lange Zeit. Ich hätte gern gewusst, welche Zinsen die "
        "Stadt dafür bezahlt, bevor ich applaudiere.",
        2,
        3,
    ),
    (
        "c3",
        "marguerite",
        None,
        26,
        "Ein guter Überblick, aber zwei Sätze verdienen mehr Aufmerksamkeit.\n\n"
        "> Die Opposition kritisierte, damit verliere die Stadt Fördermittel des Landes.\n\n"
        "Wie viel Geld ist das genau? Wenn es um mehrere Millionen geht, sollte der "
        "Stadtrat die Zahlen offenlegen, damit wir selbst urteilen können.\n\n"
        "> Der Haushalt muss noch von der Kommunalaufsicht genehmigt werden.\n\n"
        "Das heißt auch, dass noch nichts endgültig ist. Ich bitte die Redaktion, über die "
        "Entscheidung im Februar ebenso ausführlich zu berichten.",
        9,
        1,
    ),
    (
        "c4",
        "ravi",
        "c3",
        20,
        "Der vernünftigste Beitrag hier. Schulen und Straßen sind zwei verschiedene "
        "Fragen, und beide verdienen eine ehrliche Rechnung.",
        4,
        0,
    ),
    (
        "c5",
        "marguerite",
        "c4",
        18,
        "Vielen Dank. Ich habe bei der Stadt nach den Zahlen gefragt und teile sie hier, "
        "sobald die Antwort da ist.",
        3,
        0,
    ),
    (
        "c6",
        "ravi",
        "c5",
        17,
        "Bitte tun Sie das. Sie haben das besser zusammengefasst als die Pressemitteilung "
        "der Stadt.",
        2,
        0,
    ),
]

# Comments on a passage of the article: ref → the sentence they are about.
PASSAGES = {"c2": "Die Tilgung ist über zwanzig Jahre verteilt."}
