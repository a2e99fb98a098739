"""Labels are never cut: Streamlit ends long metric values, page links, chosen filter values and filter options
with « … »; these rules let them wrap instead (chosen values also keep Streamlit's tooltip with the full text)."""

from __future__ import annotations

import streamlit as st

CSS = """
<style>
[data-testid="stMetricValue"], [data-testid="stMetricValue"] > div {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  font-size: 1.6rem; line-height: 1.25;
}
[data-testid="stPageLink"] a, [data-testid="stPageLink"] p, [data-testid="stPageLink"] span {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important;
}
[data-testid="stMultiSelectTagsContainer"] [data-tag],
[data-testid="stMultiSelectTagsContainer"] [data-tag] > span {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important; max-width: 100% !important; line-height: 1.25;
}
[role="listbox"] [role="option"] > div {  /* rows are 40 px high: two smaller lines fit */
  white-space: normal !important; overflow: hidden !important; text-overflow: clip !important;
  font-size: 0.8rem; line-height: 1.15;
}
</style>
"""


def apply_style() -> None:
    st.html(CSS)
