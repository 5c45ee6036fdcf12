"""charsets.py: which charset a page or a file is read in, why, and what is refused as not text."""

from __future__ import annotations

import codecs
import random

import pytest

from comparer.charsets import decode_body, decode_page, decode_text, not_text_reason, text_codec

# Codec names Python knows that are not text encodings (bytes-to-bytes, str-to-str,
# or codecs that decode nothing), and text codecs no web page is written in.
NOT_TEXT_ENCODINGS = [
    "base64",
    "base_64",
    "hex",
    "rot13",
    "rot_13",
    "zlib",
    "zip",
    "uu",
    "bz2",
    "quopri",
    "quoted-printable",
    "punycode",
    "undefined",
    "idna",
    "unicode_escape",
    "raw_unicode_escape",
    "string_escape",
    "utf-7",
    "x-user-defined",
    "replacement",
    "cp037",
    "mbcs",
    "oem",
    "palmos",
    "hz",
    "",
    "nonsense-charset",
]

PAGE = (
    "<p>The minister\u2019s caf\u00e9 in S\u00e3o Paulo: se\u00f1or Mu\u00f1oz said "
    "\u201cno\u201d \u2014 d\u00e9j\u00e0 vu.</p>"
)


@pytest.mark.parametrize("label", NOT_TEXT_ENCODINGS)
def test_a_codec_that_is_not_a_text_encoding_is_never_used(label):
    assert text_codec(label) is None
    body = PAGE.encode("utf-8")
    for where, content_type, raw in [
        ("header", f"text/html; charset={label}", body),
        ("meta", "text/html", f'<meta charset="{label}">'.encode("latin-1") + body),
        (
            "xml",
            "application/xhtml+xml",
            f"<?xml version='1.0' encoding='{label}'?>".encode("latin-1") + body,
        ),
        ("plain", f"text/plain; charset={label}", body),
    ]:
        decoded = decode_page(body=raw, content_type=content_type)
        assert decoded.encoding == "utf-8", where
        assert decoded.text.endswith(PAGE), where
        if label.strip("\x00"):  # an empty label is no declaration at all
            assert any(
                repr(label) in w and "not a text encoding" in w or "UTF-7" in w
                for w in decoded.warnings
            ), (where, decoded.warnings)


@pytest.mark.parametrize(
    "label, codec",
    [
        ("utf-8", "utf-8"),
        ("UTF8", "utf-8"),
        ("windows-1252", "cp1252"),
        ("latin1", "cp1252"),
        ("ISO-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("iso-8859-2", "iso8859-2"),
        ("koi8-r", "koi8-r"),
        ("shift_jis", "shift_jis"),
        ("euc-kr", "cp949"),
        ("gb2312", "gbk"),
        ("big5", "big5hkscs"),
        ("utf-16le", "utf-16-le"),
        ("x-mac-cyrillic", "mac-cyrillic"),
        ("windows-874", "cp874"),
        (" Windows-1251 ", "cp1251"),
    ],
)
def test_real_text_encodings_are_accepted(label, codec):
    assert text_codec(label) == codec


def test_the_declared_charset_wins_when_it_decodes_cleanly():
    text = "<p>\u041a\u0438\u0435\u0432 \u0441\u043e\u043e\u0431\u0449\u0438\u043b</p>"
    decoded = decode_page(text.encode("koi8-r"), "text/html; charset=koi8-r")
    assert (decoded.text, decoded.encoding, decoded.how, decoded.warnings) == (
        text,
        "koi8-r",
        "declared",
        (),
    )


@pytest.mark.parametrize(
    "text",
    [
        PAGE,
        "<p>Mu\u00f1oz</p>",
        "<p>A short note \u2014 that\u2019s all.</p>",
        "<p>Les frappes \u00e0 Deir ez-Zor ont tu\u00e9 17 personnes, selon l\u2019OSDH.</p>",
        "<p>Portugu\u00eas: a\u00e7\u00e3o, informa\u00e7\u00f5es, n\u00e3o, \u00e0s 10h.</p>",
        "<p>Gr\u00fc\u00dfe aus K\u00f6ln \u2013 \u00c4rger \u00fcber \u00d6l.</p>",
    ],
)
@pytest.mark.parametrize("declared", ["header", "meta", "none"])
def test_a_page_declared_utf8_but_sent_as_cp1252_is_read_as_cp1252(text, declared):
    """The bytes are not UTF-8: detection, which must say windows-1252, never cp1250
    (which turns à into ŕ and ñ into ń), and the warning says what was used."""
    content_type = "text/html; charset=utf-8" if declared == "header" else "text/html"
    page = ("<meta charset='utf-8'>" if declared == "meta" else "") + text
    decoded = decode_page(page.encode("cp1252"), content_type)
    assert (decoded.text, decoded.encoding, decoded.how) == (page, "cp1252", "detected")
    assert any("windows-1252" in w for w in decoded.warnings)
    if declared != "none":
        assert any("not valid UTF-8" in w for w in decoded.warnings)


@pytest.mark.parametrize(
    "text, codec",
    [
        (
            "Za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 ja\u017a\u0144. W \u0141odzi i "
            "Gda\u0144sku \u017co\u0142nierze \u015bcigali si\u0119.",
            "cp1250",
        ),
        (
            "T\u00fcrkiye'de \u015fiddetli ya\u011fmur; \u0130stanbul'da a\u011fa\u00e7lar "
            "devrildi, sa\u011fl\u0131k g\u00f6revlileri \u00e7al\u0131\u015ft\u0131.",
            "cp1254",
        ),
        (
            "\u0397 \u03ba\u03c5\u03b2\u03ad\u03c1\u03bd\u03b7\u03c3\u03b7 \u03b1\u03bd\u03b1\u03ba"
            "\u03bf\u03af\u03bd\u03c9\u03c3\u03b5 \u03cc\u03c4\u03b9 \u03b4\u03cd\u03bf "
            "\u03c1\u03bf\u03c5\u03ba\u03ad\u03c4\u03b5\u03c2 \u03ad\u03c0\u03bb\u03b7\u03be\u03b1\u03bd.",
            "cp1253",
        ),
        (
            "\u041e\u0444\u0438\u0446\u0438\u0430\u043b\u044c\u043d\u044b\u0435 \u043b\u0438\u0446\u0430 "
            "\u0437\u0430\u044f\u0432\u0438\u043b\u0438, \u0447\u0442\u043e \u0434\u0432\u0435 "
            "\u0440\u0430\u043a\u0435\u0442\u044b \u043f\u043e\u043f\u0430\u043b\u0438 \u0432 "
            "\u0431\u0430\u0437\u0443.",
            "cp1251",
        ),
    ],
)
def test_other_legacy_encodings_are_still_detected(text, codec):
    decoded = decode_text(text.encode(codec))
    assert (decoded.text, decoded.encoding) == (text, codec)


def test_a_declared_legacy_charset_on_utf8_bytes_reads_utf8():
    page = "<p>The caf\u00e9 in S\u00e3o Paulo, se\u00f1or Mu\u00f1oz.</p>"
    decoded = decode_page(page.encode("utf-8"), "text/html; charset=windows-1252")
    assert (decoded.text, decoded.encoding) == (page, "utf-8")
    assert any("are UTF-8" in w for w in decoded.warnings)


_BOMS = {
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-8": codecs.BOM_UTF8,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}


# UTF-32 is read only with its byte-order mark (no browser reads it at all)
@pytest.mark.parametrize(
    "codec, with_bom",
    [(c, True) for c in _BOMS] + [(c, False) for c in _BOMS if not c.startswith("utf-32")],
)
def test_utf16_with_and_without_a_bom(codec, with_bom):
    text = "Outlet: Wire\n\nOfficials said two rockets hit the base \u2014 caf\u00e9 closed.\n"
    raw = (_BOMS[codec] if with_bom else b"") + text.encode(codec)
    decoded = decode_text(raw)
    assert decoded.text == text
    if with_bom or codec == "utf-8":
        assert decoded.encoding in (codec, "utf-8")
    else:
        assert decoded.encoding == codec and decoded.how == "detected"
        assert any(
            codec.upper().replace("-LE", "LE").replace("-BE", "BE") in w for w in decoded.warnings
        )
    assert not_text_reason(raw, decoded.text) is None


def test_a_utf16_declaration_on_a_page_without_utf16_bytes_is_ignored():
    decoded = decode_page(PAGE.encode("utf-8"), "text/html; charset=utf-16")
    assert (decoded.text, decoded.encoding) == (PAGE, "utf-8")
    assert decoded.warnings


@pytest.mark.parametrize("seed", range(6))
def test_random_bytes_are_not_text(seed):
    raw = random.Random(seed).randbytes(3000)
    decoded = decode_text(raw)
    reason = not_text_reason(raw, decoded.text)
    assert reason is not None and "binary" in reason


@pytest.mark.parametrize(
    "raw, kind",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(40), "ZIP"),
        (b"\x89PNG\r\n\x1a\n" + bytes(40), "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"\x1f\x8b\x08\x00" + bytes(20), "gzip"),
        (b"\x7fELF\x02\x01\x01" + bytes(20), "program"),
        (b"SQLite format 3\x00" + bytes(40), "SQLite"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), "Office"),
        (b"{\\rtf1\\ansi\\deff0 {\\fonttbl}} Officials said", "RTF"),
        (bytes(500), "binary"),
    ],
)
def test_known_binary_formats_are_named(raw, kind):
    reason = not_text_reason(raw, decode_text(raw).text)
    assert reason is not None and kind in reason


@pytest.mark.parametrize(
    "text",
    [
        "Officials said two rockets hit the base on Monday.\n",
        "Caf\u00e9 \u2014 \u201cquoted\u201d \u00bd \u20ac5 \U0001f600 \u0627\u0644\u0639\u0631\u0628\u064a\u0629\n",
        "Line with a form feed\x0c and a tab\there.\n",
        "\u5b98\u5458\u8868\u793a\uff0c\u5468\u4e00\u6709\u4e24\u679a\u706b\u7bad\u51fb\u4e2d\u4e86\u57fa\u5730\u3002\n",
    ],
)
def test_real_text_is_text(text):
    raw = text.encode("utf-8")
    decoded = decode_text(raw)
    assert decoded.text == text and not_text_reason(raw, decoded.text) is None


def test_a_few_bad_bytes_in_utf8_are_replaced_with_a_warning():
    text = ("Officials said the caf\u00e9 closed. " * 20).encode("utf-8")
    raw = text[:100] + b"\xff" + text[100:]
    decoded = decode_text(raw)
    assert decoded.encoding == "utf-8" and decoded.text.count("\ufffd") == 1
    assert any("replaced" in w for w in decoded.warnings)
    assert not_text_reason(raw, decoded.text) is None


def test_decode_body_keeps_its_shape_and_never_raises():
    for label in NOT_TEXT_ENCODINGS:
        text, codec = decode_body(b"<p>caf\xc3\xa9</p>", f"text/html; charset={label}")
        assert (text, codec) == ("<p>caf\u00e9</p>", "utf-8")


def test_a_known_encoding_skips_detection_but_keeps_the_warnings():
    raw = ("<meta charset='base64'>" + PAGE).encode("cp1252")
    first = decode_page(raw, "text/html")
    again = decode_page(raw, "text/html", known=first.encoding)
    assert (again.text, again.encoding, again.warnings) == (first.text, "cp1252", first.warnings)
    # a stored snapshot with a codec name that is no text encoding is decoded afresh
    assert decode_page(raw, "text/html", known="base64").encoding == "cp1252"


@pytest.mark.parametrize(
    "text, codec",
    [
        (
            "Espa\u00f1a: el ej\u00e9rcito atac\u00f3 a las 5:30; \u00bfqui\u00e9n lo orden\u00f3? "
            "Se\u00f1al\u00f3 el ministro. Ni\u00f1o, a\u00f1o, ma\u00f1ana.",
            "cp1252",
        ),
        (
            "A popula\u00e7\u00e3o est\u00e1 \u00e0 espera de not\u00edcias, informa\u00e7\u00f5es "
            "e a\u00e7\u00e3o do governo.",
            "cp1252",
        ),
        (
            "Les frappes \u00e0 Deir ez-Zor ont tu\u00e9 17 personnes. D\u00e9j\u00e0 vu, "
            "na\u00efvet\u00e9, cr\u00e8me br\u00fbl\u00e9e, o\u00f9 est la gare ? Tr\u00e8s bien.",
            "cp1252",
        ),
        (
            "P\u0159\u00edli\u0161 k\u016f\u0148 \u00fap\u011bl \u010f\u00e1belsk\u00e9 \u00f3dy. "
            "Vl\u00e1da ozn\u00e1mila, \u017ee dv\u011b rakety z\u00e1sáhly z\u00e1kladnu.",
            "cp1250",
        ),
        (
            "\u00c1rv\u00edzt\u0171r\u0151 t\u00fck\u00f6rf\u00far\u00f3g\u00e9p. A korm\u00e1ny "
            "bejelentette, hogy k\u00e9t rak\u00e9ta csap\u00f3dott be h\u00e9tf\u0151n.",
            "cp1250",
        ),
        (
            "Guvernul a anun\u0163at c\u0103 dou\u0103 rachete au lovit baza luni. "
            "Solda\u0163ii au fost surprin\u015fi.",
            "cp1250",
        ),
    ],
)
def test_western_and_central_european_code_pages_are_told_apart(text, codec):
    """charset-normalizer alone calls this Spanish "Czech" and reads it as windows-1250."""
    decoded = decode_text(text.encode(codec))
    assert (decoded.text, decoded.encoding) == (text, codec)


# --- local files through the pipeline (read_sources -> _read_local) -------------------

STORY = (
    "Outlet: Test Wire\nPublished: 2021-02-26\n\nOfficials said two rockets hit the "
    "base on Monday night, and the caf\u00e9 near the gate was closed. The minister "
    "said the response was \u201cproportionate\u201d \u2014 a word Mu\u00f1oz repeated.\n\n"
    "A spokesman said 17 fighters were killed in the strike near Al Bukamal.\n"
)


def _read(settings, tmp_path, files: dict[str, bytes]):
    from comparer.pipeline import read_sources
    from comparer.sources import source_from_spec

    sources = []
    for i, (name, raw) in enumerate(files.items()):
        path = tmp_path / name
        path.write_bytes(raw)
        sources.append(source_from_spec(str(path), f"s{i}"))
    return read_sources(sources, settings)


@pytest.mark.parametrize(
    "name, raw, kind",
    [
        ("random.txt", random.Random(7).randbytes(20_000), "binary"),
        ("report.txt", b"%PDF-1.4\n" + random.Random(8).randbytes(2000), "PDF"),
        ("story.txt", b"PK\x03\x04" + random.Random(9).randbytes(2000), "ZIP"),
        ("nul.txt", bytes(4096), "binary"),
        ("page.html", random.Random(10).randbytes(5000), "binary"),
        ("photo.html", b"\xff\xd8\xff\xe0" + random.Random(11).randbytes(3000), "JPEG"),
    ],
)
def test_a_file_that_is_not_text_is_refused_and_named(name, raw, kind, settings, tmp_path):
    """Random bytes renamed .txt once became 1,366 "sentences"; now an error on that
    source, naming the file, while the other source is still read."""
    articles = _read(settings, tmp_path, {name: raw, "good.txt": STORY.encode("utf-8")})
    bad, good = articles
    assert (bad.status, bad.error_type) == ("error", "SourceError")
    assert str(tmp_path / name) in bad.error and kind in bad.error
    assert bad.sentences == ()
    assert good.status == "ok" and "caf\u00e9" in good.text


@pytest.mark.parametrize(
    "codec, bom",
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("cp1252", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-8", b""),
    ],
)
def test_text_files_in_other_encodings_read_as_their_text(codec, bom, settings, tmp_path):
    (article,) = _read(settings, tmp_path, {"story.txt": bom + STORY.encode(codec)})
    (reference,) = _read(settings, tmp_path, {"ref.txt": STORY.encode("utf-8")})
    assert article.status == "ok"
    assert article.text == reference.text and "\ufffd" not in article.text
    assert article.outlet == "Test Wire"
    charset_notes = [w for w in article.warnings if "read as" in w]
    if codec in ("cp1252",) or (codec.startswith("utf-16") and not bom):
        shown = {"cp1252": "windows-1252", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}
        assert charset_notes == [f"read as {shown[codec]} (detected; no charset declared)"]
    else:
        assert charset_notes == []


def test_latin1_accents_in_a_txt_file_are_not_lost(settings, tmp_path):
    text = STORY.replace("\u201c", '"').replace("\u201d", '"').replace("\u2014", "-")
    (article,) = _read(settings, tmp_path, {"latin1.txt": text.encode("latin-1")})
    assert "caf\u00e9" in article.text and "Mu\u00f1oz" in article.text
    assert "\ufffd" not in article.text


def test_a_codec_name_in_a_local_html_file_costs_a_warning(settings, tmp_path):
    body = (
        '<html><head><meta charset="{}"><title>Strike</title></head><body><article>'
        "<p>" + STORY.split("\n\n", 1)[1].replace("\n\n", "</p><p>") + "</p>"
        "</article></body></html>"
    )
    files = {
        f"{label}.html": body.format(label).encode("cp1252")
        for label in (
            "base64",
            "hex",
            "rot13",
            "zlib",
            "uu",
            "bz2",
            "quopri",
            "punycode",
            "undefined",
        )
    }
    articles = _read(settings, tmp_path, files)
    for article, label in zip(
        articles,
        ("base64", "hex", "rot13", "zlib", "uu", "bz2", "quopri", "punycode", "undefined"),
        strict=True,
    ):
        assert article.status == "ok", (label, article.error)
        assert "caf\u00e9" in article.text and "Mu\u00f1oz" in article.text
        assert any(f"'{label}'" in w and "not a text encoding" in w for w in article.warnings)
        assert "read as windows-1252 (detected; the declaration was unusable)" in article.warnings


def test_dashboard_uploads_get_the_same_decoding_and_refusals(tmp_path, settings):
    """An uploaded .txt never reaches _read_local (it becomes a text source), so the
    intake decodes it with the same function: random bytes are refused by name before
    any work, UTF-16 and windows-1252 uploads read as their text, with the warning."""
    from comparer.intake import Upload, plan_sources

    uploads = [
        Upload("noise.txt", random.Random(3).randbytes(5000)),
        Upload("utf16.txt", STORY.encode("utf-16-le")),
        Upload("legacy.txt", STORY.encode("cp1252")),
        Upload("plain.txt", STORY.encode("utf-8")),
    ]
    plan = plan_sources(uploads=uploads, settings=settings)
    assert len(plan.errors) == 1
    assert plan.errors[0].startswith(
        "Uploaded file noise.txt cannot be read as an article: it looks like binary data"
    )
    # the three texts are the same bytes decoded three ways: not duplicates of each other
    assert plan.warnings == ()
    utf16, legacy, plain = plan.sources(tmp_path)
    assert utf16.text == legacy.text == plain.text and "caf\u00e9" in plain.text
    assert utf16.outlet == "Test Wire"
    assert "read as UTF-16LE (detected; no charset declared)" in utf16.warnings
    assert "read as windows-1252 (detected; no charset declared)" in legacy.warnings
    assert not any("read as" in w for w in plain.warnings)
