"""Recherche: one query box, filters with counts, results grouped by document, export.

The query and the filters live in the URL (`st.query_params`), so a search can
be shared and reloaded; the last search is also kept in the session for the map.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from ui.components import (
    AXIS_NAMES,
    DOC_TYPE_LABELS,
    document_card,
    export_rows,
    get_client,
    result_card,
    shown_errors,
    to_csv,
    to_json,
)

LIST_FILTERS = ("axis", "theme", "region", "departement", "city", "doc_type")
DATE_FILTERS = ("date_from", "date_to")
FILTER_TITLES = {
    "axis": "Axes",
    "theme": "Thèmes",
    "region": "Région",
    "departement": "Département",
    "city": "Ville",
    "doc_type": "Type de document",
}
RESULTS_PER_PAGE = 20


def normalized(state: dict[str, Any]) -> dict[str, Any]:
    """One shape for a search state, so that the URL and the session can be compared."""
    out: dict[str, Any] = {"q": str(state.get("q") or "")}
    for key in LIST_FILTERS:
        values = state.get(key) or []
        out[key] = [str(v) for v in (values if isinstance(values, (list, tuple)) else [values]) if v]
    for key in DATE_FILTERS:
        out[key] = str(state[key]) if state.get(key) else None
    return out


def _from_url() -> dict[str, Any] | None:
    qp = st.query_params
    if not any(k in qp for k in ("q", *LIST_FILTERS, *DATE_FILTERS)):
        return None
    return normalized({"q": qp.get("q", ""), **{k: qp.get_all(k) for k in LIST_FILTERS},
                       **{k: qp.get(k) for k in DATE_FILTERS}})


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _apply(state: dict[str, Any]) -> None:
    state = normalized(state)
    st.session_state["search_q"] = state["q"]
    for key in LIST_FILTERS:
        st.session_state[f"f_{key}"] = state[key]
    for key in DATE_FILTERS:
        st.session_state[f"f_{key}"] = _parse_date(state[key])


def init_state() -> None:
    """Fill the widgets from a URL that holds another search than the one on screen (shared link, link
    from another page), else keep them; on a fresh visit without one, restore the last search."""
    url = _from_url()
    if url is not None and url != st.session_state.get("search_url"):
        _apply(url)
    elif "search_q" not in st.session_state:
        _apply(url or st.session_state.get("search_state") or {})


def current_filters() -> dict[str, Any]:
    """The filters chosen in the sidebar, as the knowledge base takes them."""
    out: dict[str, Any] = {}
    for key in LIST_FILTERS:
        values = st.session_state.get(f"f_{key}") or []
        if values:
            out[key] = [str(v) for v in values]
    for key in DATE_FILTERS:
        value = st.session_state.get(f"f_{key}")
        if value:
            out[key] = value.isoformat()
    return out


def save_state(query: str, filters: dict[str, Any]) -> None:
    """Mirror the search in the URL and in the session (for the map)."""
    state = {"q": query, **filters}
    st.session_state["search_state"] = state
    st.session_state["search_url"] = normalized(state)
    st.query_params.from_dict({k: v for k, v in state.items() if v})


def query_ui() -> str:
    return st.text_input(
        "Rechercher dans les documents du programme",
        key="search_q",
        placeholder="Ex. : lutte contre la vacance commerciale, rénovation des façades, maison de santé…",
    ).strip()


def facet_options(facets: dict[str, list[dict[str, Any]]], key: str) -> dict[str, str]:
    """value → 'label (count)' for one filter, keeping the values already chosen."""
    items = {f["value"]: f"{f['label']} ({f['count']})" for f in facets.get(key, [])}
    if key == "axis":
        counts = {f["value"]: f["count"] for f in facets.get("axis", [])}
        items = {str(a): f"Axe {a} — {label} ({counts.get(str(a), 0)})" for a, label in AXIS_NAMES.items()}
    if key == "doc_type":
        counts = {f["value"]: f["count"] for f in facets.get("doc_type", [])}
        items = {t: f"{label} ({counts.get(t, 0)})" for t, label in DOC_TYPE_LABELS.items()}
    for chosen in st.session_state.get(f"f_{key}") or []:
        items.setdefault(chosen, f"{chosen} (0)")
    return items


def filters_ui(facets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The sidebar filters with their counts over the current results."""
    with st.sidebar:
        st.header("Filtres")
        for key in LIST_FILTERS:
            options = facet_options(facets, key)
            st.multiselect(FILTER_TITLES[key], list(options), key=f"f_{key}", format_func=lambda v, o=options: o[v],
                           placeholder="Tous")
        st.markdown("**Période**")
        c1, c2 = st.columns(2)
        c1.date_input("Du", key="f_date_from", format="DD/MM/YYYY", min_value=date(2017, 1, 1),
                      max_value=date(2030, 12, 31))
        c2.date_input("Au", key="f_date_to", format="DD/MM/YYYY", min_value=date(2017, 1, 1),
                      max_value=date(2030, 12, 31))
        if st.button("Effacer les filtres"):
            for key in LIST_FILTERS:
                st.session_state[f"f_{key}"] = []
            for key in DATE_FILTERS:
                st.session_state[f"f_{key}"] = None
            st.rerun()
    return current_filters()


def export_ui(query: str, filters: dict[str, Any], results: list[dict[str, Any]]) -> None:
    rows = export_rows(results)
    row = st.container(horizontal=True)
    row.download_button("Exporter en CSV", to_csv(rows), file_name="acv-resultats.csv", mime="text/csv",
                       icon=":material/download:", key="export_csv")
    row.download_button("Exporter en JSON", to_json({"query": query, "filters": filters, "results": rows}),
                       file_name="acv-resultats.json", mime="application/json", icon=":material/download:",
                       key="export_json")


def results_ui(query: str, filters: dict[str, Any], res: dict[str, Any]) -> None:
    client = get_client()
    if res.get("no_relevant_result") or not res.get("results"):
        st.info("Aucun résultat pertinent pour cette recherche. Essayez d'autres mots ou retirez des filtres.",
                icon=":material/search_off:")
        return
    total = res["total"]
    shown = f", les {len(res['results'])} premiers affichés" if total > len(res["results"]) else ""
    st.markdown(f"**{total} document{'s' if total > 1 else ''}** correspond{'ent' if total > 1 else ''} "
                f"à la recherche ({res.get('took_ms', 0):.0f} ms{shown}).")
    export_ui(query, filters, res["results"])
    for result in res["results"]:
        result_card(client, result)


def browse_ui(filters: dict[str, Any]) -> None:
    """Without a query: the documents that match the filters."""
    with st.spinner("Chargement des documents…"):
        data = get_client().documents(filters, limit=RESULTS_PER_PAGE)
    st.markdown(f"**{data['total']} document{'s' if data['total'] > 1 else ''}** dans la base"
                + (" pour ces filtres." if filters else "."))
    for doc in data["documents"]:
        document_card(doc)


def main() -> None:
    st.title("Recherche")
    init_state()
    query = query_ui()
    filters = current_filters()
    save_state(query, filters)
    facets: dict[str, list[dict[str, Any]]] = {}
    with shown_errors():
        client = get_client()
        if query:
            with st.spinner("Recherche en cours…"):
                res = client.search(query, filters, k=RESULTS_PER_PAGE)
            facets = res.get("facets") or {}
            results_ui(query, filters, res)
        else:
            with st.spinner("Chargement des filtres…"):
                facets = client.facets()
            browse_ui(filters)
    with shown_errors():
        filters_ui(facets)


if __name__ == "__main__":
    main()
