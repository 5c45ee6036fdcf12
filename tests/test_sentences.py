"""sentences.py: abbreviations, quotes, paragraph breaks and exact spans."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from comparer.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text, source_id="t")]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "U.S. officials said the strike was defensive. It hit two sites.",
            ["U.S. officials said the strike was defensive.", "It hit two sites."],
        ),
        (
            "The strike came at 6 p.m. Thursday, officials said. No one was hurt.",
            ["The strike came at 6 p.m. Thursday, officials said.", "No one was hurt."],
        ),
        (
            "Lt. Col. Wayne Marotto said three rockets landed. The base was damaged.",
            ["Lt. Col. Wayne Marotto said three rockets landed.", "The base was damaged."],
        ),
        (
            "The attack on Feb. 15 killed a contractor. Another was wounded.",
            ["The attack on Feb. 15 killed a contractor.", "Another was wounded."],
        ),
        (
            '"We will respond," Kirby said. "The message is clear."',
            ['"We will respond," Kirby said.', '"The message is clear."'],
        ),
        (
            'He said the U.S. "reserves the right to respond." Officials declined to comment.',
            ['He said the U.S. "reserves the right to respond."', "Officials declined to comment."],
        ),
        (
            'Kirby said: "The operation sends a strong message." He added nothing.',
            ['Kirby said: "The operation sends a strong message."', "He added nothing."],
        ),
        ('"Why now?" she asked. "Because we can."', ['"Why now?" she asked.', '"Because we can."']),
        (
            "The rockets hit the U.S. The Pentagon said no one was hurt.",
            ["The rockets hit the U.S.", "The Pentagon said no one was hurt."],
        ),
        (
            "The meeting ended at 11 p.m. The vote was 7-2.",
            ["The meeting ended at 11 p.m.", "The vote was 7-2."],
        ),
        (
            "They met at 9 a.m. \u201cIt was chaos,\u201d she said.",
            ["They met at 9 a.m.", "\u201cIt was chaos,\u201d she said."],
        ),
        (
            "Gen. Kenneth McKenzie and Sen. Jack Reed met on Jan. 5 in Washington.",
            ["Gen. Kenneth McKenzie and Sen. Jack Reed met on Jan. 5 in Washington."],
        ),
        (
            "Mr. Biden and Dr. Jill Biden flew to St. Louis on Monday.",
            ["Mr. Biden and Dr. Jill Biden flew to St. Louis on Monday."],
        ),
        (
            "The contract went to Acme Inc. The firm declined to comment. Globex Corp. Chairman Ann Lee did not.",
            [
                "The contract went to Acme Inc.",
                "The firm declined to comment.",
                "Globex Corp. Chairman Ann Lee did not.",
            ],
        ),
        ("Room No. 4 was hit at 5 a.m. local time.", ["Room No. 4 was hit at 5 a.m. local time."]),
        (
            "The U.K. and the U.S. issued a joint statement. The E.U. did not.",
            ["The U.K. and the U.S. issued a joint statement.", "The E.U. did not."],
        ),
        (
            "The vote was 52-48 in the U.S. Senate on Tuesday.",
            ["The vote was 52-48 in the U.S. Senate on Tuesday."],
        ),
        (
            "President John F. Kennedy visited in 1963.",
            ["President John F. Kennedy visited in 1963."],
        ),
        (
            "WASHINGTON, D.C. \u2014 The Pentagon said it was ready.",
            ["WASHINGTON, D.C. \u2014 The Pentagon said it was ready."],
        ),
        (
            "It happened in Portland, Ore. The mayor spoke.",
            ["It happened in Portland, Ore.", "The mayor spoke."],
        ),
        (
            "He was born in 1951. 20 years later he left.",
            ["He was born in 1951.", "20 years later he left."],
        ),
        (
            "The blast, heard at 9:15 a.m., shattered windows. Two were hurt!",
            ["The blast, heard at 9:15 a.m., shattered windows.", "Two were hurt!"],
        ),
        (
            "Officials said the toll was 17... Others put it higher.",
            ["Officials said the toll was 17...", "Others put it higher."],
        ),
        (
            "Gov. Kathy Hochul said the state would help. (She spoke at 3 p.m.)",
            ["Gov. Kathy Hochul said the state would help.", "(She spoke at 3 p.m.)"],
        ),
        (
            "Rear Adm. Grace Holloway takes command on Oct. 3 aboard the U.S. 5th Fleet flagship.",
            [
                "Rear Adm. Grace Holloway takes command on Oct. 3 aboard the U.S. 5th Fleet flagship."
            ],
        ),
    ],
)
def test_abbreviations_and_quotes(text, expected):
    assert texts(text) == expected


def test_paragraph_breaks_end_sentences_and_are_counted():
    text = (
        "  The US military launched an airstrike on Thursday.\n\n"
        "Biden ordered US airstrike against Syria\r\n"
        "\n \n"
        "A top US official told Fox News that it was defensive. Kirby agreed\n"
        "without a full stop"
    )
    got = split_sentences(text, source_id="s1")
    assert [(s.index, s.paragraph, s.text) for s in got] == [
        (0, 0, "The US military launched an airstrike on Thursday."),
        (1, 1, "Biden ordered US airstrike against Syria"),
        (2, 2, "A top US official told Fox News that it was defensive."),
        (3, 2, "Kirby agreed"),
        (4, 3, "without a full stop"),
    ]
    assert all(s.source_id == "s1" and text[s.start : s.end] == s.text for s in got)


@pytest.mark.parametrize("text", ["", "   ", "\n\n \n"])
def test_no_text_no_sentences(text):
    assert split_sentences(text, source_id="t") == ()


@hsettings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list('ab AB.?!"\u201d\u201c()\n-1U.S.p.m. Mr. ')), max_size=200
    )
)
def test_spans_are_exact_ordered_and_within_paragraphs(text):
    got = split_sentences(text, source_id="t")
    previous_end = 0
    for i, s in enumerate(got):
        assert s.index == i
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert "\n" not in s.text and "\r" not in s.text
        assert s.start >= previous_end
        previous_end = s.end
    assert "".join(s.text for s in got).replace(" ", "") == "".join(text.split())


# -- over-long sentences are cut within the parse caps --------------------------------


def _capped(text: str, max_chars: int = 1500, max_tokens: int = 250):
    from comparer.sentences import cap_sentences

    return cap_sentences(
        text, split_sentences(text, source_id="t"), max_chars=max_chars, max_tokens=max_tokens
    )


@pytest.mark.parametrize(
    "text",
    [
        "Officials said " + "\U0001f600" * 20_000 + " and 17 were killed.",
        "x" * 50_000,
        "The list: " + ", ".join(f"Name{i} Surname{i}" for i in range(2_000)) + ".",
        "\U0001f468\u200d\U0001f469\u200d\U0001f467" * 1_000,
        "e\u0301" * 4_000,
    ],
)
def test_every_piece_of_an_over_long_sentence_is_within_both_caps(text):
    from comparer.sentences import over_caps

    pieces, cut = _capped(text)
    assert cut == 1 and len(pieces) > 1
    assert all(text[p.start : p.end] == p.text and p.text == p.text.strip() for p in pieces)
    assert not any(over_caps(p.text, max_chars=1500, max_tokens=250) for p in pieces)
    assert [p.index for p in pieces] == list(range(len(pieces)))
    # nothing is lost but the spaces between pieces
    assert "".join("".join(p.text.split()) for p in pieces) == "".join(text.split())
    # no piece starts inside a combining sequence (an accent, a joined emoji)
    assert not any(p.text[0] in "\u0301\u200d" for p in pieces)


def test_a_long_list_is_cut_at_clause_breaks_and_short_sentences_are_untouched():
    text = (
        "A short one. "
        + "The strike hit "
        + ", ".join(f"village {i}" for i in range(300))
        + ". Another short one."
    )
    before = split_sentences(text, source_id="t")
    pieces, cut = _capped(text, max_chars=400)
    assert cut == 1
    assert pieces[0] == before[0] and pieces[-1].text == "Another short one."
    assert all(p.text.endswith(",") for p in pieces[1:-2])
    assert all(len(p.text) <= 400 for p in pieces)


def test_sentences_within_the_caps_come_back_as_they_were():
    text = "U.S. officials said the strike was defensive. It hit two sites."
    before = split_sentences(text, source_id="t")
    assert _capped(text) == (before, 0)
