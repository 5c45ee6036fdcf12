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
