"""Escaping at the edge of the screen: every string that came from a source passes here.

Two renderers can turn text into something active, so there are two escapers:

- ``h(text)`` for HTML given to ``st.html``: ``html.escape`` with quotes, so a page's
  ``<script>`` or ``onerror=`` arrives as literal characters. ``st.html`` does not run
  Markdown, so nothing else is needed there.
- ``md(text)`` for anything Streamlit reads as Markdown (``st.markdown``, alerts, widget
  and expander labels): a backslash before every ASCII punctuation mark. CommonMark
  allows that escape for all of them, so ``[x](javascript:...)``, ``![img](...)``,
  ``<b>``, ``*emphasis*``, ``$math$`` and Streamlit's ``:red[...]`` / ``:emoji:``
  directives all come out as the characters typed. Whitespace is collapsed, since a
  label is one line and a blank line would end a Markdown block.

Plain ``st.text`` / ``st.code`` / ``st.dataframe`` need neither: they never interpret.
"""

from __future__ import annotations

import html
import re
import string

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")


def h(text: object) -> str:
    """``text`` as inert HTML (``<``, ``>``, ``&``, both quotes escaped)."""
    return html.escape("" if text is None else str(text), quote=True)


def md(text: object) -> str:
    """``text`` as literal Markdown on one line: no link, image, HTML or directive survives."""
    flat = " ".join(("" if text is None else str(text)).split())
    return _PUNCT.sub(r"\\\1", flat)


def shorten(text: str, width: int) -> str:
    """One line of at most ``width`` characters, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1].rsplit(" ", 1)[0]
    return cut + "…"
