"""datelines.py: a leading dateline becomes metadata, and only a dateline does."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from comparer.datelines import split_dateline
from comparer.pipeline import read_sources
from comparer.sources import source_from_spec

PUBLISHED = datetime(2021, 8, 28, 6, 30, tzinfo=UTC)
AUG_27 = date(2021, 8, 27)

# (text, place, date, how the remaining text starts); place and date None and the text
# unchanged when there is no dateline. All constructed.
CASES = [
    # wire copy
    ("KABUL, Aug 27: The airport gates stayed shut.", "Kabul", AUG_27, "The airport gates"),
    ("KABUL, Aug. 27 (Reuters) - The airport gates stayed shut.", "Kabul", AUG_27, "The airport"),
    ("BEIRUT (Reuters) - A strike hit a depot near the port.", "Beirut", None, "A strike hit"),
    (
        "DAMASCUS, Syria (AP) \u2014 State media reported blasts.",
        "Damascus, Syria",
        None,
        "State media",
    ),
    ("WASHINGTON \u2014 The Pentagon said the raid was over.", "Washington", None, "The Pentagon"),
    (
        "BEIRUT, Lebanon, Aug. 27 (UPI) -- Rockets fell overnight.",
        "Beirut, Lebanon",
        AUG_27,
        "Rockets fell",
    ),
    # two days after publication is still this year (time zones); see the year test below
    ("Aug. 30 (Wire) -- Officials confirmed the count.", None, date(2021, 8, 30), "Officials"),
    (
        "(Example News - 26th Aug, 2021) : The army said it had retreated.",
        None,
        date(2021, 8, 26),
        "The army said",
    ),
    (
        "NEW YORK, March 3, 2021 /PRNewswire/ -- Harbor Ltd announced a merger.",
        "New York",
        date(2021, 3, 3),
        "Harbor Ltd",
    ),
    ("KABUL: Shops reopened in the old city.", "Kabul", None, "Shops reopened"),
    (
        "GAZA CITY, Gaza Strip (AP) \u2014 Jets struck a tower.",
        "Gaza City, Gaza Strip",
        None,
        "Jets struck",
    ),
    ("DEIR EZ-ZOR, Syria (Reuters) - Fighting went on.", "Deir Ez-Zor, Syria", None, "Fighting"),
    ("Beirut, Aug 27 (Reuters) - The port was closed.", "Beirut", AUG_27, "The port"),
    ("ST. LOUIS (AP) \u2014 A bridge was closed.", "St. Louis", None, "A bridge"),
    (
        "BEIRUT, Dec 30 (Reuters) - The year ended quietly.",
        "Beirut",
        date(2020, 12, 30),
        "The year ended",
    ),
    # a dateline that is a whole paragraph of its own
    ("BEIRUT (Reuters) -\n\nA strike hit a depot.", "Beirut", None, "A strike hit"),
    # FA-KES style: commas stripped, the date leads the story
    (
        "Sun 05 Jul 2015 22 dead in heavy U.S. raids on IS Syria stronghold",
        None,
        date(2015, 7, 5),
        "22 dead in heavy",
    ),
    (
        "Wed 05 Apr 2017 at 0914 Homs governor says car bomb killed five",
        None,
        date(2017, 4, 5),
        "Homs governor",
    ),
    (
        "Published July 5 2015 U.S.-led coalition aircraft struck the city",
        None,
        date(2015, 7, 5),
        "U.S.-led coalition",
    ),
    (
        "Date of publication 12 March 2019 Aid agencies halted deliveries to the valley",
        None,
        date(2019, 3, 12),
        "Aid agencies",
    ),
    ("05-07-2015 US Raids on Raqqa kill ten", None, date(2015, 7, 5), "US Raids"),
    (
        "Monday 17 August 2014 Government jets bombed the town",
        None,
        date(2014, 8, 17),
        "Government jets",
    ),
    ("Aug 17 2014 Government jets bombed the town", None, date(2014, 8, 17), "Government jets"),
    ("17 August 2014 Government jets bombed the town", None, date(2014, 8, 17), "Government jets"),
    ("Sun 05 Jul 2015\n\nThe raids went on all night.", None, date(2015, 7, 5), "The raids"),
    # not datelines: a sentence starts here and must stay whole
    ("ISIS fighters attacked a checkpoint at dawn.", None, None, "ISIS fighters"),
    ("UN officials said the convoy was hit.", None, None, "UN officials"),
    ("Kabul, the capital, was quiet on Monday.", None, None, "Kabul, the capital"),
    ("Washington is preparing a response.", None, None, "Washington is"),
    ("Washington: officials said the strike hit.", None, None, "Washington:"),
    ("On Sunday 5 July the strikes began at dawn.", None, None, "On Sunday"),
    ("17 August 2014 was the deadliest day of the month.", None, None, "17 August 2014 was"),
    ("UPDATE: The toll rose to 12.", None, None, "UPDATE:"),
    ("ISIS \u2014 the group that claimed it \u2014 said nothing.", None, None, "ISIS \u2014"),
    ("US STRIKES SYRIA \u2014 REPORT", None, None, "US STRIKES"),
    ("31-02-2015 US Raids on Raqqa kill ten", None, None, "31-02-2015"),
    ("The strike hit at dawn.\n\nKABUL (Reuters) - Later.", None, None, "The strike hit"),
]


@pytest.mark.parametrize(("text", "place", "when", "rest"), CASES, ids=[c[0][:32] for c in CASES])
def test_dateline_table(text, place, when, rest):
    dateline, remaining = split_dateline(text, published=PUBLISHED)
    if place is None and when is None:
        assert dateline is None
        assert remaining == text
        return
    assert dateline is not None
    assert (dateline.place, dateline.date) == (place, when)
    assert remaining.startswith(rest)
    assert remaining == remaining.strip() and "\n\n\n" not in remaining


def test_the_paragraphs_after_the_first_are_untouched():
    text = "BEIRUT (Reuters) - A strike hit.\n\nSecond paragraph.\n\nThird."
    _, remaining = split_dateline(text, published=None)
    assert remaining == "A strike hit.\n\nSecond paragraph.\n\nThird."


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (datetime(2021, 8, 28, tzinfo=UTC), date(2021, 8, 27)),
        # filed on the 27th in Kabul, published late on the 26th in UTC: same year
        (datetime(2021, 8, 26, 21, 0, tzinfo=UTC), date(2021, 8, 27)),
        # filed in late August, published in January: the year before
        (datetime(2022, 1, 3, tzinfo=UTC), date(2021, 8, 27)),
        # more than two days after publication: the year before
        (datetime(2021, 8, 24, tzinfo=UTC), date(2020, 8, 27)),
        (None, None),
    ],
)
def test_a_date_without_a_year_takes_the_publication_year(published, expected):
    dateline, _ = split_dateline("KABUL, Aug. 27 (Reuters) - Gates shut.", published=published)
    assert dateline is not None and dateline.place == "Kabul"
    assert dateline.date == expected


def test_a_dateline_with_nothing_after_it_is_left_alone():
    assert split_dateline("BEIRUT (Reuters) -", published=None) == (None, "BEIRUT (Reuters) -")


def test_the_pipeline_files_the_dateline_as_metadata(settings, tmp_path):
    path = tmp_path / "wire.txt"
    path.write_text(
        "Outlet: Constructed Wire\nPublished: 2021-02-26T08:30:00Z\n"
        "Constructed: yes\n\n"
        "BEIRUT, Feb 26 (Reuters) - A strike hit a border post in eastern Syria "
        "overnight, a monitor said.\n\nNo one claimed the attack.",
        "utf-8",
    )
    (article,) = read_sources([source_from_spec(str(path), "s1")], settings)
    assert article.status == "ok"
    assert (article.dateline_place, article.dateline_date) == ("Beirut", date(2021, 2, 26))
    assert article.text.startswith("A strike hit a border post")
    assert article.sentences[0].text.startswith("A strike hit")
    assert "BEIRUT" not in article.text
    assert article.to_dict()["dateline_date"] == "2021-02-26"


def test_an_article_without_a_dateline_has_none(settings):
    from comparer.sources import pasted_source

    (article,) = read_sources(
        [pasted_source("The strike hit at dawn, officials said.", "Wire", "s1")], settings
    )
    assert (article.dateline_place, article.dateline_date) == (None, None)
    assert article.text == "The strike hit at dawn, officials said."


# A text source's headline stands alone as its first paragraph: the dateline opens the next.
HEADLINE_CASES = [
    (
        "Ten dead in raid on market\n\nFriday 29 Jul 2016 At least ten people died.",
        date(2016, 7, 29),
        None,
        "Ten dead in raid on market\n\nAt least ten people died.",
    ),
    (
        "Raid on port\n\nBEIRUT (Reuters) - A strike hit a depot.",
        None,
        "Beirut",
        "Raid on port\n\nA strike hit a depot.",
    ),
    # the headline stays; only the paragraph right after it is looked at
    ("Raid on port\n\nA strike hit a depot.", None, None, None),
    ("Raid on port\n\nDepot hit\n\nBEIRUT (Reuters) - A strike hit.", None, None, None),
    # a first paragraph that ends a sentence is the story, not a headline
    ("A strike hit a depot.\n\nBEIRUT (Reuters) - Later.", None, None, None),
]


@pytest.mark.parametrize(("text", "when", "place", "remaining"), HEADLINE_CASES)
def test_a_dateline_after_the_headline(text, when, place, remaining):
    dateline, rest = split_dateline(text, published=PUBLISHED)
    if remaining is None:
        assert (dateline, rest) == (None, text)
    else:
        assert dateline is not None and (dateline.date, dateline.place) == (when, place)
        assert rest == remaining
