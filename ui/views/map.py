"""Carte: the ACV communes on an offline map of the départements, coloured by matching documents.

The base map is drawn by Vega-Lite from corpus/departements.geojson (no tile
server). Choosing a town, on the map or in the list, filters the search.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from acv.settings import CORPUS_DIR
from ui.components import PAGES, current_search, escape_md, get_client, shown_errors

GEOJSON = CORPUS_DIR / "departements.geojson"


@st.cache_data(show_spinner=False)
def departements() -> dict[str, Any]:
    """The département outlines; overseas ones are drawn as insets off the Atlantic coast, like their towns
    in the gazetteer, so the whole programme fits on one map."""
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def match_counts(search: dict[str, Any]) -> tuple[dict[str, int], str]:
    """Documents per town matching the current search, and a French caption saying which search."""
    client = get_client()
    query = (search.get("q") or "").strip()
    filters = {k: v for k, v in search.items() if k != "q" and v}
    if query:
        res = client.search(query, filters, k=100)
        counts = {f.value: f.count for f in (res.facets or {}).get("city", [])}
        scope = " (avec filtres)." if filters else "."
        if res.no_relevant_result:  # advice, never an empty map: the closest documents' towns
            return counts, (f"Aucun passage ne répond précisément à « {query} » ; voici les villes des documents "
                            f"les plus proches{scope}")
        return counts, f"Documents correspondant à la recherche « {query} »{scope}"
    if filters:
        docs = client.documents(filters).documents
        return dict(Counter(c.insee for d in docs for c in d.cities)), "Documents correspondant aux filtres."
    return {c.insee: c.documents for c in client.cities()}, "Tous les documents de la base."


def map_chart(cities: pd.DataFrame) -> alt.LayerChart:
    base = alt.Chart(alt.Data(values=departements()["features"])).mark_geoshape(
        fill="#eef0f3", stroke="#b8bec7", strokeWidth=0.6
    )
    pick = alt.selection_point(fields=["insee"], name="ville", on="click", clear="dblclick")
    points = alt.Chart(cities).mark_circle(stroke="#333", strokeWidth=0.4).encode(
        longitude="longitude:Q",
        latitude="latitude:Q",
        size=alt.Size("population:Q", scale=alt.Scale(range=[25, 400]), legend=None),
        color=alt.Color("documents:Q", title="Documents", scale=alt.Scale(
            type="threshold", domain=[1, 2, 5, 10], range=["#c3c9d2", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"])),
        opacity=alt.condition(pick, alt.value(0.95), alt.value(0.35)),
        tooltip=[alt.Tooltip("name:N", title="Ville"), alt.Tooltip("departement:N", title="Département"),
                 alt.Tooltip("population:Q", title="Population", format=",d"),
                 alt.Tooltip("documents:Q", title="Documents")],
    ).add_params(pick)
    return (base + points).project(type="conicConformal", parallels=[44, 49], rotate=[-3, 0, 0]).properties(
        height=620
    )


def town_ui(cities: pd.DataFrame, chosen: str | None) -> str | None:
    """A town chosen in a list (pre-selected by a click on the map)."""
    labels = {r.insee: f"{r.name} ({r.departement}) — {r.documents} document(s)" for r in cities.itertuples()}
    if chosen in labels and chosen != st.session_state.get("map_picked"):
        st.session_state["map_town"] = chosen  # a new click on the map
    st.session_state["map_picked"] = chosen
    return st.selectbox("Choisir une ville", list(labels), format_func=lambda i: labels[i], index=None,
                        key="map_town", placeholder="Tapez le nom d'une commune…")


def main() -> None:
    st.title("Carte des villes Action cœur de ville")
    search = current_search()
    with shown_errors():
        with st.spinner("Calcul de la carte…"):
            counts, caption = match_counts(search)
            rows = get_client().cities()
        cities = pd.DataFrame(
            [{"insee": c.insee, "name": c.name, "departement": c.departement, "region": c.region,
              "population": c.population, "longitude": c.longitude, "latitude": c.latitude,
              "documents": counts.get(c.insee, 0)} for c in rows]
        )
        st.caption(f"{len(cities)} communes. Couleur : {escape_md(caption)} Cliquez sur une ville pour la choisir.")
        event = st.altair_chart(map_chart(cities), on_select="rerun", key="map_chart", selection_mode="ville")
        picked = (event.selection.get("ville") or [{}])[0].get("insee") if event else None
        st.caption("Outre-mer (Guadeloupe, Martinique, Guyane, La Réunion, Mayotte) : en médaillon à l'ouest.")
        insee = town_ui(cities, picked)
        if insee:
            c1, c2 = st.columns(2)
            if c1.button("Filtrer la recherche sur cette ville", type="primary", icon=":material/search:"):
                state = {**search, "city": [insee]}
                st.session_state["search_state"] = state
                st.switch_page(PAGES["search"], query_params={k: v for k, v in state.items() if v})
            with c2:
                st.page_link(PAGES["city"], label="Voir la fiche de la ville", icon=":material/location_city:",
                             query_params={"insee": insee})


if __name__ == "__main__":
    main()
