"""Decoding bytes into text: which charset, why, and whether the bytes are text at all.

Order (:func:`decode_page`; :func:`decode_text` for ``.txt`` files, which declare nothing):

1. **Byte-order mark** (UTF-8, UTF-16, and UTF-32 for files): the strongest evidence.
2. **Declared charsets**, in order: the Content-Type header, then ``<meta charset>`` /
   ``http-equiv`` / the XML declaration. A label is used only when it names a *text
   encoding a page can be written in* (:func:`text_codec`: the WHATWG Encoding
   Standard's encodings, plus the few Python supersets charset detection reports).
   Python's codec registry also holds ``base64``, ``rot13``, ``zlib``, ``undefined``,
   ``unicode_escape`` ...: those names are ignored with a warning, never looked up
   for decoding (they raise, or "decode" a page into something else). UTF-7 is never
   used (a script-injection vector). A declared charset is used when the bytes decode
   cleanly in it, except that a legacy single-byte declaration on bytes that are valid
   UTF-8 with non-ASCII characters reads UTF-8 (legacy text is practically never valid
   UTF-8 by accident, while a CMS template saying "iso-8859-1" over UTF-8 is common).
3. **Detection**: UTF-8 if it decodes (nothing else does by accident), else
   charset-normalizer's candidates, with one correction: for Western-looking bytes
   (accented letters as single high bytes among ASCII letters) windows-1252 is
   preferred, as browsers do, unless the detector's Latin code page is confidently
   right (its language matches, or windows-1252 would put symbols inside words, as
   Polish read as windows-1252 does). charset-normalizer alone calls short English or
   French windows-1252 text "cp1250", which turns à into ŕ and ñ into ń.

Every decision that is not "declared and clean" leaves a warning saying which charset
was used and why, for the source's warnings. :func:`not_text_reason` says why bytes
are not text at all (a PDF or ZIP renamed ``.txt``, random bytes): known file
signatures first, then the share of control, private-use and undecodable characters.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

import charset_normalizer

from comparer.errors import SourceError

How = Literal["bom", "declared", "detected"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),  # before UTF-16
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([^\s;"']+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_:.+-]+)""")
# Labels the web uses differently from Python (WHATWG Encoding Standard): a page
# that says latin-1 or ASCII is decoded as windows-1252 by every browser.
_WEB_LABELS = dict.fromkeys(
    (
        "iso-8859-1",
        "iso8859-1",
        "iso_8859-1",
        "latin1",
        "latin-1",
        "l1",
        "us-ascii",
        "ascii",
        "cp819",
        "ibm819",
        "csisolatin1",
        "iso-ir-100",
        "x-cp1252",
    ),
    "cp1252",
) | {
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "gb2312": "gbk",
    "x-gbk": "gbk",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "windows-874": "cp874",
    "x-sjis": "shift_jis",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-ukrainian": "mac-cyrillic",
    "iso-8859-8-i": "iso8859-8",
    "unicode-1-1-utf-8": "utf-8",
    "unicode11utf8": "utf-8",
    "unicode20utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
    "utf-16le": "utf-16-le",
    "utf-16be": "utf-16-be",
}
_UTF7 = {"utf-7", "utf7", "unicode-1-1-utf-7", "csunicode11utf7", "x-unicode20utf7"}
# The encodings a page may be read in: the WHATWG Encoding Standard's (under Python's
# names) plus the Python supersets charset-normalizer reports for Japanese, Korean and
# Chinese. Everything else in Python's registry is refused, whatever it is called.
_TEXT_CODECS = frozenset(
    codecs.lookup(name).name
    for name in (
        "utf-8",
        "utf-16-le",
        "utf-16-be",
        "utf-16",
        "utf-32-le",
        "utf-32-be",
        "cp866",
        *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)),
        "koi8-r",
        "koi8-u",
        "mac-roman",
        "mac-cyrillic",
        "cp874",
        *(f"cp{n}" for n in range(1250, 1259)),
        "gbk",
        "gb18030",
        "big5",
        "big5hkscs",
        "euc_jp",
        "euc_jis_2004",
        "euc_jisx0213",
        "iso2022_jp",
        "shift_jis",
        "cp932",
        "shift_jis_2004",
        "shift_jisx0213",
        "euc_kr",
        "cp949",
    )
)
_UTF16 = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"})
_WINDOWS = {f"cp{n}": f"windows-{n}" for n in range(1250, 1259)}
# Latin code pages that read Western-looking bytes as letters, and the letters beyond
# ASCII of the languages written in them. charset-normalizer's language guess is no help
# on news-length text (it calls Spanish "Czech"); what tells windows-1252 from
# windows-1250 is whether one reading gives the letters of one language: "España" is
# Spanish, "Espańa" is no language's; "Příliš" is Czech, "Pøíliš" is not Danish.
_LATIN_FAMILY = frozenset(
    {"cp1250", "cp1252", "cp1254", "cp1257", "mac-roman"}
    | {f"iso8859-{n}" for n in (2, 3, 4, 9, 10, 13, 14, 15, 16)}
)
_ALPHABETS = tuple(
    frozenset(letters) | frozenset(c.upper() for c in letters if len(c.upper()) == 1)
    for letters in (
        "àâæçéèêëîïôœùûüÿ",
        "áéíñóúü",
        "áâãàçéêíóôõú",
        "àèéìíîòóùú",
        "äöüß",
        "áéèëïóöüä",
        "æøåéó",
        "åäöé",
        "åäöšž",
        "áðéíóúýþæö",
        "àçèéíïòóúü",
        "ąćęłńóśźż",
        "áčďéěíňóřšťúůýž",
        "áäčďéíĺľňóôŕšťúýž",
        "áéíóöőúüű",
        "ăâîșşțţ",
        "čćđšž",
        "çğıöşüâîİ",
        "ąčęėįšųūž",
        "āčēģīķļņšūž",
        "äõöüšž",
        "áéíóú",
    )
)
_TAGS = re.compile(rb"<[^>]*>")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
_BEYOND_ASCII = re.compile("[^\x00-\x7f\ufffd]")
_SAMPLE = 65_536  # bytes or characters the Python-level heuristics look at
# Characters no article text is made of: C0/C1 controls (not tab, newlines, form feed),
# private use, non-characters, lone surrogates and replacement characters.
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufffd\ufffe\uffff]"
)
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word, OpenDocument or EPUB file)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"\x7fELF", "a program (ELF)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc, .xls)"),
    (b"{\\rtf", "an RTF document (save it as plain text)"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00asm", "a WebAssembly module"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, the Python codec used, how it was chosen, and notes."""

    text: str
    encoding: str
    how: How
    warnings: tuple[str, ...] = ()


def text_codec(label: str) -> str | None:
    """The Python codec for a charset label if it names a text encoding pages are
    written in ("latin1" -> "cp1252", "UTF8" -> "utf-8"); None for anything else
    ("base64", "rot13", "undefined", "utf-7", an unknown name)."""
    label = label.strip().lower()
    if not label or label in _UTF7:
        return None
    try:
        name = codecs.lookup(_WEB_LABELS.get(label, label)).name
    except (LookupError, UnicodeError, ValueError):
        return None
    return name if name in _TEXT_CODECS else None


def display_name(codec: str) -> str:
    """A codec as people know it: "windows-1252", "UTF-8", "UTF-16LE", "ISO-8859-2"."""
    if codec in _WINDOWS:
        return _WINDOWS[codec]
    if codec.startswith("utf-"):
        return codec.upper().replace("-LE", "LE").replace("-BE", "BE")
    return codec.upper().replace("ISO8859-", "ISO-8859-").replace("_", "-")


def decode_page(body: bytes, content_type: str, *, known: str | None = None) -> Decoded:
    """A page (or a file) as text, by the order in the module docstring.

    ``known`` is the codec an earlier decoding of the same bytes chose (a snapshot's
    ``encoding``): it stands in for detection, so a stored page is not detected again,
    while the declarations are still checked for the warnings. Never raises.
    """
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return _replaced(body[len(bom) :], bom_codec, "bom", [])
    notes: list[str] = []
    for label, where in _declared(body, content_type):
        name = text_codec(label)
        if name is None:
            why = (
                "which Crosscheck never uses (UTF-7 can hide scripts)"
                if label.strip().lower() in _UTF7
                else "which is not a text encoding a page can be read in"
            )
            notes.append(f"{where} declares the charset {label!r}, {why}; ignored")
            continue
        shown = display_name(name)
        if name in _UTF16 and b"\x00" not in body[:4096]:
            notes.append(f"{where} declares {shown}, but the bytes are not {shown}; ignored")
            continue
        try:
            text = body.decode(name)
        except UnicodeDecodeError:
            notes.append(f"{where} declares {shown}, but the bytes are not valid {shown}; ignored")
            continue
        if name not in _UTF16 and name != "utf-8" and _utf8_beyond_ascii(body):
            notes.append(f"{where} declares {shown}, but the bytes are UTF-8; read as UTF-8")
            return Decoded(body.decode("utf-8"), "utf-8", "detected", tuple(notes))
        if notes:  # an earlier declaration was unusable: say which one was followed
            notes.append(f"read as {shown} (declared in {where})")
        return Decoded(text, name, "declared", tuple(notes))
    name = known if known in _TEXT_CODECS else _detect(body)
    if name is None:  # nothing fits; not_text_reason will usually refuse these bytes
        decoded = _replaced(body, "utf-8", "detected", notes)
        return Decoded(
            decoded.text,
            "utf-8",
            "detected",
            decoded.warnings
            + ("no charset fits these bytes; read as UTF-8 with the undecodable bytes replaced",),
        )
    if name != "utf-8" or notes:
        source = "no charset declared" if not notes else "the declaration was unusable"
        notes.append(f"read as {display_name(name)} (detected; {source})")
    return _replaced(body, name, "detected", notes)


def decode_text(body: bytes) -> Decoded:
    """A ``.txt`` file as text: byte-order mark, else UTF-8, else detection."""
    return decode_page(body, "text/plain")


def decode_file(raw: bytes, name: str, *, html: bool = False) -> Decoded:
    """A local or uploaded file's bytes as text (an HTML file's own declaration counts);
    SourceError naming the file when they are not text (a PDF or random bytes renamed
    ``.txt``). Used by the pipeline for files and by the dashboard for uploads."""
    decoded = decode_page(raw, "text/html") if html else decode_text(raw)
    reason = not_text_reason(raw, decoded.text)
    if reason:
        raise SourceError(f"{name} cannot be read as an article: {reason}")
    return decoded


def decode_body(body: bytes, content_type: str) -> tuple[str, str]:
    """The page as text and the codec used (``"utf-8"``, ``"cp1252"``, ...); never raises."""
    decoded = decode_page(body, content_type)
    return decoded.text, decoded.encoding


def not_text_reason(body: bytes, text: str) -> str | None:
    """Why ``body`` (decoded as ``text``) is not text, or None when it is.

    A known file signature names the format ("a PDF document"); otherwise more than
    2 % control, private-use or undecodable characters (at least two) mean binary data.
    """
    for signature, kind in _SIGNATURES:
        if body.startswith(signature):
            return f"it is {kind}, not text"
    if body[4:8] == b"ftyp":
        return "it is an MP4/QuickTime media file, not text"
    # the opening characters first: a binary file is refused without scanning it all
    for sample in (text[:_SAMPLE], text):
        where = "its" if len(sample) == len(text) else "the first"
        bad = len(sample) - len(_BAD_CHARS.sub("", sample))
        if bad > max(1, 0.02 * len(sample)):
            return (
                f"it looks like binary data, not text ({bad:,} of {where} {len(sample):,} "
                "characters are control codes or bytes no charset can read)"
            )
        if len(sample) == len(text):
            break
    return None


def _declared(body: bytes, content_type: str) -> list[tuple[str, str]]:
    """(label, where) for each charset declaration, header first."""
    found: list[tuple[str, str]] = []
    if m := _CHARSET_PARAM.search(content_type):
        found.append((m.group(1), "the Content-Type header"))
    media = content_type.split(";", 1)[0].strip().lower()
    if media != "text/plain":
        head = body[:4096]
        for pattern, where in (
            (_META_CHARSET, "a <meta> tag"),
            (_XML_ENCODING, "the XML declaration"),
        ):
            if found_in_head := pattern.search(head):
                label = found_in_head.group(1).decode("ascii")
                # a page readable as ASCII to find its <meta> cannot be UTF-16 (WHATWG)
                if label.lower().startswith(("utf-16", "utf16", "utf-32", "utf32")):
                    label = "utf-8"
                found.append((label, where))
    return found


def _replaced(body: bytes, name: str, how: How, notes: list[str]) -> Decoded:
    """Decode with replacement characters, saying how many bytes were replaced."""
    text = body.decode(name, errors="replace")
    before = body.decode(name, errors="ignore") if "\ufffd" in text else text
    lost = text.count("\ufffd") - before.count("\ufffd")
    if lost:
        notes = notes + [
            f"{lost:,} byte sequence{'s' if lost > 1 else ''} could not be read "
            f"as {display_name(name)} and {'were' if lost > 1 else 'was'} "
            "replaced by \ufffd"
        ]
    return Decoded(text, name, how, tuple(notes))


def _utf8_beyond_ascii(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(body: bytes) -> str | None:
    """The most likely text codec of undeclared bytes, or None when none fits."""
    if _utf8_beyond_ascii(body) or (body.isascii() and b"\x00" not in body):
        return "utf-8"
    if _mostly_utf8(body):
        return "utf-8"  # a few stray bytes in a UTF-8 text: replaced, with a warning
    names = [
        name
        for m in charset_normalizer.from_bytes(body)
        if (name := text_codec(m.encoding)) is not None
    ]
    best = names[0] if names else None
    if b"\x00" in body or not _western_looking(body):
        return best
    # windows-1252 first: on a tie (English with curly quotes reads the same in most
    # Latin code pages) it is what browsers and most Western pages use.
    candidates = ["cp1252"] + [n for n in names if n in _LATIN_FAMILY and n != "cp1252"]
    scored = []
    for rank, name in enumerate(dict.fromkeys(candidates)):
        try:
            body.decode(name)  # the whole body must decode; the score looks at a sample
        except UnicodeDecodeError:
            continue
        scored.append((_alphabet_fit(body[:_SAMPLE].decode(name, errors="ignore")), -rank, name))
    return max(scored)[2] if scored else best


def _mostly_utf8(body: bytes) -> bool:
    """More well-formed UTF-8 characters beyond ASCII than malformed sequences."""
    text = body.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    return 0 < broken < len(_BEYOND_ASCII.findall(text))


def _western_looking(body: bytes) -> bool:
    """Accented letters inside ASCII words: most high bytes touch an ASCII letter.

    Greek, Cyrillic, Arabic or Hebrew code pages write whole words in high bytes, and
    CJK encodings whole sentences; Western text has one or two per accented word.
    """
    text = _TAGS.sub(b" ", body[:_SAMPLE])
    total = touching = 0
    for run in _HIGH_RUN.finditer(text):
        size = run.end() - run.start()
        total += size
        before = text[run.start() - 1 : run.start()]
        after = text[run.end() : run.end() + 1]
        if size <= 3 and (before.isalpha() or after.isalpha()):
            touching += size
    return total > 0 and touching >= 0.5 * total


def _alphabet_fit(text: str) -> float:
    """The share of non-ASCII letters (and of symbols stuck inside words, as in
    "Za¿ó³æ") that belong to the alphabet of one language, for the best language."""
    letters: dict[str, int] = {}
    for ch in text:
        if ord(ch) > 0x7F and ch.isalpha():
            letters[ch] = letters.get(ch, 0) + 1
    total = sum(letters.values()) + _symbols_in_words(text)
    if not total:
        return 1.0
    return (
        max(sum(n for ch, n in letters.items() if ch in alphabet) for alphabet in _ALPHABETS)
        / total
    )


def _symbols_in_words(text: str) -> int:
    """Non-ASCII symbols or digits with a letter on each side: mojibake, as in "Za¿ó³æ"."""
    count = 0
    for i in range(1, len(text) - 1):
        ch = text[i]
        if (
            ord(ch) < 0x80
            or ch == "\u00b7"
            or not (text[i - 1].isalpha() and text[i + 1].isalpha())
        ):
            continue
        if unicodedata.category(ch)[0] in "SNPC" and unicodedata.category(ch) not in (
            "Pd",
            "Pi",
            "Pf",
        ):
            count += 1
    return count
