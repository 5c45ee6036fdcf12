"""Decoding a fetched page's bytes into text: which charset, and why.

Order (:func:`decode_body`): byte-order mark, else the Content-Type charset, else
``<meta charset>``/``http-equiv``/XML declaration, else detection: UTF-8 if it decodes
(nothing else does by accident), else windows-1252 for Western-looking text (what
browsers assume; charset-normalizer calls short English cp1252 text "cp1250"), else
charset-normalizer's answer. UTF-7 is never used (a script-injection vector).
"""
from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([^\s;"']+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_:.+-]+)""")
# Labels the web uses differently from Python (WHATWG Encoding Standard): a page
# that says latin-1 or ASCII is decoded as windows-1252 by every browser.
_WEB_LABELS = dict.fromkeys(("iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1",
                             "us-ascii", "ascii", "cp819", "ibm819"), "cp1252") | {
    "iso-8859-9": "cp1254", "latin5": "cp1254", "gb2312": "gbk", "x-gbk": "gbk",
    "tis-620": "cp874", "iso-8859-11": "cp874", "x-sjis": "shift_jis"}
_REFUSED_LABELS = {"utf-7", "utf7", "unicode-1-1-utf-7"}  # script-injection vector
_LATIN_SINGLE_BYTE = {"cp1250", "cp1252", "cp1254", "cp1257", "cp775", "cp850", "cp852",
                      "cp858", "cp437", "latin-1", "mac-roman", "mac-latin2", "mac-iceland",
                      "mac-turkish"} | {f"iso8859-{n}" for n in (1, 2, 3, 4, 9, 10, 13, 14, 15, 16)}
_CENTRAL_EUROPEAN = {"Czech", "Polish", "Slovak", "Hungarian", "Croatian", "Slovene", "Romanian"}
_TAGS = re.compile(rb"<[^>]*>")
_ASCII_LETTERS = re.compile(rb"[A-Za-z]")


def decode_body(body: bytes, content_type: str) -> tuple[str, str]:
    """The page as text and the codec used (``"utf-8"``, ``"cp1252"``, ...).

    A declared charset that cannot decode the bytes is skipped (servers often say
    UTF-8 for a cp1252 page); if nothing decodes cleanly, replacement characters.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, errors="replace"), name
    media = content_type.split(";", 1)[0].strip().lower()
    labels: list[str] = []
    if m := _CHARSET_PARAM.search(content_type):
        labels.append(m.group(1))
    if media != "text/plain":
        head = body[:4096]
        for pattern in (_META_CHARSET, _XML_ENCODING):
            if m := pattern.search(head):
                label = m.group(1).decode("ascii").lower()
                # a page readable as ASCII to find its <meta> cannot be UTF-16
                labels.append("utf-8" if label.startswith(("utf-16", "utf16")) else label)
    fallback: str | None = None
    for label in labels:
        name = _codec(label)
        if name is None:
            continue
        try:
            return body.decode(name), name
        except UnicodeDecodeError:
            fallback = fallback or name
    name = _detect(body, fallback)
    return body.decode(name, errors="replace"), name


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    if label in _REFUSED_LABELS:
        return None
    try:
        info = codecs.lookup(_WEB_LABELS.get(label, label))
        b"".decode(info.name)  # bytes-to-bytes codecs (base64, ...) fail here
    except (LookupError, TypeError):
        return None
    return info.name


def _detect(body: bytes, fallback: str | None) -> str:
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body).best()
    name = (_codec(best.encoding) if best is not None else None) or fallback or "utf-8"
    if best is not None and name in ("cp1250", "iso8859-2") \
            and best.language in _CENTRAL_EUROPEAN:
        return name
    # Western-looking: the letters between tags (markup is ASCII in every code page)
    # are mostly ASCII; Cyrillic, Greek or CJK text is mostly high bytes.
    text = _TAGS.sub(b" ", body)
    high, low = sum(byte >= 0x80 for byte in text), len(_ASCII_LETTERS.findall(text))
    if (high + low and high / (high + low) < 0.15) or (best is not None
                                                     and name in _LATIN_SINGLE_BYTE):
        try:
            body.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            pass
    return name
