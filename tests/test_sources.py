"""Source specs and the .txt header convention."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from comparer.errors import SourceError
from comparer.sources import (duplicate_specs, example_sources, outlet_from_url, pasted_source,
                              source_from_spec, split_header)


def test_header_block_is_split_from_the_body():
    headers, body = split_header("Outlet: Example Times\nURL: https://ex.example/a\n"
                                 "Published: 2021-02-26\n\nFirst line.\n\nSecond.")
    assert headers == {"outlet": "Example Times", "url": "https://ex.example/a",
                       "published": "2021-02-26"}
    assert body == "First line.\n\nSecond."


@pytest.mark.parametrize("text", [
    "The US military launched an airstrike.\n\nMore text.",
    "Washington: officials said the strike hit.\n\nMore.",  # a colon, but not a header key
    "",
])
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
    assert src.published == datetime(2021, 2, 26, 10, tzinfo=timezone.utc)
    with pytest.raises(SourceError, match="outlet"):
        pasted_source("Body.", " ", "s1")
    with pytest.raises(SourceError, match="empty"):
        pasted_source("  ", "Wire", "s1")
    with pytest.raises(SourceError, match="not an ISO date"):
        pasted_source("Body.", "Wire", "s1", published="last Thursday")


def test_duplicates_are_found():
    assert duplicate_specs(["https://a.example/x", "https://a.example/x/", "b.txt"]) == \
        ["https://a.example/x/"]


def test_example_event_starts_with_the_seed():
    sources = example_sources()
    assert sources[0].location.endswith("01-hngn.txt")
    assert [s.id for s in sources] == [f"s{n}" for n in range(1, len(sources) + 1)]


def test_txt_upload_keeps_its_file_name_and_honours_the_header():
    from comparer.sources import txt_source

    src = txt_source("Outlet: Wire\nPublished: 2021-02-26\nConstructed: yes\n\nBody text.",
                     "s1", name="saved-story.txt")
    assert (src.kind, src.location, src.outlet, src.constructed) == \
        ("text", "saved-story.txt", "Wire", True)
    assert src.text == "Body text."
    assert src.published == datetime(2021, 2, 26, tzinfo=timezone.utc)
    plain = txt_source("Just the text.", "s2", name="notes.txt")
    assert plain.outlet == "notes" and plain.constructed is False
    with pytest.raises(SourceError, match="no text"):
        txt_source("Outlet: Wire\n\n   ", "s3", name="empty.txt")
