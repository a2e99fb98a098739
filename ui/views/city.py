"""Ville: a town's documents by axis, its timeline of announcements, comparable towns."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from acv.labels import AXIS_LABELS, doc_type_label
from service.types import CityDetail, DocumentBrief
from ui.components import (
    PAGES,
    escape_md,
    french_date,
    get_client,
    shown_errors,
    theme_labels,
)


def town_choice_ui() -> str | None:
    """The town asked for in the URL (`?insee=…`), or one chosen from the list."""
    cities = get_client().cities()
    labels = {c.insee: f"{c.name} ({c.departement}) — {c.documents} document(s)" for c in cities}
    wanted = st.query_params.get("insee")
    fresh = "city_town" not in st.session_state
    if wanted in labels and (fresh or wanted != st.session_state.get("city_url")):
        st.session_state["city_town"] = wanted  # a link (or a shared URL) asks for this town
    chosen = st.selectbox("Ville", list(labels), format_func=lambda i: labels[i], index=None, key="city_town",
                          placeholder="Tapez le nom d'une commune…")
    if chosen:
        st.query_params["insee"] = chosen
        st.session_state["city_url"] = chosen
    elif wanted and wanted not in labels:
        return wanted  # let the knowledge base say the town is unknown
    return chosen


def header_ui(city: CityDetail) -> None:
    st.title(city.name)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Population", f"{city.population:,}".replace(",", "\u202f"))
    c2.metric("Département", f"{city.departement} ({city.departement_code})")
    c3.metric("Région", city.region)
    c4.metric("Documents", len(city.documents))
    st.page_link(PAGES["search"], label=f"Rechercher dans les documents de {city.name}", icon=":material/search:",
                 query_params={"city": city.insee})


def doc_link(d: DocumentBrief) -> None:
    label = f"{escape_md(d.title or '')} — {french_date(d.date)} · {doc_type_label(d.doc_type)}"
    st.page_link(PAGES["document"], label=label, icon=":material/description:", query_params={"doc": d.doc_id})


def by_axis_ui(city: CityDetail) -> None:
    st.subheader("Documents par axe")
    if not city.documents:
        st.info("Aucun document de la base ne concerne cette ville pour l'instant.")
        return
    by_axis = city.by_axis
    names = [f"Axe {a}" if a != "0" else "Sans axe" for a in by_axis]
    for tab, (axis, docs) in zip(st.tabs(names), by_axis.items()):
        with tab:
            if axis != "0":
                st.caption(escape_md(AXIS_LABELS.get(int(axis), "")))
            for d in docs:
                doc_link(d)


def timeline_ui(city: CityDetail) -> None:
    st.subheader("Chronologie des annonces")
    events = city.timeline
    if not events:
        st.info("Aucun document daté pour cette ville.")
        return
    df = pd.DataFrame([{"date": e.date, "titre": e.title,
                        "type": doc_type_label(e.doc_type)} for e in events])
    chart = alt.Chart(df).mark_circle(size=160).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%m/%Y")),
        y=alt.Y("type:N", title=None),
        color=alt.Color("type:N", legend=None),
        tooltip=[alt.Tooltip("date:T", title="Date", format="%d/%m/%Y"), alt.Tooltip("titre:N", title="Titre")],
    ).properties(height=60 + 40 * df["type"].nunique())
    st.altair_chart(chart)
    for e in events:
        st.markdown(f"- **{french_date(e.date)}** — {escape_md(e.title)}")


def comparable_ui(city: CityDetail) -> None:
    st.subheader("Villes comparables")
    st.caption("Population proche, même région, projets aux thèmes communs.")
    labels = theme_labels()
    for c in city.comparable_cities:
        themes = ", ".join(labels.get(t, t) for t in c.shared_themes)
        shared = f" — thèmes communs : {themes}" if themes else ""
        population = f"{c.population:,}".replace(",", "\u202f")
        label = f"{c.name} ({c.departement}, {population} hab., {c.documents} doc.){shared}"
        st.page_link(PAGES["city"], label=label, icon=":material/location_city:",
                     query_params={"insee": c.insee})


def main() -> None:
    with shown_errors():
        insee = town_choice_ui()
        if not insee:
            st.title("Ville")
            st.info("Choisissez une ville pour voir ses documents, sa chronologie et les villes comparables.")
            return
        with st.spinner("Chargement de la ville…"):
            city = get_client().city(insee)
        header_ui(city)
        by_axis_ui(city)
        timeline_ui(city)
        comparable_ui(city)


if __name__ == "__main__":
    main()
