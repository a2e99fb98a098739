"""How long the two huge hostile files take to parse with no budget, beside an ordinary document.

    python bench/hostile_files.py [--items 1000000] [--objects 50000]

Builds, in a temporary folder, the Markdown list of a million items and the PDF
of 50,000 tiny text objects (tests/data/bad/build_bad.py), times `read_file` on
each without isolation and on a peer (tests/data/files/convention-sens.pdf) in
the same run, then ingests them with a one-second budget to show the outcome
a user gets. Prints one JSON object and records its rows in bench/results/hostile_files.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, open_kb, write_result  # noqa: E402

sys.path.insert(0, str(ROOT / "tests" / "data" / "bad"))

import build_bad  # noqa: E402

from ingest.readers import read_file  # noqa: E402

PEER = ROOT / "tests" / "data" / "files" / "convention-sens.pdf"


def timed_read(path: Path) -> dict:
    start = time.perf_counter()
    doc = read_file(path, max_bytes=128 << 20)
    return {"s": round(time.perf_counter() - start, 2), "blocks": len(doc.blocks),
            "bytes": path.stat().st_size}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--objects", type=int, default=50_000)
    args = ap.parse_args()
    out: dict = {"load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "lot"
        folder.mkdir()
        md, pdf = folder / "liste.md", folder / "objets.pdf"
        md.write_bytes(build_bad.huge_markdown(args.items))
        pdf.write_bytes(build_bad.text_objects_pdf(args.objects))
        peer = timed_read(PEER)
        out["peer_pdf"] = peer
        for key, path in (("pdf_text_objects", pdf), ("markdown_items", md)):
            res = timed_read(path)
            res["ratio_to_peer"] = round(res["s"] / max(peer["s"], 1e-3), 1)
            out[key] = res
        kb = open_kb(Path(tmp) / "var", "fake", embedder_model="64", max_file_mb=128, parse_timeout_s=1.0)
        try:
            start = time.perf_counter()
            report = kb.ingest([folder])
            out["ingest_budget_1s"] = {"s": round(time.perf_counter() - start, 2), "outcomes": [
                {"file": Path(o.source).name, "status": o.status, "message": o.message} for o in report.outcomes]}
        finally:
            kb.close()
    out["load_after"] = os.getloadavg()
    print(json.dumps(out, ensure_ascii=False, indent=1))
    rows = [{"case": f"read {k}, no budget", "s": out[k]["s"], "blocks": out[k]["blocks"],
             "ratio_to_peer": out[k].get("ratio_to_peer", 1.0)} for k in ("peer_pdf", "pdf_text_objects", "markdown_items")]
    rows += [{"case": f"ingest {o['file']}, 1 s budget", "s": out["ingest_budget_1s"]["s"],
              "outcome": f"{o['status']}: {o['message']}"} for o in out["ingest_budget_1s"]["outcomes"]]
    write_result("hostile_files", rows)


if __name__ == "__main__":
    main()
