"""Attributions: sources, blame and responsibility, on wire-copy phrasings and the seed."""

from __future__ import annotations

import pytest

from comparer.facts.attributions import find_attributions, resolve_speakers
from comparer.facts.context import ArticleContext
from comparer.facts.quotes import quoted_ranges
from comparer.records import Fact, Sentence
from comparer.sentences import split_sentences
from comparer.sources import split_header
from tests.conftest import SEED

CTX = ArticleContext(source_id="s1", published=None)


def sentence(text: str, index: int = 0) -> Sentence:
    return Sentence(source_id="s1", index=index, text=text, start=0, end=len(text), paragraph=0)


def src(
    speaker, kind, cue, *, via=None, org=None, stance="asserted", canonical=None, cue_kind=None
):
    if cue_kind is None:  # the lexicon's kind for the cues these tables use
        cue_kind = (
            "according-to"
            if cue in ("according to", "as per", "citing")
            else "writing"
            if cue.split()[-1] in ("wrote", "tweeted", "posted")
            else "speech"
        )
    return {
        "relation": "source",
        "speaker": speaker,
        "canonical": canonical or (speaker if kind != "unresolved" else None),
        "type": kind,
        "cue": cue,
        "via": via,
        "organisation": org,
        "stance": stance,
        "cue_kind": cue_kind,
    }


def rel(
    relation,
    actor,
    cue,
    *,
    speaker=None,
    kind="none",
    actor_type="organisation",
    stance="asserted",
    actor_canonical=None,
    org=None,
    via=None,
    canonical=None,
):
    return {
        "relation": relation,
        "speaker": speaker,
        "canonical": canonical or speaker,
        "type": kind,
        "organisation": org,
        "via": via,
        "actor": actor,
        "actor_canonical": actor_canonical or actor,
        "actor_type": actor_type,
        "cue": cue,
        "stance": stance,
    }


SEED_ROWS = [
    (
        "A top US official told Fox News that the strike was a defensive tactic intended to stop "
        "and prevent possible rocket attacks by the militia group that recently struck Baghdad "
        "and Erbil.",
        [
            (
                "A top US official told Fox News",
                src(
                    "top US official",
                    "anonymous_official",
                    "told",
                    via="Fox News",
                    org="United States",
                ),
            )
        ],
    ),
    (
        "According to Marine Corps Times, US troops attacked a border checkpoint in eastern Syria "
        "used by Iranian-backed militant groups about 6 PM East Standard Time Thursday afternoon.",
        [
            (
                "According to Marine Corps Times",
                src("Marine Corps Times", "news_outlet", "according to"),
            )
        ],
    ),
    (
        "The Pentagon press secretary confirmed to reporters that the US airstrike was in revenge "
        "for recent missile attacks on US bases in Iraq and coalition forces and civilians, "
        "including wounded an American service member and killed a civilian contractor.",
        [
            (
                "The Pentagon press secretary confirmed to reporters",
                src("Pentagon press secretary", "official_role", "confirmed", org="Pentagon"),
            )
        ],
    ),
    (
        'The attacks, ordered by President Joe Biden, "destroyed numerous installations," said '
        "John Kirby, used by forces like Kat'ib Hezbollah and Kat'ib Sayyid Lal'shuhada.",
        [("said John Kirby", src("John Kirby", "named_person", "said"))],
    ),
    (
        '"This proportionate military response was carried out in accordance with diplomatic '
        'initiatives, including coordination with coalition allies," Kirby said.',
        [("Kirby said", src("Kirby", "named_person", "said"))],
    ),
    (
        "On February 15, three 107 mm rockets targeted the Iraqi airbase in Irbil, where US troops "
        "are stationed, killing one U.S.-led coalition contractor and wounding US service members "
        "and others, Iraqi security officials, raising concerns of fresh warfare, coalition "
        "officials announced.",
        [
            (
                "coalition officials announced",
                src("coalition officials", "anonymous_official", "announced", org="coalition"),
            )
        ],
    ),
    (
        "The airstrike attacked buildings in the eastern Syrian town of Al Bukamal belonging to "
        "Kataib Hezbollah and other Iranian-backed militias that have conducted rocket attacks in "
        "Iraq in the past, the US official said.",
        [
            (
                "the US official said",
                src("US official", "anonymous_official", "said", org="United States"),
            )
        ],
    ),
    (
        "Another official identified the airstrike as hitting the area through which the "
        "smuggling took place, as per ABC News.",
        [("as per ABC News", src("ABC News", "news_outlet", "as per"))],
    ),
    (
        "The Pentagon did not blame the attack on Iranian-backed militias, even though forensic "
        "information retrieved shortly after the attack pointed to ties with Iranian-backed "
        "militias that had carried out similar attacks in the past.",
        [
            (
                "The Pentagon did not blame the attack on Iranian-backed militias",
                rel(
                    "blame",
                    "Iranian-backed militias",
                    "did not blame",
                    speaker="Pentagon",
                    kind="organisation",
                    stance="denied",
                    actor_canonical="Iran-backed militias",
                ),
            )
        ],
    ),
    (
        'Press Secretary of the White House Jen Psaki said last week that the US "reserves the '
        'right to respond in the time and manner of our discretion" to the attack.',
        [
            (
                "Press Secretary of the White House Jen Psaki said",
                src("Jen Psaki", "named_person", "said", org="White House"),
            )
        ],
    ),
    # seed sentences without an attribution
    (
        "The US military launched an airstrike against an Iranian-backed paramilitary base in "
        "Syria on Thursday.",
        [],
    ),
    (
        '"The operation sends a strong message: President Biden will intervene to defend the '
        "workers of the American alliance.",
        [],
    ),
    (
        "Around the same time, we have worked deliberately to de-escalate the overall situation "
        'in East Syria and Iraq."',
        [],
    ),
]

WIRE_ROWS = [
    # a figure stated without a verb of speech: the toll's giver is its source
    (
        "The Harbor Health Ministry put the death toll at 45.",
        [
            (
                "The Harbor Health Ministry put the death toll",
                src("Harbor Health Ministry", "organisation", "put ... toll"),
            )
        ],
    ),
    (
        "Medics later raised the toll to 52.",
        [("Medics later raised the toll", src("Medics", "anonymous_other", "raised ... toll"))],
    ),
    ("The second blast raised the death toll to 40.", []),
    (
        # the parser hangs the end of the quotation on the speaker as a modifier
        '"Every hangar there was hit and you can say it is completely wrecked" state TV '
        "reported on Friday.",
        [("state TV reported", src("state TV", "news_outlet", "reported"))],
    ),
    (
        "Defense Secretary Lloyd Austin told reporters that he was confident in the target.",
        [
            (
                "Defense Secretary Lloyd Austin told reporters",
                src("Lloyd Austin", "named_person", "told"),
            )
        ],
    ),
    (
        "The Syrian Observatory for Human Rights, a Britain-based war monitor, said at least 17 "
        "fighters were killed.",
        [
            (
                "The Syrian Observatory for Human Rights, a Britain-based war monitor, said",
                src("Syrian Observatory for Human Rights", "organisation", "said"),
            )
        ],
    ),
    (
        "Syrian state media reported that the strikes hit the border area.",
        [("Syrian state media reported", src("Syrian state media", "news_outlet", "reported"))],
    ),
    (
        "State news agency SANA said the strikes targeted the Al Bukamal area.",
        [("State news agency SANA said", src("SANA", "news_outlet", "said"))],
    ),
    (
        "The militia said in a statement that one of its fighters was killed.",
        [("The militia said in a statement", src("militia", "organisation", "said"))],
    ),
    (
        "A spokesman for Kataib Hezbollah said the group would respond.",
        [
            (
                "A spokesman for Kataib Hezbollah said",
                src(
                    "spokesman for Kataib Hezbollah",
                    "anonymous_official",
                    "said",
                    org="Kataib Hezbollah",
                ),
            )
        ],
    ),
    (
        "Iraqi security officials said the rockets were fired from a truck.",
        [
            (
                "Iraqi security officials said",
                src("Iraqi security officials", "anonymous_official", "said"),
            )
        ],
    ),
    (
        "Pentagon spokesman John Kirby said the strike destroyed nine facilities.",
        [
            (
                "Pentagon spokesman John Kirby said",
                src("John Kirby", "named_person", "said", org="Pentagon"),
            )
        ],
    ),
    (
        "State Department spokesman Ned Price said the United States would respond.",
        [
            (
                "State Department spokesman Ned Price said",
                src("Ned Price", "named_person", "said", org="State Department"),
            )
        ],
    ),
    (
        "John Kirby, the Pentagon press secretary, said the strike was proportionate.",
        [
            (
                "John Kirby, the Pentagon press secretary, said",
                src("John Kirby", "named_person", "said", org="Pentagon"),
            )
        ],
    ),
    (
        "The strikes were ordered by President Joe Biden, a US official told The Associated Press.",
        [
            (
                "a US official told The Associated Press",
                src(
                    "US official",
                    "anonymous_official",
                    "told",
                    via="Associated Press",
                    org="United States",
                ),
            )
        ],
    ),
    (
        '"The militias will pay a price," a senior administration official told CNN in an '
        "interview.",
        [
            (
                "a senior administration official told CNN in an interview",
                src("senior administration official", "anonymous_official", "told", via="CNN"),
            )
        ],
    ),
    (
        "Reuters reported, citing a US official, that the strike killed 17 people.",
        [
            ("Reuters reported", src("Reuters", "news_outlet", "reported")),
            (
                "citing a US official",
                src(
                    "US official",
                    "anonymous_official",
                    "citing",
                    via="Reuters",
                    org="United States",
                ),
            ),
        ],
    ),
    (
        "According to a statement from the Pentagon, the strike was defensive.",
        [
            (
                "According to a statement from the Pentagon",
                src("Pentagon", "organisation", "according to"),
            )
        ],
    ),
    (
        "The strike was confirmed by the Pentagon.",
        [("confirmed by the Pentagon", src("Pentagon", "organisation", "confirmed"))],
    ),
    (
        "The Pentagon declined to say how many people were killed.",
        [
            (
                "The Pentagon declined to say",
                src("Pentagon", "organisation", "declined to say", stance="declined"),
            )
        ],
    ),
    (
        '"We are confident that the target was used by the same militias," he said.',
        [("he said", src("he", "unresolved", "said"))],
    ),
    (
        '"We said we would respond and we did," Kirby told reporters.',
        [("Kirby told reporters", src("Kirby", "named_person", "told"))],
    ),
    (
        "Witnesses told AFP that they heard several explosions.",
        [("Witnesses told AFP", src("Witnesses", "anonymous_other", "told", via="AFP"))],
    ),
    # blame and responsibility
    (
        "The attack was carried out by Kataib Hezbollah, officials said.",
        [
            (
                "carried out by Kataib Hezbollah",
                rel(
                    "responsibility",
                    "Kataib Hezbollah",
                    "carried out by",
                    speaker="officials",
                    kind="anonymous_official",
                ),
            ),
            ("officials said", src("officials", "anonymous_official", "said")),
        ],
    ),
    (
        "US officials blamed the attack on Iranian-backed militias.",
        [
            (
                "US officials blamed the attack on Iranian-backed militias",
                rel(
                    "blame",
                    "Iranian-backed militias",
                    "blamed ... on",
                    speaker="US officials",
                    kind="anonymous_official",
                    org="United States",
                    actor_canonical="Iran-backed militias",
                ),
            )
        ],
    ),
    (
        # the parser hangs "on" under the town named in the object: still who is blamed
        "Britain blamed the raid in Khan al-Asal on Damascus.",
        [
            (
                "Britain blamed the raid in Khan al-Asal on Damascus",
                rel("blame", "Damascus", "blamed ... on", speaker="Britain", kind="organisation"),
            )
        ],
    ),
    (
        "Kataib Hezbollah denied involvement in the rocket attack.",
        [
            (
                "Kataib Hezbollah denied involvement",
                rel(
                    "responsibility",
                    "Kataib Hezbollah",
                    "denied involvement",
                    speaker="Kataib Hezbollah",
                    kind="organisation",
                    stance="denied",
                ),
            )
        ],
    ),
    (
        "A little-known group called Saraya Awliya al-Dam claimed responsibility for the attack.",
        [
            (
                "A little-known group called Saraya Awliya al-Dam claimed responsibility",
                rel(
                    "responsibility",
                    "Saraya Awliya al-Dam",
                    "claimed responsibility",
                    speaker="Saraya Awliya al-Dam",
                    kind="organisation",
                ),
            )
        ],
    ),
    (
        "No group has claimed responsibility for the attack.",
        [
            (
                "No group has claimed responsibility",
                rel(
                    "responsibility",
                    None,
                    "claimed responsibility",
                    actor_type="none",
                    stance="denied",
                ),
            )
        ],
    ),
    (
        "Iran was behind the attack, the official said.",
        [
            (
                "Iran was behind",
                rel(
                    "responsibility",
                    "Iran",
                    "was behind",
                    speaker="official",
                    kind="anonymous_official",
                ),
            ),
            ("the official said", src("official", "anonymous_official", "said")),
        ],
    ),
    # a passive blame: who is blamed, and by whom when the sentence says
    (
        "The militia has been blamed for the bombing of the bridge.",
        [("The militia has been blamed for", rel("blame", "militia", "blamed"))],
    ),
    (
        "The governor was accused by prosecutors of taking bribes.",
        [
            (
                "The governor was accused by prosecutors",
                rel(
                    "blame",
                    "governor",
                    "accused",
                    speaker="prosecutors",
                    kind="anonymous_other",
                    actor_type="official_role",
                ),
            )
        ],
    ),
    (
        "Washington held Iran responsible for the attacks.",
        [
            (
                "Washington held Iran responsible",
                rel("blame", "Iran", "held responsible", speaker="Washington", kind="organisation"),
            )
        ],
    ),
    (
        "US forces carried out the strike at about 6 p.m. EST.",
        [("US forces carried out the strike", rel("responsibility", "US forces", "carried out"))],
    ),
    (
        "Tehran denied that it had any role in the attack.",
        [
            ("Tehran denied", src("Tehran", "organisation", "denied", stance="denied")),
            (
                "Tehran denied that it had any role",
                rel(
                    "responsibility",
                    "Tehran",
                    "denied ... role",
                    speaker="Tehran",
                    kind="organisation",
                    stance="denied",
                ),
            ),
        ],
    ),
    (
        "The Pentagon said it was not yet clear who was behind the Feb. 15 attack.",
        [("The Pentagon said", src("Pentagon", "organisation", "said"))],
    ),
    (
        "The Pentagon stopped short of blaming Iran directly.",
        [
            (
                "The Pentagon stopped short of blaming Iran",
                rel(
                    "blame",
                    "Iran",
                    "stopped short of blaming",
                    speaker="Pentagon",
                    kind="organisation",
                    stance="denied",
                ),
            )
        ],
    ),
    (
        "The attack was not carried out by Kataib Hezbollah, a senior militia commander insisted.",
        [
            (
                "was not carried out by Kataib Hezbollah",
                rel(
                    "responsibility",
                    "Kataib Hezbollah",
                    "was not carried out by",
                    speaker="senior militia commander",
                    kind="anonymous_official",
                    stance="denied",
                    org="militia",
                ),
            ),
            (
                "a senior militia commander insisted",
                src("senior militia commander", "anonymous_official", "insisted", org="militia"),
            ),
        ],
    ),
    (
        "U.S. officials have not said which group they believe carried out the Erbil attack.",
        [
            (
                "U.S. officials have not said",
                src(
                    "U.S. officials",
                    "anonymous_official",
                    "have not said",
                    stance="declined",
                    org="United States",
                ),
            )
        ],
    ),
    (
        "The strikes destroyed multiple facilities at a border control point used by a number of "
        "Iranian-backed groups, including Kataib Hezbollah and Kataib Sayyid al-Shuhada, Pentagon "
        "press secretary John Kirby said in a statement.",
        [
            (
                "Pentagon press secretary John Kirby said in a statement",
                src("John Kirby", "named_person", "said", org="Pentagon"),
            )
        ],
    ),
    (
        "An official with the militias told the Ledger by telephone that the strike killed one "
        "militia member.",
        [
            (
                "An official with the militias told the Ledger",
                src(
                    "official with the militias",
                    "anonymous_official",
                    "told",
                    via="Ledger",
                    org="militias",
                ),
            )
        ],
    ),
    (
        "The strikes killed at least 22 fighters, the Britain-based Syrian Observatory for Human "
        "Rights reported.",
        [
            (
                "the Britain-based Syrian Observatory for Human Rights reported",
                src("Syrian Observatory for Human Rights", "organisation", "reported"),
            )
        ],
    ),
    (
        "A spokesman for the Iraqi military, Yehia Rasool, said Baghdad had not been informed.",
        [
            (
                "A spokesman for the Iraqi military, Yehia Rasool, said",
                src("Yehia Rasool", "named_person", "said", org="military"),
            )
        ],
    ),
    (
        "Lt. Col. Wayne Marotto, a coalition spokesman, said three rockets had landed on the base.",
        [
            (
                "Lt. Col. Wayne Marotto, a coalition spokesman, said",
                src("Wayne Marotto", "named_person", "said", org="coalition"),
            )
        ],
    ),
    (
        "The Environment Agency said about 900 homes had been protected.",
        [("The Environment Agency said", src("Environment Agency", "organisation", "said"))],
    ),
    (
        "The strike hit several buildings at a border crossing, as per a Pentagon statement.",
        [("as per a Pentagon statement", src("Pentagon", "organisation", "as per"))],
    ),
    (
        "Engineers found corrosion, according to a report by Dr. Lena Park of the bridge office.",
        [
            (
                "according to a report by Dr. Lena Park of the bridge office",
                src("Lena Park", "named_person", "according to"),
            )
        ],
    ),
    (
        "Kirby described the raid as a proportionate military response.",
        [("Kirby described", src("Kirby", "named_person", "described"))],
    ),
    (
        'Kirby called the strike a "proportionate military response" that was paired with '
        "diplomatic measures.",
        [("Kirby called", src("Kirby", "named_person", "called"))],
    ),
    # no attribution at all, or words that look like cues but are not
    # Calling for something and condemning are speech acts: who said so is worth knowing.
    (
        "Iraqi leaders called for restraint.",
        [("Iraqi leaders called for", src("Iraqi leaders", "anonymous_official", "called for"))],
    ),
    # with no "as" the description is the learned reader's: a stance, never a credit
    (
        "He described the scene.",
        [("He described", src("He", "unresolved", "described", cue_kind="stance"))],
    ),
    ("The building was described in detail.", []),
    ("Residents were told to leave the area before the strike.", []),
    ("Police told residents to leave the area.", []),
    ("The strike killed at least 17 fighters.", []),
    (
        "Iraqi Prime Minister Mustafa al-Kadhimi condemned the attack.",
        [
            (
                "Iraqi Prime Minister Mustafa al-Kadhimi condemned",
                src("Mustafa al-Kadhimi", "named_person", "condemned"),
            )
        ],
    ),
    (
        "The Prime Minister's office said the attack was a crime.",
        [
            (
                "The Prime Minister's office said",
                src("Prime Minister's office", "organisation", "said"),
            )
        ],
    ),
    ("The government added pressure on the militias.", []),
    # a speech verb in the passive with no one behind it: flagged, with nobody named
    (
        "The mayor has been criticized for the delay.",
        [("been criticized", src(None, "none", "been criticized"))],
    ),
    ("A curfew was announced on Friday.", [("was announced", src(None, "none", "was announced"))]),
    (
        "The death was not confirmed.",
        [("was not confirmed", src(None, "none", "was not confirmed", stance="declined"))],
    ),
    # a with-phrase holding a clause of its own is news, not part of the source's name
    (
        "Another 65 people were injured in the attack according to the Syrian Observatory "
        "for Human Rights with the death toll expected to rise.",
        [
            (
                "according to the Syrian Observatory for Human Rights",
                src("Syrian Observatory for Human Rights", "organisation", "according to"),
            )
        ],
    ),
    # "data" and "statistics" are findings whatever their lemma ("datum", "statistic")
    (
        "About 9.9 million mothers live in the state, according to federal statistics.",
        [
            (
                "according to federal statistics",
                src("federal statistics", "document", "according to"),
            )
        ],
    ),
    # "charged that" reports an accusation; "charged the checkpoint" is an assault
    (
        "The opposition charged that the vote was rigged.",
        [("The opposition charged", src("opposition", "anonymous_other", "charged"))],
    ),
    ("Rebels charged the checkpoint at dawn.", []),
    # the dead are no speakers, whatever the parser made of a text that lost its commas
    (
        "The jets killed at least 60 civilians trying to flee the town residents and a war monitor said on Wednesday.",
        [],
    ),
    # an outlet that belongs to someone is not named after them
    (
        "A bomb killed six people in Aleppo on Wednesday, the Assad regime's official "
        "television channel reported.",
        [
            (
                "the Assad regime's official television channel reported",
                src("Assad regime's official television channel", "news_outlet", "reported"),
            )
        ],
    ),
    # ... but a passive that names a thing, or a participle on a noun, reports nothing
    ("The week is called the Golden Week.", []),
    ("The plan announced on Monday includes new taxes.", []),
    # a light verb's sense is in its object: no learned stance
    ("Trump made a fortune in real estate.", []),
    # title-case headlines: a lexicon verb still counts, capitals name no one, an act is none
    (
        "New Poll Shows Clinton Ahead In Florida",
        [("New Poll Shows", src("New Poll", "document", "shows"))],
    ),
    ("Biden Revokes Order On Pipeline", []),
    # "make" states something only as "made (it) clear" or "made no secret"
    (
        "In an interview, the general made it clear he had misgivings about the withdrawal.",
        [("the general made it clear", src("general", "official_role", "made clear"))],
    ),
    (
        "The two leaders made no secret of their differences over the budget.",
        [
            (
                "The two leaders made no secret",
                src("two leaders", "anonymous_official", "made no secret"),
            )
        ],
    ),
    ("Engineers made the road clear of debris by noon.", []),
    (
        "As Steven Rosenthal, a tax lawyer, recently put it, the rules are a mess.",
        [
            (
                "Steven Rosenthal, a tax lawyer, recently put it",
                src("Steven Rosenthal", "named_person", "put it"),
            )
        ],
    ),
    ("He put it on the table.", []),
    # a document quoted with no author named is still where the words are found
    (
        "\u201cWe see charter schools offering parents hope,\u201d the letter reads.",
        [("the letter reads", src("letter", "document", "reads", cue_kind="writing"))],
    ),
    ("The letter reads like a novel.", []),
    # "according to" a thing: its author is the source
    (
        "At least 707 people were shot this year, according to a Washington Post database.",
        [
            (
                "according to a Washington Post database",
                src("Washington Post", "news_outlet", "according to"),
            )
        ],
    ),
    (
        "Troops will withdraw by May, according to the ministry's plan.",
        [("according to the ministry's plan", src("ministry", "organisation", "according to"))],
    ),
    ("Troops will withdraw by May, according to the plan.", []),
    # people known only by who they are to someone, or as a man or a woman, speak ...
    (
        "His wife said he was unarmed.",
        [("His wife said", src("wife", "anonymous_other", "said"))],
    ),
    (
        "A woman who lives nearby said she heard three blasts.",
        [("A woman who lives nearby said", src("woman", "anonymous_other", "said"))],
    ),
    # a common noun capitalised only by the sentence start names no body
    (
        "Paramedics said the victims were all civilians.",
        [("Paramedics said", src("Paramedics", "anonymous_other", "said"))],
    ),
    (
        "Shopkeepers said the market was crowded.",
        [("Shopkeepers said", src("Shopkeepers", "anonymous_other", "said"))],
    ),
    # a body's full description, even where the tagger calls "ministry" a proper noun: the
    # Russian and the Ukrainian defence ministries are two sources, not one "ministry"
    (
        "The Russian defence ministry said 12 drones were downed.",
        [
            (
                "The Russian defence ministry said",
                src("Russian defence ministry", "organisation", "said"),
            )
        ],
    ),
    # ... but hold no stance the scorer guesses at
    ("The two women spoke briefly before the hearing.", []),
    # a speech verb after "went on to" / "continued to" was spoken
    (
        "Senator Rosen went on to explain how the cuts left her hands tied.",
        [("Senator Rosen went on to explain", src("Rosen", "named_person", "explain"))],
    ),
    (
        "He continued to insist that the vote was rigged.",
        [("He continued to insist", src("He", "unresolved", "insist"))],
    ),
    # a verb of violence used for words: what the target is called, why, where it was said
    (
        "The senator attacked her opponent as a fraud during the debate.",
        [
            (
                "The senator attacked",
                src("senator", "anonymous_other", "attacked", cue_kind="stance"),
            )
        ],
    ),
    (
        "The governor blasted the agency for being slow to respond.",
        [("The governor blasted", src("governor", "official_role", "blasted", cue_kind="stance"))],
    ),
    (
        "Rival candidate Maria Lopez attacked Daniel Reyes in early-morning tweets.",
        [
            (
                "Rival candidate Maria Lopez attacked",
                src("Maria Lopez", "named_person", "attacked", cue_kind="stance"),
            )
        ],
    ),
    # ... and a strike stays a strike
    ("Militants attacked the checkpoint for the second time in a week.", []),
    ("Gunmen attacked Ahmed Hassan in his home.", []),
    ("The army attacked rebel positions as part of a new offensive.", []),
    ("Jets hit the town as a warning.", []),
    ("A suicide bomber attacked supporters in a rally in Peshawar.", []),
    ("Gunmen attacked Ahmed Hassan as a warning to his clan.", []),
    # a forecast nobody is named for: flagged, with no speaker
    (
        "Turnout is expected to fall sharply in the northern districts.",
        [("is expected", src(None, "none", "is expected", cue_kind="thought"))],
    ),
    ("The vote was expected on Tuesday.", []),
    # a closing tag whose comma was lost: the parser hangs the speaker on the clause before
    (
        "Government jets struck a bakery in the old quarter killing nine people the Syrian "
        "Observatory for Human Rights reported.",
        [
            (
                "the Syrian Observatory for Human Rights reported",
                src(
                    "Syrian Observatory",
                    "organisation",
                    "reported",
                    canonical="Syrian Observatory for Human Rights",
                ),
            )
        ],
    ),
    # a closing tag whose comma was lost after the quotation: the whole name, not its
    # last words
    (
        '"Two raids on the district killed 14 civilians" the Syrian Observatory for Human '
        "Rights said.",
        [
            (
                "the Syrian Observatory for Human Rights said",
                src("Syrian Observatory for Human Rights", "organisation", "said"),
            )
        ],
    ),
    # a hyphenated name ending in lower case is a name (see also
    # test_a_phrase_with_no_capital_is_no_name)
    (
        "South Korean President Park Geun-hye said the test was reckless.",
        [
            (
                "South Korean President Park Geun-hye said",
                src("Park Geun-hye", "named_person", "said"),
            )
        ],
    ),
    # a poll set off at the head of the sentence is where its figures come from
    (
        "In the latest Valley Post poll, the mayor led her rival by five points.",
        [
            (
                "In the latest Valley Post poll",
                src("Valley Post", "news_outlet", "in", cue_kind="according-to"),
            )
        ],
    ),
    (
        "In last month's survey, turnout intentions fell by a third.",
        [
            (
                "In last month's survey",
                src("last month's survey", "document", "in", cue_kind="according-to"),
            )
        ],
    ),
    ("The senator has sagged in the polls this month.", []),
    # a lower-case word the tagger calls a proper noun is no outlet's name
    (
        "Artillery hit the camp and killed four children the state news agency said.",
        [("the state news agency said", src("state news agency", "news_outlet", "said"))],
    ),
    # the parser hangs the speaker of a closing tag on the dead as an apposition
    (
        "An air strike on the market in Aleppo on Friday killed 14 people, the Syrian"
        " Observatory for Human Rights said.",
        [
            (
                "the Syrian Observatory for Human Rights said",
                src("Syrian Observatory for Human Rights", "organisation", "said"),
            )
        ],
    ),
    # the dead of a run-on tag do not speak: no speaker rather than "13 people MSF"
    ("Air strikes on the clinic killed 13 people MSF said on Monday.", []),
    # ... but a title carrying the lost count is still the speaker's
    (
        "A missile strike on the airfield near Homs killed five people and injured seven"
        " Homs Governor Karim Haddad said Friday.",
        [
            (
                "seven Homs Governor Karim Haddad said",
                src("Karim Haddad", "named_person", "said"),
            )
        ],
    ),
    # an "as"-clause of speech: the words are the sentence around it
    (
        "As the ministry noted, the border crossing has been closed since Friday.",
        [("the ministry noted", src("ministry", "organisation", "noted"))],
    ),
    (
        "The toll is likely to rise, as Dr. Lena Ortiz pointed out.",
        [("Dr. Lena Ortiz pointed out", src("Lena Ortiz", "named_person", "pointed out"))],
    ),
    # ... but not a comparison, and not the time someone spoke
    ("The general is not as confident as the minister claims.", []),
    ("As the minister spoke, sirens sounded across the city.", []),
    # a thought is never told inverted: an aside to the reader
    (
        "Given the union's push to collect -- which the bank's chief called \"a stunt\" -- one"
        " question that has come up is whether firms may be more willing to bring cash home"
        " rather than risk shifting tax rules in Europe (think Brexit, for example) and"
        " elsewhere.",
        [("the bank's chief called", src("bank's chief", "official_role", "called"))],
    ),
    # the quoted words are the characterisation, whichever noun the parser took for the object
    (
        'His surrogates called him "a genius" for his tax strategy.',
        [("His surrogates called", src("surrogates", "anonymous_other", "called"))],
    ),
]


@pytest.mark.parametrize(
    "text,expected", SEED_ROWS + WIRE_ROWS, ids=[r[0][:40] for r in SEED_ROWS + WIRE_ROWS]
)
def test_table(nlp, settings, text, expected):
    s = sentence(text, index=3)
    facts = find_attributions(s, nlp(text), ctx=CTX, settings=settings)
    assert [(f.text, dict(f.value)) for f in facts] == expected
    for f in facts:
        assert (f.kind, f.source_id, f.sentence) == ("attribution", "s1", 3)
        assert text[f.start : f.end] == f.text


def test_table_is_large_enough():
    assert len(SEED_ROWS + WIRE_ROWS) >= 25
    assert sum(1 for _t, e in SEED_ROWS + WIRE_ROWS if not e) >= 5


def test_seed_article_has_exactly_its_attributions(nlp, settings):
    _header, body = split_header(SEED.read_text(encoding="utf-8"))
    facts = []
    for s in split_sentences(body, source_id="hngn"):
        facts += find_attributions(s, nlp(s.text), ctx=CTX, settings=settings)
    found = [(f.text, f.value["relation"], f.value["speaker"], f.value["type"]) for f in facts]
    assert found == [
        ("A top US official told Fox News", "source", "top US official", "anonymous_official"),
        ("According to Marine Corps Times", "source", "Marine Corps Times", "news_outlet"),
        (
            "The Pentagon press secretary confirmed to reporters",
            "source",
            "Pentagon press secretary",
            "official_role",
        ),
        ("said John Kirby", "source", "John Kirby", "named_person"),
        ("Kirby said", "source", "Kirby", "named_person"),
        ("coalition officials announced", "source", "coalition officials", "anonymous_official"),
        ("the US official said", "source", "US official", "anonymous_official"),
        ("as per ABC News", "source", "ABC News", "news_outlet"),
        (
            "The Pentagon did not blame the attack on Iranian-backed militias",
            "blame",
            "Pentagon",
            "organisation",
        ),
        (
            "Press Secretary of the White House Jen Psaki said",
            "source",
            "Jen Psaki",
            "named_person",
        ),
    ]


def _resolved(nlp, settings, texts):
    """The attributions of one article made of these sentences, speakers resolved."""
    facts = []
    for i, t in enumerate(texts):
        facts += find_attributions(sentence(t, i), nlp(t), ctx=CTX, settings=settings)
    return resolve_speakers(facts, settings=settings)


def test_resolve_speakers_names_pronouns_and_surnames(nlp, settings):
    texts = [
        '"It was defensive," said John Kirby.',
        '"We acted," Kirby said.',
        '"It worked," he told reporters.',
        "The militia said in a statement it would respond.",
        '"We will retaliate," it said.',
    ]
    resolved = _resolved(nlp, settings, texts)
    assert [
        (f.value["speaker"], f.value["canonical"], f.value["type"], f.value.get("written"))
        for f in resolved
    ] == [
        ("John Kirby", "John Kirby", "named_person", None),
        ("Kirby", "John Kirby", "named_person", None),
        ("John Kirby", "John Kirby", "named_person", "he"),
        ("militia", "militia", "organisation", None),
        ("militia", "militia", "organisation", "it"),
    ]
    other = Fact(
        source_id="s2",
        sentence=0,
        kind="attribution",
        text="he said",
        start=0,
        end=7,
        value={"relation": "source", "speaker": "he", "type": "unresolved"},
    )
    assert resolve_speakers([other])[0] is other  # no earlier person in that article


def test_resolve_speakers_takes_an_anonymous_official_but_not_officials(nlp, settings):
    texts = [
        "An official with the militias told the Ledger that one fighter died.",
        "He said the site had been empty.",
        "Iraqi officials said it was a depot.",
        "He added that nobody was hurt.",
    ]
    facts = []
    for i, t in enumerate(texts):
        facts += find_attributions(sentence(t, i), nlp(t), ctx=CTX, settings=settings)
    assert [
        (f.value["speaker"], f.value["type"], f.value.get("written"))
        for f in resolve_speakers(facts, settings=settings)
    ] == [
        ("official with the militias", "anonymous_official", None),
        ("official with the militias", "anonymous_official", "He"),
        ("Iraqi officials", "anonymous_official", None),
        ("official with the militias", "anonymous_official", "He"),
    ]


def test_settings_aliases_reach_the_canonical_names(nlp, settings):
    custom = settings.with_overrides({"facts.aliases": {"Hashd": "Popular Mobilization Forces"}})
    text = "The attack was carried out by the Hashd, a senior official said."
    facts = find_attributions(sentence(text), nlp(text), ctx=CTX, settings=custom)
    assert [
        (f.value["actor"], f.value["actor_canonical"])
        for f in facts
        if f.value["relation"] == "responsibility"
    ] == [("Hashd", "Popular Mobilization Forces")]


def test_without_a_parse_only_according_to_is_read(settings):
    text = "According to the Associated Press, two rockets hit the base, officials said."
    facts = find_attributions(sentence(text), None, ctx=CTX, settings=settings)
    assert [(f.text, f.value["speaker"], f.value["type"], f.value["canonical"]) for f in facts] == [
        ("According to the Associated Press", "Associated Press", "news_outlet", "Associated Press")
    ]


def test_quoted_ranges():
    assert quoted_ranges('"We acted," Kirby said.') == [(0, 11)]
    assert quoted_ranges("\u201cWe acted,\u201d he said.") == [(0, 11)]
    assert quoted_ranges('of Iraq." Then') == [(0, 9)]  # the sentence began inside a quote
    assert quoted_ranges('He said: "We will') == [(9, 17)]
    # the close of an excerpt quoted over paragraphs, after a quotation of the sentence's
    # own: the sentence did not start inside a quote, so "she said" is the article's
    assert quoted_ranges('\u201cNo,\u201d she said of it."') == [(0, 5)]
    assert quoted_ranges("no quotes") == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '"',
        "\u201c\u201d",
        "said",
        "according to",
        "as per",
        "Kirby said " * 200,
        "\U0001f600 told \u0627\u0644",
        "blamed on on on by by",
        "claimed responsibility.",
    ],
)
def test_never_raises(nlp, settings, text):
    s = sentence(text)
    for doc in (nlp(text), None, nlp("something else entirely"), "not a doc"):
        facts = find_attributions(s, doc, ctx=CTX, settings=settings)
        assert all(text[f.start : f.end] == f.text for f in facts)


# Nominal cues and documents: the author of a claim, statement or study is its speaker
# (evidence, speaker, cue, cue kind). My own sentences.
NOMINAL_ROWS = [
    (
        "The governor's claim that the dam was safe drew sharp criticism.",
        [("The governor's claim", "governor", "claim", "speech")],
    ),
    (
        "Trump's tweet said the election was rigged.",
        [("Trump's tweet said", "Trump", "said", "speech")],
    ),
    # a remark with nothing reported, or a date before the noun, names no source
    ("Senator Reyes's comments drew criticism from both parties.", []),
    (
        "A June report found that the river was polluted.",
        [("A June report found", None, "found", "speech")],
    ),
    # a document's producer: "released by X", "appeared in X"
    (
        "A study released by the World Health Organization found that cases had doubled.",
        [
            (
                "A study released by the World Health Organization found",
                "World Health Organization",
                "found",
                "speech",
            )
        ],
    ),
    (
        "A survey that appeared in The Lancet showed that most patients recovered.",
        [("A survey that appeared in The Lancet showed", "Lancet", "showed", "speech")],
    ),
]


@pytest.mark.parametrize("text,expected", NOMINAL_ROWS, ids=[r[0][:40] for r in NOMINAL_ROWS])
def test_nominal_cues_and_document_producers(nlp, settings, text, expected):
    s = sentence(text)
    facts = find_attributions(s, nlp(text), ctx=CTX, settings=settings)
    got = [(f.text, f.value.get("speaker"), f.value["cue"], f.value["cue_kind"]) for f in facts]
    assert got == expected


@pytest.mark.parametrize(
    "words, pos, expected",
    [
        # the tagger's proper noun on a lower-case word ("rampant xenophobe ... who pledged")
        (["rampant", "xenophobe", "pledged"], ["ADJ", "PROPN", "VERB"], None),
        (["Harbor", "Gazette", "reported"], ["PROPN", "PROPN", "VERB"], "Harbor Gazette"),
        (["user", "@harborwatch", "posted"], ["NOUN", "PROPN", "VERB"], "@harborwatch"),
    ],
)
def test_a_phrase_with_no_capital_is_no_name(nlp, settings, words, pos, expected):
    from spacy.tokens import Doc

    from comparer.facts.speakers import describe

    deps = ["amod" if pos[0] == "ADJ" else "compound", "nsubj", "ROOT"]
    doc = Doc(nlp.vocab, words=words, pos=pos, deps=deps, heads=[1, 2, 2])
    who = describe(doc[1], doc, settings)
    assert (who or {}).get("speaker") == expected, who


# A description of a body ("a monitor", "the Britain-based monitor") is the one listed body
# the article names that may be called so, before or after it; with none, or two, it stays
# as written. (texts, expected (canonical, written) of each attribution in order)
BODY_DESCRIPTIONS = [
    (
        [
            "Air strikes killed 23 civilians on Thursday, a monitor said.",
            "The Syrian Observatory for Human Rights said the toll could rise.",
        ],
        [
            ("Syrian Observatory for Human Rights", "monitor"),
            ("Syrian Observatory for Human Rights", None),
        ],
    ),
    (
        [
            "The Syrian Observatory said 15 people were killed.",
            "The toll could rise, the Britain-based monitor said.",
        ],
        [
            ("Syrian Observatory for Human Rights", None),
            ("Syrian Observatory for Human Rights", "Britain-based monitor"),
        ],
    ),
    (
        [
            "Shelling killed nine people, a war monitor said.",
            "The Syrian Observatory for Human Rights has a network of sources on the ground.",
        ],
        [("Syrian Observatory for Human Rights", "war monitor")],
    ),
    # where it sits is no part of what it is, listed or not ("London-based")
    (
        [
            "The Syrian Observatory said 15 people were killed.",
            "The toll could rise, a London-based monitor said.",
        ],
        [
            ("Syrian Observatory for Human Rights", None),
            ("Syrian Observatory for Human Rights", "London-based monitor"),
        ],
    ),
    # no listed body named: the description stays
    (["Shelling killed nine people, a monitor said."], [("monitor", None)]),
    # "a group" may be any group, whatever the article names
    (
        [
            "A group said 12 fighters were killed.",
            "The Syrian Observatory for Human Rights said 14 were killed.",
        ],
        [("group", None), ("Syrian Observatory for Human Rights", None)],
    ),
]


@pytest.mark.parametrize("texts, expected", BODY_DESCRIPTIONS)
def test_a_description_of_a_body_is_the_one_listed_body_named(nlp, settings, texts, expected):
    facts, sentences = [], []
    for i, t in enumerate(texts):
        sentences.append(sentence(t, i))
        facts += find_attributions(sentences[-1], nlp(t), ctx=CTX, settings=settings)
    resolved = resolve_speakers(facts, settings=settings, sentences=sentences)
    got = [(f.value["canonical"], f.value.get("written")) for f in resolved]
    assert got == expected


def test_the_monitor_is_the_listed_body_named_before(nlp, settings):
    """ "the monitor" after the Observatory is the Observatory: one of its listed names ends
    in "monitor". "The group" is too generic to point back at it."""
    texts = [
        "Air strikes killed 20 people, the Syrian Observatory for Human Rights said.",
        "The toll could rise, the monitor said.",
        "The group said the strikes were revenge.",
    ]
    resolved = _resolved(nlp, settings, texts)
    assert [(f.value["canonical"], f.value.get("written")) for f in resolved] == [
        ("Syrian Observatory for Human Rights", None),
        ("Syrian Observatory for Human Rights", "monitor"),
        ("group", None),
    ]
