"""Republished announcements through the service: groups stored at ingest, their quality, and their cost.

Ingests the corpus (corpus/documents) and the 18 generated variants (tests/_announcements.py) into a fresh
base with the fake embedder, then reports: pair precision/recall of the stored groups on the variants,
which corpus documents got grouped (there should be none: the corpus has no republished news), the time
of a full refresh and of the refresh after one document changes (what each ingest pays), and the time of
the one lookup a search adds (`groups_of` for a page of 20 documents).

    python bench/grouping_service.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from _common import ROOT, header, load_average, median_ms, open_kb, table, write_result


def main() -> None:
    from index.grouping import pair_scores
    from tests import _announcements

    header("Republished announcements through the service (groups stored at ingest)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "annonces"
        folder.mkdir()
        gold: dict[str, list[str]] = {}
        for doc_id, event, _day, page in _announcements.pages():
            (folder / f"{doc_id}.html").write_text(page, encoding="utf-8")
            gold.setdefault(event, []).append(doc_id)
        kb = open_kb(Path(tmp) / "var", "fake", embedder_model="64")
        started = time.perf_counter()
        kb.ingest([ROOT / "corpus" / "documents", folder])
        ingest_s = time.perf_counter() - started
        docs = {d.doc_id: d.source for d in kb.documents().documents}
        name = {d: Path(s).stem for d, s in docs.items()}
        stored = [[name[d] for d in g] for g in kb.groups.all_groups()]
        variants = [g for g in stored if all(n in {m for ms in gold.values() for m in ms} for n in g)]
        corpus_grouped = [g for g in stored if g not in variants]
        precision, recall = pair_scores(variants, list(gold.values()))
        one = next(iter(docs))
        ids = list(docs)[:20]
        rows = [
            {"measure": "documents in the base", "value": len(docs)},
            {"measure": "groups stored (variants; gold 6)", "value": len(variants)},
            {"measure": "pair precision / recall on the variants", "value": f"{precision:.3f} / {recall:.3f}"},
            {"measure": "corpus documents grouped", "value": sum(len(g) for g in corpus_grouped)},
            {"measure": "whole ingest (s, fake embedder)", "value": f"{ingest_s:.1f}"},
            {"measure": "full refresh (ms, median of 5)", "value": f"{median_ms(lambda: kb.groups.refresh()):.0f}"},
            {"measure": "refresh after one document (ms)", "value": f"{median_ms(lambda: kb.groups.refresh([one])):.0f}"},
            {"measure": "lookup for 20 results (ms)", "value": f"{median_ms(lambda: kb.groups.groups_of(ids), 50):.2f}"},
        ]
        kb.close()
    print(f"load average {load_average()}")
    print(table(rows))
    write_result("grouping_service", rows)
    for g in corpus_grouped:
        print("corpus group:", g)


if __name__ == "__main__":
    main()
