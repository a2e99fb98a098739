"""Labels are never cut: Streamlit ends long metric values, page links and chosen filter values with « … »;
these rules let them wrap instead (the full text stays readable on narrow screens too)."""

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
[data-testid="stSidebar"] [data-baseweb="tag"], [data-testid="stSidebar"] [data-baseweb="tag"] span {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important; max-width: 100% !important;
}
[role="listbox"] [role="option"], [role="listbox"] [role="option"] div {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
</style>
"""


def apply_style() -> None:
    st.html(CSS)
