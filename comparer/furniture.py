"""Page furniture: the lines around a story that are not part of it.

A news page, and any article pasted or saved from one, carries teasers ("Read also:
..."), newsletter and cookie prompts, share and comment buttons, bylines and
credit lines, timestamps and reading times, picture credits, advertisement markers,
footers and, under the story, reader comments. Left in, each becomes a "claim"
that only one outlet makes. This module decides, line by line, what is furniture;
``extract.py`` applies it to HTML and plain text alike.

Two kinds of rule, both on whole paragraphs of at most ``MAX_CLUTTER_CHARS``
characters (a real paragraph that merely mentions a newsletter is never dropped):

* patterns that name furniture outright ("Sign up for our newsletter",
  "Skip advertisement", "3 min read", "Something went wrong, try again");
* "not a sentence of the story" rules for lines with no final full stop: a byline
  or credit line ("Editing by Jane Doe"), a timestamp alone ("5:32 PM EST"), a row of
  buttons ("Share Facebook Twitter", "Reply", "12 likes"), a URL alone, a line of
  symbols. A headline without a final period ("22 dead in heavy U.S. raids on IS
  Syria stronghold") uses words of the story, not of the page, and stays.

Teasers of other stories: a label ("Related:", "RELATED STORY", "Also read ..."), a
title-case headline alone on a line below the first story paragraph (above it, it is the
story's own headline), and, in a page saved without its line breaks, an agency's picture
credit run into a paragraph with the linked headline after it ("... AP Photo Jane Roe
Missile Attack on Air Base - Minister According to the governor ..."): cut up to the
sentence the story resumes with.

A comments header ("Comments", "23 Comments", "Join the conversation") ends the
story: it and every line after it are dropped, but only once two story
paragraphs have gone before it, because a comment count also sits beside the
byline at the top of many pages.

``strip_furniture`` says what it dropped, by kind, so that a plain-text source can
carry one warning ("4 lines of page furniture dropped (...)"): the user pasted
those lines and should see that they were left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from comparer.datelines import AGENCIES

__all__ = [
    "MAX_CLUTTER_CHARS",
    "Stripped",
    "furniture_kind",
    "furniture_warning",
    "is_clutter",
    "strip_furniture",
]

# Paragraphs longer than this are never treated as furniture: real reporting.
MAX_CLUTTER_CHARS = 300
# Story paragraphs that must come before a comments header for it to end the story.
_STORY_BEFORE_COMMENTS = 2
_SENTENCE_END = (".", "!", "?", '"', "\u201d")
_COMMENTS = "reader comments"

# --- patterns that name furniture outright ---------------------------------------------

_TEASER_LABEL = (
    r"(?:read (?:also|more|next|this|too)|also read|also see|see also|further reading"
    r"|related(?: stor(?:y|ies)| articles?| coverage| content| links?| news| reading| topics"
    r"| posts?| videos?| headlines?)?"
    r"|recommended(?: for you| reading| stories| articles| videos)?"
    r"|you (?:may|might) also (?:like|enjoy|be interested in)|don'?t miss|must read"
    r"|trending(?: now| stories)?|most (?:read|popular|viewed|shared)|editor'?s picks?"
    r"|top stories|latest news|popular now|in other news|more (?:stories|news|headlines)"
    r"|more (?:from|on|about) [^.:]{1,60}|watch(?: also| more| now| video)?|listen(?: now)?)"
)
# Labels strong enough to name a teaser with no colon after them: "Also read Syria
# strikes kill 20", "RELATED STORY Syria strikes kill 20" (a line with no final stop).
_STRONG_TEASER_LABEL = (
    r"(?:read (?:also|more|next)|also read|see also|related (?:stor(?:y|ies)|articles?|links?)"
    r"|more on this (?:story|topic))"
)
_FOOTER_LINK = (
    r"(?:privacy (?:policy|notice|settings)|terms (?:of|and) (?:use|service|conditions)"
    r"|cookie (?:policy|settings)|contact us|about us|advertise with us|site ?map)"
)
_TIME_UNIT = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)"

# (kind, pattern): the kind names the line in the warning.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        # a label, then a colon, dash, arrow or nothing
        ("teasers", rf"^\W*{_TEASER_LABEL}\s*(?:[:|>\u00bb\u203a\u2013\u2014-]|$)"),
        ("teasers", rf"^\W*{_STRONG_TEASER_LABEL}\s+\S.*(?<![.!?\"\u201d])$"),
        (
            "newsletter and subscription prompts",
            r"^\W*(?:sign up|subscribe|register|join|get)\b.*\b(?:newsletters?|inbox"
            r"|(?:e-?mail|news) alerts|(?:daily|morning|evening|weekly) (?:briefing|digest))\b",
        ),
        (
            "newsletter and subscription prompts",
            r"^\W*(?:subscribe|already (?:a )?(?:subscriber|member)"
            r"|(?:log|sign) ?in to (?:continue|read)"
            r"|create (?:a|your) (?:free )?account|become a (?:member|subscriber)"
            r"|support (?:our|independent|quality) journalism|enter your e-?mail)\b",
        ),
        (
            "newsletter and subscription prompts",
            r"\b(?:for|available to) subscribers only\b|\bcontinue reading\b.*\bsubscri",
        ),
        (
            "newsletter and subscription prompts",
            r"^\W*get (?:unlimited|full|digital|instant) access\b|\bcancel (?:at )?any ?time\W*$",
        ),
        (
            "share and comment buttons",
            r"^\W*share (?:this|on|via)\b|^\W*follow (?:us|@\w+) on\b|^\W*click here\b",
        ),
        ("share and comment buttons", r"^\W*(?:copy(?: the)? link|link copied)\W*$"),
        (
            "copyright and footer lines",
            r"^\W*(?:\u00a9|(?:\(c\)|@)\s*\d{4}\b|copyright\s*(?:\u00a9|\(c\)|\d{4}))",
        ),
        ("copyright and footer lines", r"\ball rights reserved\b|\bdo not reproduce\b"),
        (
            "copyright and footer lines",
            r"\bmay not be (?:published|reproduced|broadcast|rewritten|redistributed)\b",
        ),
        ("copyright and footer lines", rf"^\W*{_FOOTER_LINK}(?:\W+{_FOOTER_LINK})*\W*$"),
        (
            "cookie notices",
            r"\b(?:we|this (?:site|website)) uses? cookies\b"
            r"|^\W*(?:accept|reject|manage) (?:all )?cookies\b",
        ),
        ("cookie notices", r"^\W*(?:before you continue|(?:accept|reject)(?: all)?)\W*$"),
        (
            "advertisements",
            r"^\W*(?:skip )?(?:advertisement|sponsored(?: content)?"
            r"|story continues below(?: advertisement)?|continue reading below"
            r"|scroll to continue(?: with content)?|ad(?: feedback)?|skip ad)\W*$",
        ),
        ("tags and picture credits", r"^\W*(?:tags|topics|filed under|categories)\s*:"),
        (
            "tags and picture credits",
            r"^\W*(?:(?:photo|image|picture|video)s?(?: credit)?\s*:|(?:photo|picture) by\s[^.]*$)",
        ),
        (
            "tags and picture credits",
            r"^\W*(?:file (?:photo|picture|image)\s*:|(?:photo|image|picture) credits?\b[^.]{0,80}$)",
        ),
        ("editor's notes", r"^\W*this is a (?:developing|breaking)(?: news)? story\b"),
        (
            "editor's notes",
            r"^\W*(?:this|the) (?:article|story|report|post) (?:is developing|is being updated"
            r"|will be updated)",
        ),
        (
            "timestamps and reading times",
            r"^\W*(?:\d+\s*-?\s*(?:min(?:ute)?s?|hours?|hrs?)\.?\s+(?:read|listen)"
            r"|(?:estimated )?reading time\b[^.]{0,30})\W*$",
        ),
        (
            "timestamps and reading times",
            rf"^\W*(?:(?:updated|posted|published)\s+)?(?:\d+|an?|one)\s*{_TIME_UNIT}\s+ago\W*$",
        ),
        (
            "audio players",
            r"^\W*(?:listen to (?:this|the) (?:article|story|report)|(?:play|pause) (?:audio|article)"
            r"|audio (?:version|article))\b[^.]{0,30}$",
        ),
        (
            "error messages",
            r"^\W*(?:something went wrong|oops|(?:please )?try again(?: later)?|loading"
            r"|(?:please )?(?:enable|turn on) javascript|javascript is (?:disabled|required)"
            r"|your browser does not support[^.]{0,60})\W*(?:(?:please )?try again(?: later)?\W*)?$",
        ),
    )
)

# --- "not a sentence of the story" rules (lines without a final full stop) ----------------

# "By Jane Doe", "By Jane Doe and John Roe, Reuters"
_BYLINE_RE = re.compile(
    r"^By\s+[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}"
    r"(?:\s*(?:,|and|&|\|)\s*[\w.'\u2019 -]{1,60})*$"
)
# Wire credits: "Editing by Jane Doe", "(Reporting by X in Beirut; Writing by Y)"
_CREDIT_RE = re.compile(
    r"^\W*(?:additional )?(?:reporting|writing|editing|compiled|compiling|research|graphics"
    r"|production|produced|translation|translated|fact-checking|photography) by\s+[A-Z]",
    re.IGNORECASE,
)
# A closing tagline: "Jane Doe and John Roe contributed reporting from Beirut.", "Jane Doe
# contributed to this report." -- names, then the credit, and nothing of the story
_CONTRIBUTED_RE = re.compile(
    r"^\W*[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3})*"
    r"\s+contributed\s+(?:additional\s+)?(?:reporting|research|to\s+this\s+(?:report|article|story))"
    r"[^.!?]{0,80}[.)]?\W*$"
)
# "Updated: March 4, 2021 11:15 p.m. ET", "Published 04/03/2021"
_STAMP_RE = re.compile(
    r"^\W*(?:published|updated|posted|last updated|first published)(?: on| at)?\s*:?\s*"
    r"(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)"
    r"[a-z]*\b)"
    r"(?=.*\d).{0,80}$",
    re.IGNORECASE,
)
# Words a line of a clock time and its date may hold; a clock must be among them.
_CLOCK_RE = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)
_TIMESTAMP_WORD_RE = re.compile(
    r"(?<![^\W_])(?:\d{1,4}(?:st|nd|rd|th)?|[A-Z]{1,3}T|GMT|UTC|(?i:[ap]\.?m\.?|at|on|updated"
    r"|published|posted|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri"
    r"|sat|sun)[a-z]*\.?))(?![^\W_])"
)
_URL_RE = re.compile(r"^\W*(?:https?://|www\.)\S+$", re.IGNORECASE)
_BUTTON_WORDS = frozenset(
    "share shares tweet facebook twitter x email e-mail mail whatsapp linkedin reddit print copy "
    "link pinterest telegram comment comments flipboard messenger save saved sms bluesky threads "
    "reply replies like likes dislike dislikes upvote upvotes downvote report flag bookmark "
    "follow following unfollow gift this article story on via".split()
)
# At least one of these: "Print" or "Comment" alone may be a story's subheading.
_BUTTON_CORE = _BUTTON_WORDS - {
    "copy",
    "link",
    "save",
    "saved",
    "print",
    "comment",
    "comments",
    "mail",
    "follow",
    "following",
    "gift",
    "this",
    "article",
    "story",
    "on",
    "via",
    "report",
    "flag",
    "like",
}
_COUNT_RE = re.compile(r"\d+(?:[.,]\d+)?[km]?")


# --- comments and trailing notes --------------------------------------------------------

_COMMENTS_HEADER_RE = re.compile(
    r"^\W*(?:\d+\s+)?(?:reader |user )?comments?(?:\s*\(\d+\))?\W*$"
    r"|^\W*(?:join the (?:conversation|discussion)|(?:show|view|read|see) (?:all )?comments"
    r"|(?:leave|post|add|write) a comment|comments are closed|(?:log ?in|sign ?in) to comment"
    r"|what (?:readers|you) (?:are saying|think))\W*$",
    re.IGNORECASE,
)
# A trailing editor's note inside a paragraph: "... to the attack. This article is developing ..."
_TRAILING_NOTE_RE = re.compile(
    r"(?<=[.!?\"'\u201d\u2019])\s+(?:(?:this|the) (?:article|story|report|post) (?:is developing"
    r"|is being updated|will be updated|has been updated)|this is a (?:developing|breaking)"
    r"(?: news)? story|(?:please )?check back (?:later )?for updates)[^.!?]*[.!?]\s*$",
    re.IGNORECASE,
)


# --- linked headlines of other stories ---------------------------------------------------

# Words a title-case headline leaves in lower case.
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of off on onto or over per than the to up via vs with".split()
)
_TITLE_PUNCT = frozenset("- | / \u2013 \u2014 : & +".split())
# Minimum and maximum words of a related story's headline set on a line of its own.
_TEASER_WORDS = (6, 20)
# A picture credit run into the text of a page saved without its line breaks ("... TV
# channel. AP Photo Felipe Dana US Missile Attack on Syria Attempt to Divert Attention From
# Mosul - Moscow According to the governor ..."): at a sentence's start, an agency's photo
# credit, then the credited names and often the headline of a linked story.
_INLINE_CREDIT_RE = re.compile(
    rf"(?:^|(?<=[.!?\"\u201d])\s+)(?:\u00a9\s*)?{AGENCIES}\s*(?:Photo|PHOTO|Images)\b\s*/?"
)
_INLINE_RUN_MAX = 30  # title-case words a credit and its linked headline may take
# Furniture run into the text of a page saved without line breaks, by kind: a share
# widget's label and counters ("Get short URL 0 15", "Print Tweet Views 2494"), a picture
# credit in brackets ("(AFP Photo)", "(File photo)", "(TRT World and Agencies)"), and the
# source line that closes a story, with the related links after it ("Source TRTWorld and
# agencies Related News ...").
_INLINE_RUNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "share and comment buttons",
        re.compile(r"Get short URL(?:\s+\d+){0,3}\b|\bPrint\s+Tweet\s+Views\s+\d+\b"),
    ),
    (
        "tags and picture credits",
        re.compile(
            rf"\((?:(?:{AGENCIES}|File)\s+)?[Pp]hoto(?:\s+{AGENCIES})?\)"
            r"|\((?:[A-Z][\w-]*\s+){1,3}and\s+[Aa]gencies\)"
        ),
    ),
    (
        "bylines and credits",
        re.compile(
            r"(?:^|(?<=[.!?\"\u201d]\s))Source:?\s+(?:[A-Z][\w-]*\s+){1,3}and\s+agencies\b.*$"
        ),
    ),
)
_WORD_RE = re.compile(r"\S+")


def _core(w: str) -> str:
    """A word without the quotes, brackets and punctuation around it."""
    return w.strip("\"'()[],;:.\u2018\u2019\u201c\u201d")


def _title_word(w: str) -> bool:
    core = _core(w)
    if not core or core in _TITLE_PUNCT:
        return True
    return core[0].isupper() or core[0].isdigit() or core.lower() in _SMALL_WORDS


def _capital(w: str) -> bool:
    core = _core(w)
    return bool(core) and core[0].isupper()


def is_linked_headline(p: str) -> bool:
    """A title-case line of 6 to 20 words with no final stop: "US Missile Attack on Syria an
    Attempt to Divert Attention From Mosul - Moscow". Below the first story paragraph it is a
    link to another story; above it, the story's own headline."""
    words = p.split()
    if p.endswith(_SENTENCE_END) or not _TEASER_WORDS[0] <= len(words) <= _TEASER_WORDS[1]:
        return False
    content = [w for w in words if _core(w).lower() not in _SMALL_WORDS]
    return all(_title_word(w) for w in words) and sum(_capital(w) for w in content) >= 4


def _strip_inline_credits(paragraph: str) -> tuple[str, list[str]]:
    """The paragraph without picture credits (and the linked headline after one) run into
    it, and the kind of each cut. The credit runs over title-case words; the story resumes
    at the last capitalised word before the first lower-case word that a title leaves in
    lower case ("... From Mosul - Moscow | According to the governor ...")."""
    dropped: list[str] = []
    kept: list[str] = []  # the text between cuts, joined once: linear in the paragraph
    pos = done = 0
    while m := _INLINE_CREDIT_RE.search(paragraph, pos):
        # only the words the run may take: a hostile paragraph of many credits stays linear
        tokens = list(islice(_WORD_RE.finditer(paragraph, m.end()), _INLINE_RUN_MAX + 1))
        stop = next((k for k, t in enumerate(tokens) if not _title_word(t.group())), None)
        resume = (
            None
            if stop is None
            else next((j for j in range(stop - 1, 0, -1) if _capital(tokens[j].group())), None)
        )
        if resume is None:  # no story after it, or nothing credited: leave the text alone
            pos = m.end()
            continue
        dropped.append("teasers" if resume >= 6 else "tags and picture credits")
        kept.append(paragraph[done : m.start()].rstrip())
        done = pos = tokens[resume].start()
    if not dropped:
        return paragraph, dropped
    kept.append(paragraph[done:])
    return " ".join(k for k in kept if k), dropped


# A site's topic tags run into the copy: "... city Aleppo. Tags Syria Aleppo humanitarian aid
# airstrikes Four medics were killed ...". Tags are content words (no "the", "of", "on"); the
# story resumes at the first capitalised word after a lower-case tag. Their places would
# otherwise be read as places of the story's first sentence.
_INLINE_TAGS_RE = re.compile(r"(?:^|(?<=[.!?\"\u201d])\s+)Tags:?\s+")
_TAGS_MAX = 15


def _strip_inline_tags(paragraph: str) -> tuple[str, list[str]]:
    dropped: list[str] = []
    pos = 0
    while m := _INLINE_TAGS_RE.search(paragraph, pos):
        tokens = list(islice(_WORD_RE.finditer(paragraph, m.end()), _TAGS_MAX + 1))
        resume = next(
            (
                k
                for k in range(1, len(tokens))
                if _capital(tokens[k].group()) and not _capital(tokens[k - 1].group())
            ),
            None,
        )
        if resume is None or any(_core(t.group()).lower() in _SMALL_WORDS for t in tokens[:resume]):
            pos = m.end()  # no story after it, or a sentence that starts with "Tags"
            continue
        head = paragraph[: m.start()].rstrip()
        paragraph = (head + " " if head else "") + paragraph[tokens[resume].start() :]
        pos = len(head) + 1 if head else 0
        dropped.append("tags and picture credits")
    return paragraph, dropped


def _is_credit(p: str) -> bool:
    # A credit line is a fragment ("Editing by Jane Doe"), bracketed, or a list of credits;
    # "Reporting by Reuters showed a rise." is a sentence and stays.
    return bool(_CONTRIBUTED_RE.match(p)) or (
        bool(_CREDIT_RE.match(p))
        and (not p.endswith(_SENTENCE_END) or p.startswith("(") or ";" in p)
    )


def _is_timestamp(p: str) -> bool:
    if not _CLOCK_RE.search(p):
        return False
    return not re.search(r"[^\W_]", _TIMESTAMP_WORD_RE.sub(" ", p))


def _is_button_row(p: str) -> bool:
    words = re.findall(r"[\w-]+", p.lower())
    if not words or not any(w in _BUTTON_CORE for w in words):
        return False
    return all(w in _BUTTON_WORDS or _COUNT_RE.fullmatch(w) for w in words)


def _not_a_story_line(p: str) -> str | None:
    """The kind of a short line that cannot be a sentence of the story, or None."""
    if not re.search(r"[^\W_]", p):
        return "links and symbols"  # only punctuation, dingbats or emoji
    if _URL_RE.match(p):
        return "links and symbols"
    if _is_button_row(p):
        return "share and comment buttons"
    if _is_credit(p):
        return "bylines and credits"
    if p.endswith(_SENTENCE_END) or len(p) > 100:
        return None
    if _BYLINE_RE.match(p):
        return "bylines and credits"
    if _STAMP_RE.match(p) or _is_timestamp(p):
        return "timestamps and reading times"
    return None


def furniture_kind(paragraph: str) -> str | None:
    """What kind of page furniture a whole paragraph is ("teasers" ...), or None for story."""
    p = paragraph.strip()
    if not p or len(p) > MAX_CLUTTER_CHARS:
        return None
    if _COMMENTS_HEADER_RE.match(p):
        return _COMMENTS
    for kind, rule in _RULES:
        if rule.search(p):
            return kind
    return _not_a_story_line(p)


def is_clutter(paragraph: str) -> bool:
    """Whether a whole paragraph is page furniture (an empty one counts as furniture)."""
    return not paragraph.strip() or furniture_kind(paragraph) is not None


# --- applying the rules ---------------------------------------------------------------


def _strip_trailing_note(paragraph: str) -> str:
    while True:
        m = _TRAILING_NOTE_RE.search(paragraph)
        if not m:
            return paragraph
        paragraph = paragraph[: m.start()]


def _is_story_paragraph(paragraph: str) -> bool:
    return paragraph.endswith(_SENTENCE_END) and len(paragraph.split()) >= 6


@dataclass(frozen=True)
class Stripped:
    """Story paragraphs joined by ``"\\n\\n"``, and the kind of every line dropped."""

    text: str
    dropped: tuple[str, ...] = ()


def strip_furniture(paragraphs: Iterable[str]) -> Stripped:
    """Clean paragraphs (no line breaks, whitespace collapsed) without the furniture."""
    lines = [p for p in paragraphs if p]
    kept: list[str] = []
    dropped: list[str] = []
    stories = 0
    for n, line in enumerate(lines):
        kind = furniture_kind(line)
        if kind == _COMMENTS and stories >= _STORY_BEFORE_COMMENTS:
            dropped += [_COMMENTS] * (len(lines) - n)  # the header and the comments under it
            break
        if kind is not None:
            dropped.append(kind)
            continue
        if stories and is_linked_headline(line):
            dropped.append("teasers")  # a related story's headline, below the story's start
            continue
        trimmed = _strip_trailing_note(line)
        if trimmed != line:
            dropped.append("editor's notes")
        trimmed, cuts = _strip_inline_credits(trimmed)
        dropped += cuts
        trimmed, cuts = _strip_inline_tags(trimmed)
        dropped += cuts
        for kind, pattern in _INLINE_RUNS:
            trimmed, cut = pattern.subn(" ", trimmed)
            if cut:
                trimmed = re.sub(r" {2,}", " ", trimmed).strip()
                dropped += [kind] * cut
        if trimmed:
            kept.append(trimmed)
            stories += _is_story_paragraph(trimmed)
    return Stripped("\n\n".join(kept), tuple(dropped))


def furniture_warning(dropped: Sequence[str]) -> str | None:
    """One warning for everything dropped: "4 lines of page furniture dropped (teasers, ...)"."""
    if not dropped:
        return None
    kinds = ", ".join(dict.fromkeys(dropped))  # in the order they were met
    lines = "line" if len(dropped) == 1 else "lines"
    return f"{len(dropped)} {lines} of page furniture dropped ({kinds})"
