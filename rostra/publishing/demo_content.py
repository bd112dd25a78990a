"""Text of the demo newsroom: an invented coastal town, invented people, neutral news.

Everything here is original demo copy written for Rostra. Each article is a dict with
its section slug, headline, standfirst, byline, age in days, tags and body blocks
(("paragraph" | "heading" | "quote", text)).
"""

SECTIONS = [
    {
        "slug": "city",
        "title": "City",
        "description": "Council decisions, transport, housing and the life of Harrowby.",
    },
    {
        "slug": "environment",
        "title": "Environment",
        "description": "The coast, the weather and the work of keeping both in good shape.",
    },
    {
        "slug": "culture",
        "title": "Culture",
        "description": "Theatre, books, food and the people who make the town interesting.",
    },
]

TAGLINE = "Independent local news from the coast"

COVER_ALT = "Abstract illustration of sea and sky"
COVER_CAPTION = "Sea and sky over Harrowby."
COVER_CREDIT = "Illustration: Rostra demo"

ARTICLES = [
    {
        "section": "city",
        "title": "Council approves a year-long trial of car-free Sundays on the harbour road",
        "standfirst": "From April, the road between the ferry terminal and the lighthouse will "
        "close to motor traffic every Sunday morning. Traders are split.",
        "byline": "Ines Calloway",
        "days_ago": 0.2,
        "tags": ["transport", "council", "harbour"],
        "body": [
            (
                "paragraph",
                "Harrowby's council voted nine to four on Tuesday evening to close "
                "the harbour road to cars every Sunday between eight in the morning and two in "
                "the afternoon for a trial year. Buses and delivery vans with permits will still "
                "be allowed through at walking pace.",
            ),
            (
                "paragraph",
                "Supporters argued that the road already fills with walkers and "
                "cyclists on fine weekends and that the closure simply recognises how the space "
                "is used. Several café owners spoke in favour, saying their outdoor tables are "
                "full whenever the weather allows.",
            ),
            (
                "quote",
                "We are not banning anything. We are lending the road to the people who "
                "already walk on it.|Councillor Ruth Amadi",
            ),
            ("heading", "Shops worry about deliveries"),
            (
                "paragraph",
                "The hardware shop and two grocers near the ferry terminal asked "
                "for a later start, pointing out that Sunday morning is when weekend sailors buy "
                "supplies. The council agreed to review loading arrangements after three months "
                "and to publish footfall counts from the sensors already installed on the "
                "promenade.",
            ),
        ],
    },
    {
        "section": "city",
        "title": "Forty new homes planned for the old bus depot site",
        "standfirst": "A housing cooperative has submitted plans for terraced homes and a "
        "small square on land that has stood empty since 2019.",
        "byline": "Tomasz Reyes",
        "days_ago": 1.4,
        "tags": ["housing", "planning"],
        "body": [
            (
                "paragraph",
                "The Harrowby Housing Cooperative wants to build forty homes on "
                "the former bus depot off Quarry Lane, including twelve family houses and a row "
                "of single-storey homes designed for older residents.",
            ),
            (
                "paragraph",
                "The plans keep the depot's brick gable wall as the edge of a new "
                "public square. Parking is limited to one space for every two homes, with a "
                "shared car club and covered cycle storage.",
            ),
            (
                "paragraph",
                "Residents can comment on the application until the end of next "
                "month. The planning committee is expected to decide in the spring.",
            ),
        ],
    },
    {
        "section": "city",
        "title": "Library extends opening hours after record winter visits",
        "standfirst": "The central library will open until nine on weekdays from next month, "
        "funded by savings from its new heating system.",
        "byline": "Ines Calloway",
        "days_ago": 3,
        "tags": ["library", "council"],
        "body": [
            (
                "paragraph",
                "Visits to the central library rose by almost a third over the "
                "winter, according to figures presented to the council's community committee, "
                "with the biggest increase in the early evening.",
            ),
            (
                "paragraph",
                "Librarians said students and people working from home were using "
                "the reading room as a warm, quiet place to study. The longer hours will be "
                "paid for by lower energy bills since the building switched to heat pumps last "
                "year.",
            ),
            (
                "paragraph",
                "The children's floor will keep its current hours, but a weekly "
                "homework club will move to Thursday evenings.",
            ),
        ],
    },
    {
        "section": "city",
        "title": "Ferry timetable to change as the second vessel returns from refit",
        "standfirst": "Crossings to Skelmor Island will run every forty minutes at peak "
        "times once the Marguerite is back in service.",
        "byline": "Tomasz Reyes",
        "days_ago": 5,
        "tags": ["transport", "harbour"],
        "body": [
            (
                "paragraph",
                "The island ferry has run on a reduced timetable since January, "
                "when the older of its two boats went to dry dock for new engines and a repaint.",
            ),
            (
                "paragraph",
                "The operator says the refitted vessel uses a quarter less fuel and "
                "is noticeably quieter. Its return means a morning crossing at 6.40 for island "
                "residents who work early shifts on the mainland.",
            ),
            (
                "paragraph",
                "Tickets bought for the old timetable remain valid, and season "
                "ticket holders will receive the new times by post.",
            ),
        ],
    },
    {
        "section": "city",
        "title": "Primary school pupils redesign the playground at Westfield Park",
        "standfirst": "Drawings by pupils of three schools shaped a new play area that "
        "opens at half-term.",
        "byline": "Priya Lindqvist",
        "days_ago": 9,
        "tags": ["schools", "parks"],
        "body": [
            (
                "paragraph",
                "When the parks department asked children what they wanted in the "
                "new Westfield playground, the answers were clear: more places to climb, more "
                "shade and somewhere to sit that is not a bench.",
            ),
            (
                "paragraph",
                "The finished design includes a timber climbing frame shaped like a "
                "trawler, a sand pit under two new plane trees and a ring of flat boulders for "
                "sitting and jumping.",
            ),
            (
                "paragraph",
                "The old swings, which many parents remember from their own "
                "childhood, have been repainted and kept.",
            ),
        ],
    },
    {
        "section": "environment",
        "title": "Volunteers count a record number of seals on the northern sandbanks",
        "standfirst": "The annual spring survey found 312 grey and common seals, the highest "
        "number since counts began.",
        "byline": "Samuel Okafor",
        "days_ago": 0.6,
        "tags": ["wildlife", "coast"],
        "body": [
            (
                "paragraph",
                "More than sixty volunteers spent Saturday morning on the dunes "
                "with binoculars and tally sheets, counting seals hauled out on the sandbanks at "
                "low tide.",
            ),
            (
                "paragraph",
                "The coastal trust, which organises the survey, said "
                '<span data-question-id="q-seal-count" data-question="Do you agree with this '
                'assessment?">the rise probably reflects calmer spring weather as much as a '
                "growing population</span>. A "
                "single count is a snapshot, its ecologist explained, and trends only show over "
                "several years.",
            ),
            (
                "quote",
                "The important thing is that the numbers have not fallen. Quiet beaches "
                "in spring make a real difference.|Coastal trust ecologist Hana Price",
            ),
            (
                "paragraph",
                "Walkers are asked to keep dogs on leads north of the lifeguard "
                "hut until the end of the pupping season in late summer.",
            ),
        ],
    },
    {
        "section": "environment",
        "title": "How the new flood barrier on the Marrow estuary will work",
        "standfirst": "Construction starts this summer on a tidal gate designed to protect "
        "six hundred homes. Here is what it will and will not do.",
        "byline": "Samuel Okafor",
        "days_ago": 2.2,
        "tags": ["flooding", "estuary", "explainer"],
        "body": [
            (
                "paragraph",
                "The barrier is a pair of steel gates that lie flat on the river bed "
                "and rise when a storm surge is forecast. When raised, they hold back the sea "
                "while the river drains through sluices at low tide.",
            ),
            ("heading", "Why here"),
            (
                "paragraph",
                "The lower town has flooded three times in the past fifteen years, "
                "each time when a high spring tide met a strong onshore wind. Modelling by the "
                "environment agency suggests such surges will become more frequent.",
            ),
            ("heading", "What it costs"),
            (
                "paragraph",
                "The scheme is budgeted at forty-one million, most of it from a "
                "national flood defence fund. The council's share will be paid over twenty "
                "years.",
            ),
            (
                "paragraph",
                "The barrier will not protect against flooding from heavy rain "
                "inland, which is handled by a separate programme of drainage works.",
            ),
        ],
    },
    {
        "section": "environment",
        "title": "Beach clean finds fewer plastic bottles, more fishing line",
        "standfirst": "A deposit scheme seems to be working, but lost fishing gear is now "
        "the biggest source of litter on the south beach.",
        "byline": "Priya Lindqvist",
        "days_ago": 4,
        "tags": ["coast", "litter"],
        "body": [
            (
                "paragraph",
                "Volunteers at last weekend's beach clean collected eleven bags of "
                "rubbish from the south beach, about half the amount gathered at the same event "
                "two years ago.",
            ),
            (
                "paragraph",
                "Plastic drinks bottles, once the most common item, have become "
                "rare since the bottle deposit scheme began. Tangled fishing line and rope now "
                "make up the largest share by weight.",
            ),
            (
                "paragraph",
                "The harbour master plans to install collection bins for old line "
                "and nets on both piers before the summer.",
            ),
        ],
    },
    {
        "section": "environment",
        "title": "Orchard project plants 200 fruit trees on the town's edge",
        "standfirst": "Old local apple varieties, grafted from surviving trees, return to "
        "the hillside above Quarry Lane.",
        "byline": "Samuel Okafor",
        "days_ago": 7,
        "tags": ["trees", "food"],
        "body": [
            (
                "paragraph",
                "Two hundred young apple, pear and plum trees now stand in rows on "
                "the slope above Quarry Lane, planted over three weekends by volunteers and "
                "pupils from the secondary school.",
            ),
            (
                "paragraph",
                "Many of the apples are varieties once common in the area, grafted "
                "from old trees found in gardens and hedgerows. The project kept a register of "
                "each source tree and its owner.",
            ),
            (
                "paragraph",
                "The first small harvest is expected in three years. Fruit will be "
                "free to pick for anyone who walks up the hill.",
            ),
        ],
    },
    {
        "section": "culture",
        "title": "The Old Custom House reopens as a theatre after six years",
        "standfirst": "A 180-seat auditorium now fills the building where cargo was once "
        "weighed and taxed. The first season opens with a new local play.",
        "byline": "Lena Marchetti",
        "days_ago": 0.9,
        "tags": ["theatre", "heritage"],
        "body": [
            (
                "paragraph",
                "The Custom House on the quay closed in 2019 after its roof was "
                "found to be unsafe. A trust formed by residents raised the money to repair it "
                "and convert the great hall into a theatre.",
            ),
            (
                "paragraph",
                "The conversion keeps the original weighing beams, now used to hang "
                "lights, and the painted tariff boards on the stair walls.",
            ),
            (
                "quote",
                "Every seat is closer to the stage than the back row of a cinema. That "
                "was the one rule we gave the architects.|Trust chair Oskar Bellamy",
            ),
            (
                "paragraph",
                "The opening production is The Lamp Keeper's Daughter, written by a "
                "Harrowby teacher and performed by a mixed cast of professionals and members of "
                "the amateur dramatic society.",
            ),
        ],
    },
    {
        "section": "culture",
        "title": "Review: a small book about tides that reads like a novel",
        "standfirst": "A retired harbour pilot explains the sea's daily rhythm with "
        "patience, humour and beautiful hand-drawn charts.",
        "byline": "Lena Marchetti",
        "days_ago": 6,
        "tags": ["books", "review"],
        "body": [
            (
                "paragraph",
                "Few people can explain why there are two high tides a day without "
                "reaching for a diagram. In Twice a Day, a harbour pilot with forty years of "
                "experience does it with a story about a rowing boat and a bag of oranges.",
            ),
            (
                "paragraph",
                "The book moves from the basic pull of the moon to local oddities: "
                "why the estuary has a double high water, and why the old fishermen trusted the "
                "colour of the sandbanks more than the printed tables.",
            ),
            (
                "paragraph",
                "It is short, warm and full of small drawings. Anyone who has "
                "stood on the pier and wondered where the water goes will enjoy it.",
            ),
        ],
    },
    {
        "section": "culture",
        "title": "Market hall food stalls win over the lunchtime crowd",
        "standfirst": "Eight traders have taken stalls in the restored market hall, from "
        "smoked fish to Sri Lankan curries.",
        "byline": "Tomasz Reyes",
        "days_ago": 8,
        "tags": ["food", "market"],
        "body": [
            (
                "paragraph",
                "The market hall, restored last year, was quiet for its first few "
                "months. Since eight food stalls opened in the east wing, queues have formed "
                "most weekdays by half past twelve.",
            ),
            (
                "paragraph",
                "The stalls were chosen by a panel that included two local chefs "
                "and a group of regular market shoppers. Rents are lower for traders who buy "
                "from growers and fishers within thirty miles.",
            ),
            (
                "paragraph",
                "Long shared tables run down the middle of the hall, and the "
                "upstairs gallery is open for people who want somewhere quieter to eat.",
            ),
        ],
    },
    {
        "section": "culture",
        "title": "Photographers capture a year of the harbour at dawn",
        "standfirst": "An exhibition at the town museum shows the same view photographed "
        "at sunrise on 365 consecutive days.",
        "byline": "Priya Lindqvist",
        "days_ago": 11,
        "tags": ["photography", "harbour", "museum"],
        "body": [
            (
                "paragraph",
                "Every morning for a year, members of the camera club took turns "
                "climbing the lighthouse steps at sunrise to photograph the harbour from the "
                "same spot.",
            ),
            (
                "paragraph",
                "The resulting 365 prints fill the museum's long gallery in a "
                "single line, so visitors walk through the seasons: winter storms, spring fog, "
                "the summer regatta and the first frosts.",
            ),
            (
                "paragraph",
                "The exhibition runs until the autumn. Entry is free, and the club "
                "is selling a book of the photographs to fund new equipment for its darkroom.",
            ),
        ],
    },
]
