"""The sidebar's inputs, handed to the library's intake as they are.

Four ways in: web addresses one per line (which "Find coverage", ``find.py``, fills
from a search), pasted text (with its outlet name and an
optional URL and publication date), uploaded .html/.htm/.txt files, and the bundled
example event. ``plan`` passes them all to ``comparer.intake.plan_sources``, which checks
them before anything is fetched, by the same rules as the CLI (empty input, a line that
is not an http(s) address, an upload that is not text, the same source given twice, more
sources than ``compare.max_sources``), and returns the messages to show. Those rules are
tested there, without Streamlit.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from comparer.intake import Pasted, Plan, Upload, pasted_problem, plan_sources
from comparer.settings import Settings
from dashboard import find
from dashboard.safe import md

# Holds a click on Compare (or the example button) made while chosen files are still on
# their way, and clicks again once they have all arrived. The form alone is not enough:
# Streamlit disables its submit buttons only once a file's upload has begun, and before
# that the browser waits for the server to hand out upload addresses, which on a freshly
# started server (busy importing torch) took seconds, long enough to click. A file's chip
# appears with a spinner when its upload begins (at once, with an error, for a refused
# type) and loses the spinner when it is done, so "every chosen file has a chip and no
# chip spins" means settled. After two minutes without that, the click goes through.
# Our own constant code: nothing from a user or a page is in it.
UPLOAD_GUARD = """<script>
(() => {
  if (window.crosscheckUploadGuard) return;
  window.crosscheckUploadGuard = true;
  const BUTTONS = ".st-key-compare button, .st-key-load_example button";
  const CHIP = ".st-key-uploads [data-testid='stFileChip']";
  let expected = -1, since = 0, held = null, timer = null;
  const chips = () => document.querySelectorAll(CHIP);
  const settled = () => chips().length >= expected &&
    !document.querySelector(".st-key-uploads [data-testid='stFileChipIconSpinner']");
  const tick = () => {
    if (expected >= 0 && (settled() || Date.now() - since > 120000)) expected = -1;
    if (expected >= 0) return;
    const button = held && held.isConnected ? held : null;
    if (button && button.disabled) return;  // Streamlit re-enables it a moment later
    clearInterval(timer); timer = null; held = null;
    document.documentElement.style.cursor = "";
    if (button) button.click();
  };
  const chosen = (files) => {
    if (!files || !files.length) return;
    expected = (expected >= 0 ? expected : chips().length) + files.length;
    since = Date.now();
    if (!timer) timer = setInterval(tick, 50);
  };
  const inUploader = (e) => e.target.closest && e.target.closest(".st-key-uploads");
  document.addEventListener("change", (e) => { if (inUploader(e)) chosen(e.target.files); }, true);
  document.addEventListener("drop", (e) => {
    if (inUploader(e) && e.dataTransfer) chosen(e.dataTransfer.files);
  }, true);
  document.addEventListener("click", (e) => {
    if (expected < 0 || !e.isTrusted) return;
    const button = e.target.closest && e.target.closest(BUTTONS);
    if (!button) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    held = button;
    document.documentElement.style.cursor = "progress";
  }, true);
})();
</script>"""


def plan(settings: Settings) -> Plan:
    """This session's inputs as planned sources and messages, by the rules the CLI uses
    too (``comparer.intake.plan_sources``): a comparison needs two sources."""
    ss = st.session_state
    uploads = [Upload(name, data) for name, data in uploaded_files()]
    return plan_sources(
        urls=ss.urls.splitlines(),
        pasted=[Pasted(**p) for p in ss.pasted],
        uploads=uploads,
        example=bool(ss.with_example),
        settings=settings,
    )


# -- widgets ---------------------------------------------------------------------------


def _add_pasted() -> None:
    """Callback of "Add pasted text": validate, keep it, clear the fields."""
    ss = st.session_state
    entry = {
        "outlet": ss.paste_outlet.strip(),
        "text": ss.paste_text,
        "url": ss.paste_url.strip(),
        "published": ss.paste_published.strip(),
    }
    problem = pasted_problem(Pasted(**entry))  # the rule the comparison applies again
    if problem:
        ss.paste_error = f"Pasted text not added: {problem}"
        return
    ss.pasted = [*ss.pasted, entry]
    ss.paste_error = None
    for key in ("paste_outlet", "paste_text", "paste_url", "paste_published"):
        ss[key] = ""


def _remove_pasted(i: int) -> None:
    st.session_state.pasted = [p for n, p in enumerate(st.session_state.pasted) if n != i]


def _set_example(on: bool) -> None:
    st.session_state.with_example = on


def sources_panel(settings: Settings) -> bool:
    """Draw the inputs; True when the user asked for a comparison in this rerun.

    Every input and button sits in one form. A form's submit buttons stay disabled while
    one of its file uploaders is still sending files, and a submit carries every input's
    value in one message; ``UPLOAD_GUARD`` holds a click made in the moment before the
    upload begins. So a click on Compare always compares the files chosen (outside a
    form, a click during the upload ran on an empty uploader, flashed "Nothing to
    compare yet" and was lost when the upload's own rerun came).
    """
    ss = st.session_state
    for key in ("urls", "paste_outlet", "paste_text", "paste_url", "paste_published"):
        ss.setdefault(key, "")
    ss.setdefault("paste_error", None)
    st.subheader("Sources")
    with st.form("sources_form", border=False, enter_to_submit=False):
        asked = _sources_form(ss, settings)
    st.html(UPLOAD_GUARD, unsafe_allow_javascript=True)
    return asked


def _sources_form(ss: Any, settings: Settings) -> bool:
    find.coverage_fields(settings)  # its "Add" writes to the web addresses below
    example = st.form_submit_button(
        "Load the example event",
        key="load_example",
        icon=":material/newspaper:",
        width="stretch",
        on_click=_set_example,
        args=(True,),
        help="The US strike in eastern Syria, 25 Feb 2021: one real article "
        "and five constructed versions with planted disagreements.",
    )
    if ss.with_example:
        cols = st.columns([4, 1], vertical_alignment="center")
        cols[0].caption("✓ the example event (6 sources)")
        with cols[1]:
            st.form_submit_button(
                "✕",
                key="remove_example",
                on_click=_set_example,
                args=(False,),
                help="Leave the example out",
            )
    st.text_area(
        "Web addresses, one per line",
        key="urls",
        height=110,
        placeholder="https://www.example.com/news/story",
    )
    st.file_uploader(
        "Files (.html, .htm, .txt)",
        type=["html", "htm", "txt"],
        accept_multiple_files=True,
        key="uploads",
    )
    for i, p in enumerate(ss.pasted):
        cols = st.columns([4, 1], vertical_alignment="center")
        cols[0].caption(f"✓ pasted: {md(p['outlet'])} ({len(p['text'].split())} words)")
        with cols[1]:
            st.form_submit_button(
                "✕",
                key=f"remove_pasted_{i}",
                on_click=_remove_pasted,
                args=(i,),
                help="Remove this pasted text",
            )
    with st.expander("Add pasted text", key="paste_box"):
        st.text_input("Outlet name", key="paste_outlet")
        st.text_area("Article text", key="paste_text", height=150)
        st.text_input("URL (optional)", key="paste_url")
        st.text_input(
            "Published (optional, ISO date or datetime)",
            key="paste_published",
            placeholder="2021-02-26T08:30:00Z",
        )
        st.form_submit_button("Add pasted text", key="paste_add", on_click=_add_pasted)
        if ss.paste_error:
            st.error(md(ss.paste_error))
    compare = st.form_submit_button(
        "Compare",
        key="compare",
        type="primary",
        icon=":material/compare_arrows:",
        width="stretch",
        help="Enabled once the chosen files have been uploaded.",
    )
    return bool(compare or example)


def uploaded_files() -> list[tuple[str, bytes]]:
    return [(f.name, f.getvalue()) for f in (st.session_state.get("uploads") or [])]


def settings_panel(settings: Settings, helps: dict[str, str]) -> dict[str, Any]:
    """The tunable settings; returns the overrides for this run."""
    ss = st.session_state
    ss.setdefault("set_threshold", float(settings.align.threshold))
    ss.setdefault("set_about_band", float(settings.facts.about_band))
    ss.setdefault("set_refresh", bool(settings.store.refresh))
    with st.expander("Settings", icon=":material/tune:", key="settings_box"):
        st.caption("Used by the next comparison.")
        st.slider(
            "Similarity threshold",
            0.3,
            0.95,
            step=0.01,
            key="set_threshold",
            help=helps.get("align.threshold"),
        )
        st.slider(
            "“About” band",
            0.0,
            0.5,
            step=0.01,
            key="set_about_band",
            help=helps.get("facts.about_band"),
        )
        st.checkbox(
            "Refresh snapshots (fetch every URL again)",
            key="set_refresh",
            help=helps.get("store.refresh"),
        )
    return {
        "align.threshold": float(ss.set_threshold),
        "facts.about_band": float(ss.set_about_band),
        "store.refresh": bool(ss.set_refresh),
    }
