"""German text of the demo newsroom (`rostra demo --language de`): an invented town on
an invented river, invented people, neutral local news. Original demo copy written for
Rostra, shaped like demo_content (the English one)."""

SECTIONS = [
    {
        "slug": "stadt",
        "title": "Stadt",
        "description": "Stadtrat, Verkehr, Wohnen und das Leben in Ellerbach.",
    },
    {
        "slug": "umwelt",
        "title": "Umwelt",
        "description": "Die Eller, das Wetter und alle, die sich um beides kümmern.",
    },
    {
        "slug": "kultur",
        "title": "Kultur",
        "description": "Bühne, Bücher, Vereine und die Menschen, die Ellerbach lebendig machen.",
    },
]

TAGLINE = "Unabhängige Lokalnachrichten aus dem Ellertal"

COVER_ALT = "Abstrakte Illustration von Wasser und Himmel"
COVER_CAPTION = "Wasser und Himmel über dem Ellertal."
COVER_CREDIT = "Illustration: Rostra-Demo"

ARTICLES = [
    {
        "section": "stadt",
        "title": "Stadtrat verabschiedet den Haushalt 2027: mehr Geld für Schulen",
        "standfirst": "Nach drei Sitzungen und langer Debatte steht der Haushalt. Die "
        "Sanierung der Grundschule am Mühlbach hat Vorrang, zwei Straßenprojekte "
        "werden verschoben.",
        "byline": "Katharina Wendler",
        "days_ago": 0.3,
        "tags": ["Haushalt", "Stadtrat", "Schulen"],
        "body": [
            (
                "paragraph",
                "Mit 21 zu 11 Stimmen hat der Ellerbacher Stadtrat am Dienstagabend den "
                "Haushalt für das kommende Jahr verabschiedet. Er umfasst Ausgaben von "
                "rund 86 Millionen Euro, gut vier Millionen mehr als im laufenden Jahr.",
            ),
            (
                "paragraph",
                "Größter einzelner Posten ist die Sanierung der Grundschule am Mühlbach, "
                "deren Dach und Heizung seit Jahren als marode gelten. Die Stadt nimmt "
                "dafür einen Kredit über 4,2 Millionen Euro auf. Die Tilgung ist über "
                "zwanzig Jahre verteilt.",
            ),
            (
                "quote",
                "Wir haben uns für die Kinder entschieden und gegen den Asphalt. Das war "
                "keine leichte Entscheidung, aber die richtige.|Kämmerin Dr. Sabine Aurich",
            ),
            ("heading", "Zwei Straßenprojekte warten"),
            (
                "paragraph",
                "Verschoben werden dagegen der Ausbau der Hafenstraße und die neue "
                "Zufahrt zum Gewerbegebiet Nord. Die Opposition kritisierte, damit "
                "verliere die Stadt Fördermittel des Landes. Die Verwaltung hält dagegen, "
                "dass die Zuschüsse frühestens 2028 beantragt werden könnten.",
            ),
            (
                "paragraph",
                "Der Haushalt muss noch von der Kommunalaufsicht genehmigt werden. Die "
                "Stadt rechnet mit einer Entscheidung im Februar.",
            ),
        ],
    },
    {
        "section": "stadt",
        "title": "Kommunalwahl im März: sieben Listen bewerben sich um 32 Sitze",
        "standfirst": "So viele Bewerberinnen und Bewerber gab es in Ellerbach noch nie. "
        "Zum ersten Mal tritt auch eine Liste junger Eltern an.",
        "byline": "Jonas Pfeiffer",
        "days_ago": 1.5,
        "tags": ["Wahl", "Stadtrat"],
        "body": [
            (
                "paragraph",
                "Der Wahlausschuss hat am Freitag alle sieben eingereichten Listen für die "
                "Kommunalwahl am 14. März zugelassen. Insgesamt stehen 212 Namen auf den "
                "Stimmzetteln, fast doppelt so viele wie vor fünf Jahren.",
            ),
            ("heading", "Neu auf dem Stimmzettel"),
            (
                "paragraph",
                "Neben den bisher im Rat vertretenen Gruppen bewirbt sich erstmals die "
                "Liste „Familien für Ellerbach“. Ihre Kandidatinnen und Kandidaten wollen "
                "sich vor allem um Kita-Plätze und sichere Schulwege kümmern.",
            ),
            (
                "quote",
                "Wir haben lange genug in Elternabenden darüber geredet. Jetzt wollen wir "
                "mitentscheiden.|Miriam Celik, Spitzenkandidatin",
            ),
            (
                "paragraph",
                "Wer am Wahltag verhindert ist, kann die Briefwahl ab dem 1. Februar im "
                "Bürgerbüro oder online beantragen. Die Redaktion stellt alle Listen in "
                "den kommenden Wochen in einer Serie vor.",
            ),
        ],
    },
    {
        "section": "umwelt",
        "title": "Zweihundert Freiwillige holen dreieinhalb Tonnen Müll aus der Eller",
        "standfirst": "Beim großen Frühjahrsputz am Fluss kamen Fahrräder, Reifen und ein "
        "Einkaufswagen zum Vorschein. Die Organisatoren wollen die Aktion jährlich "
        "wiederholen.",
        "byline": "Lea Brandstätter",
        "days_ago": 2.2,
        "tags": ["Eller", "Ehrenamt", "Fluss"],
        "body": [
            (
                "paragraph",
                "Mit Wathosen, Greifzangen und einem geliehenen Traktor haben am Samstag "
                "rund zweihundert Freiwillige das Ufer der Eller zwischen der Alten Brücke "
                "und dem Wehr gereinigt. Am Ende standen dreieinhalb Tonnen Müll auf dem "
                "Parkplatz des Ruderclubs.",
            ),
            ("heading", "Vom Kronkorken bis zum Einkaufswagen"),
            (
                "paragraph",
                "Den größten Teil machten Plastikflaschen und Verpackungen aus. Dazu kamen "
                "elf Fahrräder, vierzehn Autoreifen und ein Einkaufswagen, den die "
                "Feuerwehr mit einer Seilwinde aus dem Schlamm ziehen musste.",
            ),
            (
                "quote",
                "Jedes Stück, das wir heute herausholen, schwimmt nicht mehr bis zur "
                "Mündung.|Henrik Sommer, Angelverein Ellertal",
            ),
            (
                "paragraph",
                "Die Stadt hat zugesagt, an drei Stellen zusätzliche Mülleimer "
                "aufzustellen. Der Angelverein und die Naturschutzjugend wollen den "
                "Frühjahrsputz von nun an jedes Jahr im April organisieren.",
            ),
        ],
    },
    {
        "section": "umwelt",
        "title": "Eine neue Messstation prüft das Wasser der Eller jetzt täglich",
        "standfirst": "Sauerstoff, Temperatur und Nitrat werden künftig alle fünfzehn "
        "Minuten gemessen. Die Werte sind öffentlich einsehbar.",
        "byline": "Lea Brandstätter",
        "days_ago": 4,
        "tags": ["Eller", "Wasser"],
        "body": [
            (
                "paragraph",
                "Unterhalb des Wehrs steht seit dieser Woche ein grauer Container, der "
                "mehr über den Fluss verrät als jede Stichprobe zuvor. Die Messstation "
                "des Wasserverbands erfasst rund um die Uhr, wie es der Eller geht.",
            ),
            ("heading", "Warnung bei zu wenig Sauerstoff"),
            (
                "paragraph",
                "Besonders im Hochsommer kann der Sauerstoffgehalt so weit sinken, dass "
                "Fische verenden. Fällt der Wert unter eine Schwelle, verständigt die "
                "Station künftig automatisch den Bereitschaftsdienst.",
            ),
            (
                "quote",
                "Früher haben wir es erst bemerkt, wenn die toten Fische am Ufer lagen.|"
                "Petra Albers, Wasserverband Ellertal",
            ),
        ],
    },
    {
        "section": "kultur",
        "title": "Die Stadtbibliothek öffnet ein Jahr lang auch sonntags",
        "standfirst": "Ab Januar können Leserinnen und Leser am Sonntagnachmittag Bücher "
        "ausleihen, lernen oder einfach Zeitung lesen. Ehrenamtliche helfen mit.",
        "byline": "Jonas Pfeiffer",
        "days_ago": 6,
        "tags": ["Bibliothek", "Ehrenamt"],
        "body": [
            (
                "paragraph",
                "Die Stadtbibliothek am Marktplatz öffnet ab dem neuen Jahr probeweise "
                "auch sonntags von 13 bis 18 Uhr. Möglich wird das durch ein Gesetz des "
                "Landes, das Bibliotheken die Sonntagsöffnung erlaubt.",
            ),
            ("heading", "Ein Lesesaal für alle"),
            (
                "paragraph",
                "Im Lesesaal liegen dann die Zeitungen der Region aus, im Erdgeschoss gibt "
                "es Vorlesestunden für Kinder. Ein Verein von Ehrenamtlichen übernimmt "
                "einen Teil der Aufsicht.",
            ),
            (
                "quote",
                "Am Sonntag haben die Menschen Zeit. Genau dann sollte die Bibliothek "
                "offen sein.|Bibliotheksleiterin Anna Kowalczyk",
            ),
        ],
    },
]
