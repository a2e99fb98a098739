"""Security probes and the tests that make them: runs each test and records probe → test → outcome.

Each probe is a kind of hostile input or request; the test named beside it is what checks the product's answer
(exact refusal, French reason, nothing stored or served outside its folder). The outcomes are recorded in
bench/results/security.json, which bench/report.py shows as the security table.

    python bench/security.py
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, header, write_result  # noqa: E402

PROBES = [
    ("query syntax in a search (33 strings, lexical and hybrid): plain text, never a 500",
     "tests/test_security.py::test_fts_syntax_in_a_query_is_plain_text"),
    ("SQL injection in each of the 8 filters of /search, /documents, /export",
     "tests/test_security.py::test_injection_in_every_filter_is_refused_and_store_intact"),
    ("wrong, padded or missing API key on DELETE: 401, key never logged or echoed",
     "tests/test_security.py::test_delete_never_logs_or_echoes_the_key"),
    ("API-key guessing", "tests/test_security.py::test_key_guessing_is_throttled"),
    ("upload names with `../`, absolute paths, NUL, right-to-left override…",
     "tests/test_security.py::test_hostile_upload_names_stay_in_the_upload_folder"),
    ("a link planted in uploads/ under the name an upload asks for",
     "tests/test_security.py::test_a_link_planted_in_the_upload_folder_is_never_written_through"),
    ("a stored file swapped for a link out, then downloaded",
     "tests/test_security.py::test_a_stored_file_swapped_for_a_link_out_is_not_served"),
    ("a folder of 20 links (loops, `..`, /etc/passwd, /dev/zero, chains out) walked by an ingest",
     "tests/test_paths.py::test_ingest_reports_every_refusal_and_changes_nothing_stored"),
    ("a file swapped for a link out between discovery and reading",
     "tests/test_paths.py::test_a_file_swapped_for_a_link_after_discovery_is_refused"),
    ("93 hostile files (charsets, archives, polyglots, NUL bytes, links): each its outcome and French reason",
     "tests/test_bad_inputs.py::test_each_bad_file_gives_its_outcome_and_french_message"),
    ("a hostile batch beside a stored document", "tests/test_bad_inputs.py::test_the_good_document_is_untouched"),
    ("`<script>` titles from PDF metadata, HTML and front matter",
     "tests/test_bad_inputs.py::test_script_titles_come_back_as_literal_text_in_json"),
    ("a million-item Markdown list and a PDF of 50,000 text objects with a 1 s budget",
     "tests/test_bad_inputs.py::test_huge_file_ends_within_its_budget_and_the_batch_goes_on"),
    ("any text and filters in a search (fuzzed)", "tests/test_fuzz.py::test_search_with_any_text_and_filters"),
]


class Outcomes:
    """A pytest plugin that counts the outcome of every case of each test function."""

    def __init__(self) -> None:
        self.by_test: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            self.by_test[report.nodeid.split("[")[0]][report.outcome] += 1


def main() -> int:
    import pytest

    header("Security probes and their tests")
    plugin = Outcomes()
    os.chdir(ROOT)
    pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT), *(str(ROOT / t) for _p, t in PROBES)],
                plugins=[plugin])
    rows = []
    for probe, test in PROBES:
        counts = plugin.by_test.get(test, {})
        total = sum(counts.values())
        outcome = "not run" if not total else ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        rows.append({"probe": probe, "test": test, "outcome": outcome})
    write_result("security", rows)
    return 0 if all(r["outcome"].endswith("passed") and "failed" not in r["outcome"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
