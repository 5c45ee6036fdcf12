"""One address per story: tracking parameters, fragments and AMP/mobile copies removed.

Used by the intake (a link given twice, one copy with tracking parameters, is one source)
and by ``discover``. The same article reaches ``discover`` under many addresses: Google News and GDELT add
campaign parameters, feeds link the AMP copy, a mobile host serves the same text. Two
functions make them comparable:

- :func:`canonical_url` is still a working address (it is what the user sees and what a
  comparison fetches): tracking parameters and the fragment dropped, an AMP or mobile
  variant turned into the desktop page. ``amp.``/``m.``/``mobile.`` hosts become ``www.``,
  which is what news sites use for their desktop pages; a site without ``www.`` still
  answers that name in practice, and the dedupe key below ignores ``www.`` anyway.
- :func:`url_key` is only for comparing: canonical URL without scheme, ``www.``, trailing
  slash, with the query sorted.

Parameters that choose the content (``id=``, ``story=``, ``p=``) are kept: dropping them
would merge different stories, which is worse than listing one story twice.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["canonical_url", "host_key", "url_key"]

# Exact names of parameters that only say where a click came from.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "ocid",
        "cmpid",
        "cmp",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "smid",
        "smtyp",
        "sr_share",
        "taid",
        "mbid",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "ito",
        "spm",
        "s_cid",
        "cid_source",
        "soc_src",
        "soc_trk",
        "rss",
        "feedtype",
        "src",
        "share",
        "amp",
    }
)
# Prefixes of parameter families used for campaign tracking (utm_source, at_medium, ...).
TRACKING_PREFIXES = ("utm_", "at_", "ns_", "pk_", "mtm_", "hsa_", "oly_")
MOBILE_HOST = re.compile(r"^(?:amp|m|mobile)\.(?=[^.]+\.[^.]+)", re.IGNORECASE)
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str, value: str) -> bool:
    low = name.lower()
    if low == "outputtype":  # outputType=amp asks for the AMP copy; other values may matter
        return value.lower() == "amp"
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def _desktop_path(path: str) -> str:
    """The path without its AMP markers: ``/amp/`` segments, a trailing ``/amp``, and
    ``.amp`` before the extension or at the end (``story.amp.html``, ``story.amp``)."""
    segments = [s for s in path.split("/") if s.lower() != "amp"]
    if segments and segments[-1]:
        segments[-1] = re.sub(r"\.amp(?=\.[A-Za-z0-9]+$|$)", "", segments[-1], flags=re.I)
    return "/".join(segments) or "/"


def canonical_url(url: str) -> str:
    """The address to show and fetch for ``url`` (see the module docstring); a string
    that is not an http(s) URL comes back stripped but otherwise unchanged."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a bad port or an unclosed IPv6 bracket: not ours to repair
        return url
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return url
    host = MOBILE_HOST.sub("www.", parts.hostname.lower().rstrip("."))
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets, or its port runs into it
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k, v)
    ]
    return urlunsplit((scheme, netloc, _desktop_path(parts.path), urlencode(query), ""))


def host_key(url: str) -> str:
    """The outlet part of an address for comparing: lower case, no ``www.``/``m.``/``amp.``."""
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    except ValueError:
        return ""
    host = MOBILE_HOST.sub("", host)
    return host[4:] if host.startswith("www.") else host


def url_key(url: str) -> str:
    """What makes two addresses the same story (only for comparing, never for fetching)."""
    canon = canonical_url(url)
    parts = urlsplit(canon)
    if not parts.hostname:
        return canon
    path = parts.path.rstrip("/") or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    port = f":{parts.port}" if parts.port else ""
    return f"{host_key(canon)}{port}{path}" + (f"?{query}" if query else "")
