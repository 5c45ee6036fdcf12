"""Source specs and the .txt header convention."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from comparer.errors import SourceError
from comparer.sources import (
    example_sources,
    outlet_from_url,
    pasted_source,
    source_from_spec,
    source_key,
    split_header,
)


def test_header_block_is_split_from_the_body():
    headers, body = split_header(
        "Outlet: Example Times\nURL: https://ex.example/a\n"
        "Published: 2021-02-26\n\nFirst line.\n\nSecond."
    )
    assert headers == {
        "outlet": "Example Times",
        "url": "https://ex.example/a",
        "published": "2021-02-26",
    }
    assert body == "First line.\n\nSecond."


@pytest.mark.parametrize(
    "text",
    [
        "The US military launched an airstrike.\n\nMore text.",
        "Washington: officials said the strike hit.\n\nMore.",  # a colon, but not a header key
        "",
    ],
)
def test_text_without_a_header_is_all_body(text):
    assert split_header(text) == ({}, text)


def test_url_file_and_bad_specs():
    assert source_from_spec("https://www.example.com/a", "s1").kind == "url"
    assert source_from_spec("page.HTML", "s2").kind == "file"
    with pytest.raises(SourceError, match="not a URL or a .html/.htm/.txt file"):
        source_from_spec("report.pdf", "s3")
    with pytest.raises(SourceError, match="empty"):
        source_from_spec("   ", "s4")


def test_outlet_from_url_drops_www():
    assert outlet_from_url("https://www.hngn.com/articles/1") == "hngn.com"


def test_pasted_text_needs_an_outlet_and_text():
    src = pasted_source("Body.", "Wire", "s1", published="2021-02-26T10:00:00")
    assert src.published == datetime(2021, 2, 26, 10, tzinfo=UTC)
    with pytest.raises(SourceError, match="outlet"):
        pasted_source("Body.", " ", "s1")
    with pytest.raises(SourceError, match="empty"):
        pasted_source("  ", "Wire", "s1")
    with pytest.raises(SourceError, match="not an ISO date"):
        pasted_source("Body.", "Wire", "s1", published="last Thursday")


def test_duplicates_are_found():
    keys = [source_key(s) for s in ["https://a.example/x", "https://a.example/x/", "b.txt"]]
    assert keys[0] == keys[1] != keys[2]


def test_example_event_starts_with_the_seed():
    sources = example_sources()
    assert sources[0].location.endswith("01-hngn.txt")
    assert [s.id for s in sources] == [f"s{n}" for n in range(1, len(sources) + 1)]


def test_txt_upload_keeps_its_file_name_and_honours_the_header():
    from comparer.sources import txt_source

    src = txt_source(
        "Outlet: Wire\nPublished: 2021-02-26\nConstructed: yes\n\nBody text.",
        "s1",
        name="saved-story.txt",
    )
    assert (src.kind, src.location, src.outlet, src.constructed) == (
        "text",
        "saved-story.txt",
        "Wire",
        True,
    )
    assert src.text == "Body text."
    assert src.published == datetime(2021, 2, 26, tzinfo=UTC)
    plain = txt_source("Just the text.", "s2", name="notes.txt")
    assert plain.outlet == "notes" and plain.constructed is False
    with pytest.raises(SourceError, match="no text"):
        txt_source("Outlet: Wire\n\n   ", "s3", name="empty.txt")


# -- header mistakes cost a warning, never the source ---------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "unknown",
        "26/02/2021",
        "2021-02-30",
        "last Thursday",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-14:00",
    ],
)
def test_an_unreadable_published_date_is_a_warning_naming_the_file(value):
    from comparer.sources import txt_source

    src = txt_source(f"Outlet: Wire\nPublished: {value}\n\nBody text.", "s1", name="story.txt")
    assert src.published is None and src.outlet == "Wire" and src.text == "Body text."
    (warning,) = src.warnings
    assert warning.startswith("story.txt: Published: ") and value in warning
    assert "without a publication date" in warning


def test_a_header_without_a_blank_line_is_not_part_of_the_text():
    headers, body = split_header(
        "Outlet: Example Times\nPublished: 2021-02-26\nThe strike killed 17.\n\nMore text."
    )
    assert headers == {"outlet": "Example Times", "published": "2021-02-26"}
    assert body == "The strike killed 17.\n\nMore text."
    # a text line that happens to have a colon still ends the header block
    headers, body = split_header("Outlet: Wire\nWashington: officials said it hit.\n")
    assert headers == {"outlet": "Wire"} and body.startswith("Washington: officials")


def test_other_header_names_in_a_closed_block_are_ignored():
    headers, body = split_header(
        "Outlet: Wire\r\nAuthor: Jane Doe\r\nPublished: 2021-02-26\r\n\r\nBody."
    )
    assert headers == {"outlet": "Wire", "published": "2021-02-26"}
    assert body == "Body."


# -- the same source under two spellings is one source ---------------------------------


def _unique(specs: list[str]) -> list[str]:
    """The specs without the ones naming an earlier source (the intake's rule)."""
    first: dict[str, str] = {}
    for spec in specs:
        first.setdefault(source_key(spec), spec)
    return list(first.values())


def test_one_file_under_several_spellings_is_one_source(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Outlet: A\n\nText.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Outlet: B\n\nText.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "hard.txt").hardlink_to(tmp_path / "a.txt")
    specs = [
        "a.txt",
        "./a.txt",
        str(tmp_path / "a.txt"),
        "sub/../a.txt",
        "link.txt",
        "hard.txt",
        "b.txt",
    ]
    assert _unique(specs) == ["a.txt", "b.txt"]


def test_one_url_under_several_spellings_is_one_source():
    specs = [
        "https://news.example/a/story",
        "HTTPS://News.Example/a/story/",
        "https://news.example:443/a/story#comments",
        "https://news.example/a/story?p=2",
        "http://news.example/a/story",
        "https://[::1]:8443/x",
        "https://[::1]:8443/x/",
        # the same story as a search result links it: tracking, www., AMP, mobile
        "https://news.example/a/story?utm_source=feed&utm_medium=rss",
        "https://www.news.example/a/story",
        "https://news.example/amp/a/story",
        "https://m.news.example/a/story?fbclid=abc",
        # a parameter that picks the content is another story
        "https://news.example/a/story?p=3&utm_campaign=x",
    ]
    assert _unique(specs) == [
        "https://news.example/a/story",
        "https://news.example/a/story?p=2",
        "http://news.example/a/story",
        "https://[::1]:8443/x",
        "https://news.example/a/story?p=3&utm_campaign=x",
    ]
