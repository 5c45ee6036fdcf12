"""extract.py: hand-written news pages, the seed article, clutter rules, plain-text paragraphing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from comparer.errors import ExtractionError
from comparer.extract import (
    SHORT_TEXT_WARNING,
    Extracted,
    extract_html,
    extract_plain,
    keep_text,
    remove_clutter,
)
from comparer.records import iso
from comparer.sentences import split_sentences
from comparer.sources import split_header

HERE = Path(__file__).resolve().parent
PAGES = HERE / "fixtures" / "pages"
SEED = HERE.parent / "comparer" / "examples" / "syria-2021-02-25" / "01-hngn.txt"
EXPECT = {
    k: v
    for k, v in json.loads((PAGES / "expectations.json").read_text("utf-8")).items()
    if not k.startswith("_")
}


def assert_paragraph_convention(text: str) -> None:
    assert text == text.strip()
    assert "\n\n\n" not in text
    for paragraph in text.split("\n\n"):
        assert paragraph and "\n" not in paragraph and paragraph == paragraph.strip()
        assert "  " not in paragraph


def test_every_page_has_expectations_and_says_it_is_constructed():
    pages = sorted(p.name for p in PAGES.glob("*.html"))
    assert len(pages) >= 8
    assert pages == sorted(EXPECT)
    for name in pages:
        assert "Constructed test page for the Crosscheck project" in (PAGES / name).read_text(
            "utf-8"
        )


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECT.items() if e["outcome"] != "error"))
def test_page(name, settings):
    exp = EXPECT[name]
    got = extract_html((PAGES / name).read_text("utf-8"), url=exp["url"], settings=settings)
    assert_paragraph_convention(got.text)
    sentences = split_sentences(got.text, source_id="p")
    texts = [s.text for s in sentences]
    for s in sentences:
        assert got.text[s.start : s.end] == s.text
    for wanted in exp["sentences"]:
        assert wanted in texts
    for unwanted in exp["absent"]:
        assert unwanted not in got.text, unwanted
    assert len(sentences) == exp["sentence_count"]
    assert (got.title, got.author, got.sitename, got.language) == (
        exp["title"],
        exp["author"],
        exp["sitename"],
        exp["language"],
    )
    assert iso(got.published) == exp["published"]
    if got.published is not None:
        assert got.published.tzinfo == UTC
    if exp["outcome"] == "ok":
        assert got.warnings == ()
    else:
        assert len(got.warnings) == 1 and SHORT_TEXT_WARNING in got.warnings[0]


def test_cookie_wall_is_an_extraction_error(settings):
    assert EXPECT["quayside-cookie-wall.html"]["outcome"] == "error"
    with pytest.raises(ExtractionError, match="no article text"):
        extract_html((PAGES / "quayside-cookie-wall.html").read_text("utf-8"), settings=settings)


def test_short_page_warning_follows_the_setting(settings):
    html = (PAGES / "fenwick-paywall.html").read_text("utf-8")
    assert SHORT_TEXT_WARNING in extract_html(html, settings=settings).warnings[0]
    lenient = settings.with_overrides({"extract.min_chars": 100})
    assert extract_html(html, settings=lenient).warnings == ()


@pytest.mark.parametrize("html", ["", "   \n", "<html><body></body></html>"])
def test_page_without_text_is_an_extraction_error(html, settings):
    with pytest.raises(ExtractionError):
        extract_html(html, settings=settings)


def test_text_without_markup_is_read_as_plain_text(settings):
    got = extract_html("Plain words, no tags at all.   Second sentence.", settings=settings)
    assert got.text == "Plain words, no tags at all. Second sentence."
    assert got.warnings[-1] == "the page is not HTML: read as plain text"
    assert SHORT_TEXT_WARNING in got.warnings[0]


def test_copyright_year_is_not_taken_for_a_publication_date(settings):
    body = "<p>" + "The harbour reopened on Tuesday after the storm had passed. " * 8 + "</p>"
    page = f"<html><body><article>{body}</article><footer>© 2023 Example</footer></body></html>"
    assert extract_html(page, settings=settings).published is None
    dated = page.replace("<article>", "<article><p class='date'>March 4, 2021</p>")
    assert extract_html(dated, settings=settings).published == datetime(2021, 3, 4, tzinfo=UTC)


# --- the seed article ------------------------------------------------------------------

SEED_SENTENCES = (
    "The US military launched an airstrike against an Iranian-backed paramilitary base in Syria on Thursday.",
    "Multiple targets were attacked by an airstrike that President Biden approved.",
    "Biden ordered US airstrike against Syria",
    "A top US official told Fox News that the strike was a defensive tactic intended to stop and prevent possible rocket attacks by the militia group that recently struck Baghdad and Erbil.",
    "According to Marine Corps Times, US troops attacked a border checkpoint in eastern Syria used by Iranian-backed militant groups about 6 PM East Standard Time Thursday afternoon.",
    "The Pentagon press secretary confirmed to reporters that the US airstrike was in revenge for recent missile attacks on US bases in Iraq and coalition forces and civilians, including wounded an American service member and killed a civilian contractor.",
    "The attacks, ordered by President Joe Biden, \"destroyed numerous installations,\" said John Kirby, used by forces like Kat'ib Hezbollah and Kat'ib Sayyid Lal'shuhada.",
    '"This proportionate military response was carried out in accordance with diplomatic initiatives, including coordination with coalition allies," Kirby said.',
    '"The operation sends a strong message: President Biden will intervene to defend the workers of the American alliance.',
    'Around the same time, we have worked deliberately to de-escalate the overall situation in East Syria and Iraq."',
    "On February 15, three 107 mm rockets targeted the Iraqi airbase in Irbil, where US troops are stationed, killing one U.S.-led coalition contractor and wounding US service members and others, Iraqi security officials, raising concerns of fresh warfare, coalition officials announced.",
    "The airstrike attacked buildings in the eastern Syrian town of Al Bukamal belonging to Kataib Hezbollah and other Iranian-backed militias that have conducted rocket attacks in Iraq in the past, the US official said.",
    "Another official identified the airstrike as hitting the area through which the smuggling took place, as per ABC News.",
    "The Pentagon did not blame the attack on Iranian-backed militias, even though forensic information retrieved shortly after the attack pointed to ties with Iranian-backed militias that had carried out similar attacks in the past.",
    'Press Secretary of the White House Jen Psaki said last week that the US "reserves the right to respond in the time and manner of our discretion" to the attack.',
)


@pytest.fixture()
def seed(settings) -> Extracted:
    headers, body = split_header(SEED.read_text("utf-8"))
    assert headers["outlet"] == "HNGN"
    return extract_plain(body, settings=settings)


def test_seed_sentences_exactly(seed):
    sentences = split_sentences(seed.text, source_id="s1")
    assert tuple(s.text for s in sentences) == SEED_SENTENCES
    assert [s.index for s in sentences] == list(range(15))
    assert [s.paragraph for s in sentences] == [0, 0, 1, 2, 3, 3, 4, 4, 5, 5, 6, 7, 7, 8, 9]
    for s in sentences:
        assert seed.text[s.start : s.end] == s.text


def test_seed_clutter_is_gone(seed):
    assert "Read also" not in seed.text
    assert "China Celebrates" not in seed.text and "Cabinet Nominee" not in seed.text
    assert "All rights reserved" not in seed.text and "reproduce" not in seed.text
    assert "This article is developing" not in seed.text
    # a plain text says what was left out of it: 3 teasers, 1 editor's note, 1 footer line
    assert seed.warnings == (
        "5 lines of page furniture dropped (teasers, editor's notes, copyright and footer lines)",
    )
    assert (seed.title, seed.author, seed.sitename, seed.published, seed.language) == (None,) * 5
    assert_paragraph_convention(seed.text)


# --- clutter rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Read also: China Celebrates the 'Human Miracle,' Claims of Ending Extreme Poverty",
        "READ MORE: Inspectors found cracks in 2019 report",
        "Related: Pentagon reshuffles Middle East commands",
        "Related stories",
        "See also",
        "Recommended",
        "You may also like",
        "Sign up for our daily newsletter with the top stories from the coast.",
        "Get the Ledger in your inbox",
        "Subscribe to continue reading this article.",
        "Already a subscriber? Log in",
        "Share this article",
        "Facebook Twitter Email Print",
        "© 2021 The Harbor Ledger. All rights reserved.",
        "@ 2018 HNGN, All rights reserved. Do not reproduce without permission.",
        "Copyright 2022 Midland Courier Media Inc.",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "Privacy policy | Terms of use | Contact us",
        "We use cookies to improve your experience.",
        "Advertisement",
        "Story continues below advertisement",
        "By Maria Okafor",
        "By Carlos Medina and Ruth Adler, Tidewater Times",
        "Updated: March 4, 2021 11:15 p.m. ET",
        "Published 26/02/2021 08:30 GMT",
        "Tags: schools, elections, Grand Marsh",
        "Photo: Gazette staff",
        "This is a developing story.",
    ],
)
def test_clutter_lines_are_dropped(line):
    assert remove_clutter(f"Officials confirmed the strike.\n{line}\nNo one was hurt.") == (
        "Officials confirmed the strike.\n\nNo one was hurt."
    )


@pytest.mark.parametrize(
    "line",
    [
        "Related incidents were reported in Erbil last month.",
        "Privacy advocates said the law went too far.",
        "Copyright lawyers said the ruling would be appealed.",
        "Share prices fell 3 percent on Monday.",
        "By Thursday evening, the fire had reached Kelso.",
        "Video by bystanders showed the moment of the blast.",
        "More than 20 people were hurt, officials said.",
        "The company said 2 million readers subscribe to its newsletter.",
        "Biden ordered US airstrike against Syria",
        "Watch officers at the gate were the first to see the rockets.",
        "Updated figures show 12 dead",
    ],
)
def test_reporting_that_resembles_clutter_is_kept(line):
    assert remove_clutter(line) == line


def test_trailing_developing_note_is_cut_from_its_paragraph():
    text = 'Psaki said the US "reserves the right" to respond. This article is developing and is going to be updated.'
    assert remove_clutter(text) == 'Psaki said the US "reserves the right" to respond.'


def test_long_paragraph_is_never_clutter():
    long = "Related: " + "officials said the strike hit two buildings near the border. " * 6
    assert remove_clutter(long) == long.strip()


# --- plain text paragraphing ----------------------------------------------------------


def test_plain_hard_wrapped_block_is_joined(settings):
    text = (
        "The strike hit a border crossing used by militias, officials\n"
        "said on Friday, and destroyed nine buildings at the site near\n"
        "Al Bukamal. Two more were damaged.\n"
        "\n"
        "Kirby said the response was proportionate."
    )
    assert extract_plain(text, settings=settings).text == (
        "The strike hit a border crossing used by militias, officials said on Friday, and "
        "destroyed nine buildings at the site near Al Bukamal. Two more were damaged.\n\n"
        "Kirby said the response was proportionate."
    )


def test_plain_one_line_per_paragraph_paste_is_kept(settings):
    text = (
        "US strikes militia site in Syria\r\n"
        "The strike hit a border crossing, officials said.\r\n"
        "Read more: Rockets hit base in Iraq\r\n"
        "Kirby said\u00a0the response was   proportionate.\r\n"
    )
    got = extract_plain(text, settings=settings)
    assert got.text == (
        "US strikes militia site in Syria\n\n"
        "The strike hit a border crossing, officials said.\n\n"
        "Kirby said the response was proportionate."
    )
    assert SHORT_TEXT_WARNING in got.warnings[0]


def test_plain_line_continuing_in_lower_case_is_joined(settings):
    got = extract_plain(
        "The strike hit a border\ncrossing, officials said.\nNo one was hurt.", settings=settings
    )
    assert got.text == "The strike hit a border crossing, officials said.\n\nNo one was hurt."


@pytest.mark.parametrize("text", ["", "  \n\n ", "Read also: Something\n\n© 2021 Example"])
def test_plain_without_text_is_an_extraction_error(text, settings):
    with pytest.raises(ExtractionError):
        extract_plain(text, settings=settings)


def test_date_in_the_url_is_the_fallback(settings):
    body = "<p>" + "The harbour reopened on Tuesday after the storm had passed. " * 8 + "</p>"
    page = f"<html><body><article>{body}</article></body></html>"
    got = extract_html(page, url="https://example.com/news/2021/03/04/harbour", settings=settings)
    assert got.published == datetime(2021, 3, 4, tzinfo=UTC)


def test_keep_text_cuts_at_a_paragraph_break_and_redoes_the_short_text_warning(settings):
    """The rules on what an article keeps run on every extraction (a cached one too), so
    they follow this run's settings: a warning carried from an extraction made under
    another extract.min_chars is replaced, and the cut never splits a paragraph."""
    text = "\n\n".join(f"Paragraph {n} says officials met on Monday." for n in range(80))
    stale = (
        f"only 10 characters of text extracted (fewer than 5000): {SHORT_TEXT_WARNING}",
        "read as windows-1252 (detected; no charset declared)",
    )
    kept, warnings = keep_text(
        text, stale, settings.with_overrides({"extract.max_chars": 1000, "extract.min_chars": 50})
    )
    assert len(kept) <= 1000 and kept.endswith("Monday.") and text.startswith(kept)
    assert text[len(kept) :].startswith("\n\nParagraph")
    assert warnings == (
        "read as windows-1252 (detected; no charset declared)",
        f"text cut to its first {len(kept):,} characters (extract.max_chars)",
    )
    short, warnings = keep_text("Too short.", (), settings)
    assert short == "Too short." and len(warnings) == 1 and SHORT_TEXT_WARNING in warnings[0]
