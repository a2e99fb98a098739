"""Near-duplicate announcement grouping (index/grouping.py): pair precision/recall on generated variants.

Six events (tests/_announcements.py), each published by a prefecture, a city hall and the regional press in
their site templates, with reworded leads, a paragraph of their own and a day's delay; read by the HTML
reader, then grouped. Traps: the same city announcing something else three days later, the same city five
years later in nearly the same words, the prefecture's stock wording for other cities. Pair precision and
recall over same-group pairs (45 candidate pairs are wrong, 18 right).

    python bench/grouping.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from _common import header, load_average, table, write_result


def main() -> None:
    from index import grouping
    from index.grouping import Announcement, group_announcements, pair_scores
    from tests import _announcements

    header("Announcement grouping on generated variants")
    with tempfile.TemporaryDirectory() as tmp:
        items, gold = _announcements.announcements(Path(tmp))
    rows = []
    for k in (2, 3, 4):
        for threshold in (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
            started = time.perf_counter()
            groups = group_announcements(items, threshold=threshold, k=k)
            seconds = time.perf_counter() - started
            precision, recall = pair_scores(groups, gold)
            default = k == grouping.SHINGLE and threshold == grouping.THRESHOLD
            rows.append({"shingle": k, "threshold": threshold, "constraints": "city + date window",
                         "groups": len(groups), "pair_precision": f"{precision:.3f}", "pair_recall": f"{recall:.3f}",
                         "ms": f"{1000 * seconds:.1f}", "default": "yes" if default else ""})
    # the same texts without the city and date constraints: what the text alone separates
    loose = [Announcement(i.doc_id, i.text, ("all",), None) for i in items]
    for threshold in (0.1, 0.15, 0.25):
        precision, recall = pair_scores(group_announcements(loose, threshold=threshold), gold)
        rows.append({"shingle": grouping.SHINGLE, "threshold": threshold, "constraints": "text only",
                     "groups": len(group_announcements(loose, threshold=threshold)),
                     "pair_precision": f"{precision:.3f}", "pair_recall": f"{recall:.3f}", "ms": "", "default": ""})
    print(f"{len(items)} documents, {len(gold)} events; load average {load_average()}")
    print(table(rows))
    write_result("grouping", rows)


if __name__ == "__main__":
    main()
