"""The shape of the code: layers that point one way, one filter definition behind every edge, typed results."""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from acv.errors import InvalidQueryError
from acv.filters import FILTER_KEYS, FILTERS, resolve_filters

ROOT = Path(__file__).resolve().parent.parent


def test_import_layers_hold():
    """edges (cli | search_api | ui) > service > ingest > index > acv, and no web framework in the core.

    In a child process: import-linter configures logging for its own use (which would silence this process's
    loggers), and the project root must come first on its path (the shared venv may hold another checkout)."""
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 2 kept, 0 broken." in run.stdout


def test_filter_names_are_the_store_filters_and_facets():
    from index.store import FACET_NAMES, Filters

    store_fields = {f.name for f in dataclasses.fields(Filters)}
    assert set(FILTER_KEYS) <= store_fields
    assert {f.name for f in FILTERS if not f.is_date} <= set(FACET_NAMES)
    assert FILTER_KEYS == ("axis", "theme", "city", "departement", "region", "doc_type", "date_from", "date_to")


def test_cli_flags_are_generated_from_the_filters():
    from cli.main import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    flags = {a.dest: a.option_strings for a in commands.choices["search"]._actions}  # noqa: SLF001
    assert {f.name: [f.cli_flag] for f in FILTERS} == {k: v for k, v in flags.items() if k in FILTER_KEYS}
    args = parser.parse_args(["search", "q", "--axis", "2", "--axis", "3", "--type", "convention",
                              "--since", "2019-01-01", "--city", "Agen"])
    from cli.main import _filters

    assert _filters(args) == {"axis": ["2", "3"], "city": ["Agen"], "doc_type": ["convention"],
                              "date_from": "2019-01-01"}


def test_api_parameters_are_generated_from_the_filters(client):
    spec = client.get("/openapi.json").json()
    for path in ("/search", "/export", "/documents", "/chunks/{chunk_id}/similar"):
        params = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        for f in FILTERS:
            assert params[f.name]["description"] == f.help
            assert params[f.name]["in"] == "query"


def test_ui_widgets_are_generated_from_the_filters():
    from ui.views import search

    assert search.LIST_FILTERS == ("axis", "theme", "region", "departement", "city", "doc_type")
    assert search.DATE_FILTERS == ("date_from", "date_to")
    assert [f.label for f in search.WIDGETS] == ["Axes", "Thèmes", "Région", "Département", "Ville",
                                                 "Type de document", "Du", "Au"]


class _Vocab:
    """A vocabulary that knows one of each; enough to check the kernel's rules."""

    def commune(self, value: str) -> str:
        if value != "Agen":
            raise InvalidQueryError(f"Ville inconnue : « {value} ».")
        return "47001"

    def departement(self, value: str) -> str:
        return "47"

    def region(self, value: str) -> str:
        return "Nouvelle-Aquitaine"

    def theme(self, value: str) -> str:
        return "vacance-commerciale"


def test_resolve_filters_canonical_values_and_first_fault():
    out = resolve_filters({"axis": ["2", " "], "city": "Agen", "date_to": "2020-01-31"}, _Vocab())
    assert out == {"axis": ["2"], "theme": [], "city": ["47001"], "departement": [], "region": [], "doc_type": [],
                   "date_from": None, "date_to": "2020-01-31"}
    with pytest.raises(InvalidQueryError, match="^Axe inconnu : « 9 »"):
        resolve_filters({"city": "Gotham", "axis": "9"}, _Vocab())  # axes are checked first
    with pytest.raises(InvalidQueryError, match="^Filtre inconnu : couleur. Filtres possibles : axis, theme"):
        resolve_filters({"couleur": "bleu"}, _Vocab())
    with pytest.raises(InvalidQueryError, match="^La date de début est postérieure"):
        resolve_filters({"date_from": "2021-01-01", "date_to": "2020-01-01"}, _Vocab())


def test_one_axis_table():
    from acv.labels import AXES, AXIS_LABELS, axis_label

    assert axis_label("2") == "Axe 2 — Développement économique et commercial équilibré"
    assert AXES[3].name_2023 == "Développer des mobilités décarbonées"
    assert sorted(AXIS_LABELS) == [1, 2, 3, 4, 5]


def test_typed_results_read_like_their_json():
    from service.types import CityRef, SearchResponse

    res = SearchResponse(query="q", filters={}, total=0, no_relevant_result=True, results=[], took_ms=2.0)
    assert list(res) == ["query", "filters", "total", "no_relevant_result", "results", "took_ms", "total_documents",
                         "total_passages", "indexing", "relevance_reason"]  # no facets
    assert res["total"] == 0 and res.get("facets") is None
    city = CityRef("47001", "Agen", "Lot-et-Garonne", "47", "Nouvelle-Aquitaine")
    assert city == {"insee": "47001", "name": "Agen", "departement": "Lot-et-Garonne", "departement_code": "47",
                    "region": "Nouvelle-Aquitaine"}
    assert CityRef.from_dict({**city.to_dict(), "extra": 1}) == city


def test_collaborators_are_injected_not_patched(settings, shared_extractor):
    """The clock and the extractor are constructor parameters of the knowledge base."""
    from service import KnowledgeBase

    ticks = iter([10.0, 10.25])
    kb = KnowledgeBase(settings, extractor=shared_extractor, clock=lambda: next(ticks))
    try:
        assert kb.extractor is shared_extractor
        kb.ingest([ROOT / "tests" / "data" / "api" / "agen-vacance-commerciale.md"])
        res = kb.search("vacance commerciale", k=1)
        assert res.took_ms == 250.0
        assert res.results[0].cities[0].name == "Agen"
    finally:
        kb.close()
