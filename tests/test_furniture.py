"""furniture.py: page furniture in pasted and saved text is dropped and counted; story stays."""

from __future__ import annotations

import pytest

from comparer.extract import extract_plain
from comparer.furniture import furniture_kind, furniture_warning, strip_furniture
from comparer.pipeline import read_sources
from comparer.sources import pasted_source

BEFORE = "Officials confirmed the strike on the depot late on Thursday."
AFTER = "No one was hurt in the blast, the civil defence said."

FURNITURE = [
    "3 min read",
    "5 minute read",
    "Reading time: 4 minutes",
    "Sign up for our newsletter",
    "Something went wrong, try again",
    "Please try again later",
    "Loading...",
    "Editing by Jane Doe",
    "Reporting by Omar Haddad; Writing by Lena Fischer",
    "(Reporting by Omar Haddad in Beirut; Editing by Tom Hale)",
    "Lena Fischer and Tomás Vidal contributed reporting from Lisbon.",
    "Ama Boateng contributed to this report.",
    "By Maria Okafor",
    "Share this article",
    "Share on Facebook Twitter WhatsApp",
    "Copy link",
    "Listen to this article",
    "Advertisement",
    "Skip advertisement",
    "Image: Getty",
    "Photo credit Reuters",
    "FILE PHOTO: A man walks past a damaged building in Raqqa, Syria, May 3, 2021.",
    "Updated 3 hours ago",
    "an hour ago",
    "Follow us on Twitter",
    "Comments (12)",
    "Log in to comment",
    "Reply",
    "12 likes",
    "Like Reply 3",
    "Most read",
    "Related coverage",
    "5:32 PM EST",
    "14:05 GMT",
    "5:32 PM EST, Thu February 25, 2021",
    "https://example.com/news/2021/02/26/strike",
    "www.example.com",
    "* * *",
    "\U0001f525\U0001f525\U0001f525",
]

STORY = [
    "22 dead in heavy U.S. raids on IS Syria stronghold",
    "Biden ordered US airstrike against Syria",
    "12 killed in Homs blast",
    "Live updates: strikes on Syria",
    "Aftermath",
    '"We will respond."',
    '"Enough."',
    "Nothing.",
    "Comments by the minister drew criticism on Friday.",
    "Reply came swiftly from Tehran.",
    "Reply to Damascus",
    "Something went wrong with the engine, the pilot said.",
    "Listen to the families, the mayor urged.",
    "Reporting by Reuters showed a rise in strikes.",
    "Editing by hand, the clerk changed the tally.",
    "Volunteers from the district contributed reporting that the council later used in its audit.",
    "Most read newspapers carried the story.",
    "At 5:32 PM the first rocket hit.",
    "Copy of the letter seen by the paper",
    "Like father, like son",
    "3 killed, 12 hurt",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_lines_are_dropped(line):
    assert furniture_kind(line) is not None
    got = strip_furniture([BEFORE, line, AFTER])
    assert got.text == f"{BEFORE}\n\n{AFTER}"
    assert len(got.dropped) == 1


@pytest.mark.parametrize("line", STORY)
def test_story_lines_are_kept(line):
    assert furniture_kind(line) is None
    assert strip_furniture([BEFORE, line, AFTER]).text == f"{BEFORE}\n\n{line}\n\n{AFTER}"


@pytest.mark.parametrize(
    "header", ["Comments", "23 Comments", "Join the conversation", "Show comments"]
)
def test_everything_under_a_comments_header_goes(header):
    story = [BEFORE, AFTER, header, "Great piece, thanks.", "Reply", "Totally wrong, as usual."]
    got = strip_furniture(story)
    assert got.text == f"{BEFORE}\n\n{AFTER}"
    assert got.dropped == ("reader comments",) * 4


def test_a_comment_count_above_the_story_drops_only_itself():
    # a count beside the byline, before any story paragraph: the story must survive
    got = strip_furniture(["23 Comments", BEFORE, AFTER])
    assert got.text == f"{BEFORE}\n\n{AFTER}"
    assert got.dropped == ("reader comments",)


def test_the_warning_counts_lines_and_names_kinds_in_order():
    assert furniture_warning(()) is None
    assert furniture_warning(["teasers"]) == "1 line of page furniture dropped (teasers)"
    assert furniture_warning(
        ["share and comment buttons", "bylines and credits", "share and comment buttons"]
    ) == ("3 lines of page furniture dropped (share and comment buttons, bylines and credits)")


PASTED = "\n".join(
    [
        "22 dead in heavy raids on border town",
        "3 min read",
        "Sign up for our newsletter",
        "Air strikes hit a border town in eastern Syria overnight, killing at least 22 people, "
        "a monitoring group said on Sunday.",
        "Share on Facebook Twitter WhatsApp",
        "The group said most of the dead were fighters and that the toll was likely to rise.",
        "Editing by Jane Doe",
        "Comments",
        "What a terrible war.",
        "Reply",
    ]
)


def test_plain_text_carries_one_furniture_warning(settings):
    got = extract_plain(PASTED, settings=settings)
    assert got.text.split("\n\n") == [
        "22 dead in heavy raids on border town",
        "Air strikes hit a border town in eastern Syria overnight, killing at least 22 people, "
        "a monitoring group said on Sunday.",
        "The group said most of the dead were fighters and that the toll was likely to rise.",
    ]
    furniture = [w for w in got.warnings if "page furniture" in w]
    assert furniture == [
        "7 lines of page furniture dropped (timestamps and reading times, "
        "newsletter and subscription prompts, share and comment buttons, "
        "bylines and credits, reader comments)"
    ]


def test_the_warning_reaches_the_article(settings):
    (article,) = read_sources([pasted_source(PASTED, "Wire", "s1")], settings)
    assert article.status == "ok"
    assert sum("page furniture" in w for w in article.warnings) == 1
    assert any(w.startswith("7 lines of page furniture dropped") for w in article.warnings)
    assert "Reply" not in article.text and "newsletter" not in article.text


def test_clean_text_has_no_furniture_warning(settings):
    got = extract_plain(f"{BEFORE}\n\n{AFTER}", settings=settings)
    assert not any("page furniture" in w for w in got.warnings)


# Teasers of another story: a label with or without a colon, then that story's headline.
RELATED_LINES = [
    "RELATED STORY: Rebels shell a market in a coastal town",
    "Related story - Three killed in a blast at a bus depot",
    "Related article: Convoy hit near the northern crossing",
    "Also read Strikes hit a bakery in the old quarter",
    "Read more Ceasefire talks stall for a third week",
    "See also Aid trucks wait at the border",
    "More on this story: Families search the rubble",
]
# Lines that start like a teaser label but are sentences of the story.
RELATED_STORY_LINES = [
    "Read more about how the strike unfolded in our timeline.",
    "Related stories of survivors were heard by the inquiry.",
    "See also the statement the ministry issued on Friday.",
]


@pytest.mark.parametrize("line", RELATED_LINES)
def test_related_story_lines_are_teasers_wherever_they_stand(line):
    assert furniture_kind(line) == "teasers"


@pytest.mark.parametrize("line", RELATED_STORY_LINES)
def test_sentences_that_start_like_a_label_stay(line):
    assert furniture_kind(line) is None


# A title-case headline alone on a line: below the first story paragraph it links to
# another story and goes; as the first line it is the story's own headline and stays.
LINKED_HEADLINES = [
    "Missile Attack on Air Base an Attempt to Divert Attention From the North - Minister",
    "Rebels Shell Market in Coastal Town as Talks Stall",
    "UN Envoy Calls for Calm After Convoy Attack Near Border",
]


@pytest.mark.parametrize("line", RELATED_LINES + LINKED_HEADLINES)
def test_a_teaser_below_the_story_start_is_dropped(line):
    got = strip_furniture([BEFORE, line, AFTER])
    assert got.text == f"{BEFORE}\n\n{AFTER}"
    assert got.dropped == ("teasers",)


@pytest.mark.parametrize("line", LINKED_HEADLINES)
def test_a_title_case_first_line_is_the_story_headline(line):
    assert strip_furniture([line, BEFORE, AFTER]).text == f"{line}\n\n{BEFORE}\n\n{AFTER}"


@pytest.mark.parametrize(
    "line",
    [
        "22 dead in heavy raids on a border town",  # sentence case: the story's own words
        "Aftermath of the Strike",  # a short subheading
        "The Syrian Observatory for Human Rights said 12 Were Killed.",  # a sentence
    ],
)
def test_lines_that_are_not_title_case_headlines_stay(line):
    assert strip_furniture([BEFORE, line, AFTER]).text == f"{BEFORE}\n\n{line}\n\n{AFTER}"


# A page saved without its line breaks: a picture credit and a linked story's headline run
# into the paragraph. The credit and headline go; the story resumes at its next sentence.
INLINE_CREDITS = [
    (
        "The governor spoke on local radio. AP Photo Jane Roe Missile Attack on Air Base an "
        "Attempt to Divert Attention From the North - Minister According to the governor the "
        "depot burned.",
        "The governor spoke on local radio. According to the governor the depot burned.",
        ("teasers",),
    ),
    (
        "The depot burned overnight. AFP Photo Omar Haddad Rescue workers searched the rubble.",
        "The depot burned overnight. Rescue workers searched the rubble.",
        ("tags and picture credits",),
    ),
    # a share widget's label and counters run into the text
    (
        "12.03.2024Get short URL 0 15 The toll from the raid reached 21, a source said.",
        "12.03.2024 The toll from the raid reached 21, a source said.",
        ("share and comment buttons",),
    ),
    (
        "(Photo AP) Print Tweet Views 2494 Rebels fired rockets at the city.",
        "Rebels fired rockets at the city.",
        ("share and comment buttons", "tags and picture credits"),
    ),
    (
        "(IHA Photo) The town is mainly held by Kurdish forces. A boy sits in a tent (File "
        "photo) (TRT World and Agencies) Rockets hit the town on Monday.",
        "The town is mainly held by Kurdish forces. A boy sits in a tent Rockets hit the town "
        "on Monday.",
        ("tags and picture credits",) * 3,
    ),
    (
        "Two people were hurt, a witness said. Source TRTWorld and agencies Related News "
        "Iraqs Army Retakes Town",
        "Two people were hurt, a witness said.",
        ("bylines and credits",),
    ),
    # a site's topic tags run into the copy: the story resumes after the last lower-case tag
    (
        "A clinic near the city was hit. Tags Harbor Valley aid airstrikes Four medics died.",
        "A clinic near the city was hit. Four medics died.",
        ("tags and picture credits",),
    ),
    (
        "Tags Harbor Valley schools children At least six children were hurt.",
        "At least six children were hurt.",
        ("tags and picture credits",),
    ),
    # a sentence that starts with "Tags", or tags with no lower-case word to end them: left
    ("Tags on the crates showed the names of Harbor Valley firms.", None, ()),
    ("Tags Harbor Valley Army Rebel shelling hit the town.", None, ()),
    # no credited name before the story resumes, or no story after it: left alone
    ("Getty Images said the picture was genuine.", None, ()),
    ("The source of the photo, a local agency, said it was taken on Monday.", None, ()),
    ("The ministry said it would print the report and tweet the views of 20 experts.", None, ()),
    ("The depot burned. AP Photo Jane Roe", None, ()),
]


@pytest.mark.parametrize("paragraph, kept, dropped", INLINE_CREDITS)
def test_a_picture_credit_run_into_a_paragraph_goes(paragraph, kept, dropped):
    got = strip_furniture([paragraph])
    assert got.text == (paragraph if kept is None else kept)
    assert got.dropped == dropped
