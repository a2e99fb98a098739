"""Recherche: one query box, filters with counts, results grouped by document, export.

The query and the filters live in the URL (`st.query_params`), so a search can
be shared and reloaded; the last search is also kept in the session for the map.
The filter widgets are generated from `acv.filters.FILTERS`, like the CLI flags
and the API parameters.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from acv.filters import FILTERS, FilterDef
from service import exports
from service.types import NOT_PRECISE_NOTICE, SEARCH_SYNTAX_HELP, Facets, SearchResponse
from ui.components import api_key_input, document_card, escape_md, get_client, result_card, shown_errors

WIDGETS: tuple[FilterDef, ...] = tuple(sorted(FILTERS, key=lambda f: f.ui_position))
LIST_WIDGETS = tuple(f for f in WIDGETS if not f.is_date)
DATE_WIDGETS = tuple(f for f in WIDGETS if f.is_date)
LIST_FILTERS = tuple(f.name for f in LIST_WIDGETS)
DATE_FILTERS = tuple(f.name for f in DATE_WIDGETS)
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
    query = st.text_input(
        "Rechercher dans les documents du programme",
        key="search_q",
        placeholder="Ex. : lutte contre la vacance commerciale, rénovation des façades, maison de santé…",
    ).strip()
    with st.expander("Syntaxe de recherche", icon=":material/help:"):
        st.caption(SEARCH_SYNTAX_HELP)
    return query


def facet_options(facets: Facets, f: FilterDef) -> dict[str, str]:
    """value → 'label (count)' for one filter: every value of a closed vocabulary (axes, types), else the values
    present in the results; the values already chosen are kept."""
    values = facets.get(f.name, [])
    if f.choices and f.choice_label is not None:
        counts = {v.value: v.count for v in values}
        items = {c: f"{f.choice_label(c)} ({counts.get(c, 0)})" for c in f.choices}
    else:
        items = {v.value: f"{v.label} ({v.count})" for v in values}
    for chosen in st.session_state.get(f"f_{f.name}") or []:
        items.setdefault(chosen, f"{chosen} (0)")
    return items


def filters_ui(facets: Facets) -> dict[str, Any]:
    """The sidebar filters with their counts over the current results."""
    with st.sidebar:
        st.header("Filtres")
        for f in LIST_WIDGETS:
            options = facet_options(facets, f)
            st.multiselect(f.label, list(options), key=f"f_{f.name}", format_func=lambda v, o=options: o[v],
                           placeholder="Tous", select_all=False, wrap=True)  # no « Select all »: no filter is all
        st.markdown("**Période**")
        for column, f in zip(st.columns(len(DATE_WIDGETS)), DATE_WIDGETS):
            column.date_input(f.label, key=f"f_{f.name}", format="DD/MM/YYYY", min_value=date(2017, 1, 1),
                              max_value=date(2030, 12, 31))
        if st.button("Effacer les filtres"):
            for key in LIST_FILTERS:
                st.session_state[f"f_{key}"] = []
            for key in DATE_FILTERS:
                st.session_state[f"f_{key}"] = None
            st.rerun()
    return current_filters()


def export_ui(res: SearchResponse) -> None:
    """The results as files, written by the one export writer of the service (the API's /export too)."""
    row = st.container(horizontal=True)
    row.download_button("Exporter en CSV", exports.csv_bytes(res.results), file_name="acv-resultats.csv",
                        mime="text/csv", icon=":material/download:", key="export_csv")
    row.download_button("Exporter en JSON", exports.json_bytes(res), file_name="acv-resultats.json",
                        mime="application/json", icon=":material/download:", key="export_json")


def count_line(documents: int, shown: int, took_ms: float) -> str:
    """How many documents the ranking brought and how many are on screen: ranked, not all « matching »."""
    plural = "s" if documents > 1 else ""
    head = f"**{documents} document{plural}** rapproché{plural} de la recherche, du plus au moins pertinent"
    if documents > shown:
        return f"{head} ; les {shown} premiers sont affichés ({took_ms:.0f} ms)."
    return f"{head} ({took_ms:.0f} ms)."


def partial_notice(res: SearchResponse) -> None:
    """Above the results while the first ingest runs: they only cover the documents already indexed."""
    if res.indexing is None:
        return
    st.warning(f"Indexation en cours ({res.indexing.done}/{res.indexing.total} fichiers) : ces résultats ne "
               "portent que sur les documents déjà indexés et peuvent changer.", icon=":material/hourglass_top:")


def results_ui(res: SearchResponse) -> None:
    client = get_client()
    partial_notice(res)
    if not res.results:
        st.info("Aucun résultat pour cette recherche. Essayez d'autres mots ou retirez des filtres.",
                icon=":material/search_off:")
        return
    if res.no_relevant_result:  # advice, not a wall: the closest passages follow
        reason = f" ({res.relevance_reason.message})" if res.relevance_reason else ""
        st.warning(f"{NOT_PRECISE_NOTICE}{reason}", icon=":material/search_off:")
    st.markdown(count_line(res.total_documents, len(res.results), res.took_ms))
    export_ui(res)
    for result in res.results:
        result_card(client, result)


def follow_ui(query: str, filters: dict[str, Any]) -> None:
    """« Suivre cette recherche »: save the query and its filters, then show the address of its Atom feed."""
    client = get_client()
    with st.expander("Suivre cette recherche", icon=":material/rss_feed:"):
        st.caption("Enregistrez la recherche et ses filtres : son flux Atom signale les nouveaux documents "
                   "(aussi en ligne de commande : acv watch).")
        with st.form("follow_form", clear_on_submit=False, border=False):
            name = st.text_input("Nom de la recherche suivie", value=query[:200], key="follow_name")
            key = api_key_input("follow_key")
            submitted = st.form_submit_button("Enregistrer et obtenir le flux", icon=":material/bookmark_add:")
        if submitted:
            with shown_errors():
                saved = client.save_search(name, query, filters, key)
                st.session_state["followed"] = saved.id
                st.success(f"Recherche « {saved.name} » enregistrée. Adresse de son flux Atom :")
                st.code(client.feed_url(saved.id), language=None)
        searches = client.saved_searches()
        if searches:
            st.markdown("**Recherches suivies**")
            for item in searches:
                st.markdown(f"{escape_md(item.name)} — « {escape_md(item.query)} »")
                st.code(client.feed_url(item.id), language=None)


def browse_ui(filters: dict[str, Any]) -> None:
    """Without a query: the documents that match the filters."""
    with st.spinner("Chargement des documents…"):
        data = get_client().documents(filters, limit=RESULTS_PER_PAGE)
    st.markdown(f"**{data.total} document{'s' if data.total > 1 else ''}** dans la base"
                + (" pour ces filtres." if filters else "."))
    for doc in data.documents:
        document_card(doc)


def main() -> None:
    st.title("Recherche")
    init_state()
    query = query_ui()
    filters = current_filters()
    save_state(query, filters)
    facets: Facets = {}
    with shown_errors():
        client = get_client()
        if query:
            with st.spinner("Recherche en cours…"):
                res = client.search(query, filters, k=RESULTS_PER_PAGE)
            facets = res.facets or {}
            results_ui(res)
            follow_ui(query, filters)
        else:
            with st.spinner("Chargement des filtres…"):
                facets = client.facets()
            browse_ui(filters)
    with shown_errors():
        filters_ui(facets)


if __name__ == "__main__":
    main()
