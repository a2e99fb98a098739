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
    # the edge review: what held (regression tests) and what was fixed
    ("API key compared in constant time", "tests/test_probes.py::test_the_key_is_compared_in_constant_time"),
    ("API key required on every write endpoint (401; 403 when no key is configured)",
     "tests/test_probes.py::test_every_write_endpoint_needs_the_key"),
    ("path traversal (../, %2e%2e, NUL) in every id",
     "tests/test_probes.py::test_path_traversal_in_every_id_is_a_404_or_422"),
    ("CSV export: formula cells neutralised", "tests/test_api.py::test_csv_cells_cannot_be_spreadsheet_formulas"),
    ("Streamlit pages: document text escaped", "tests/test_ui.py::test_document_text_is_escaped_never_html"),
    ("malformed query parameters: one French error shape",
     "tests/test_api_errors.py::test_422_validation_errors_in_french"),
    ("a 60 MB upload: 413, nothing left",
     "tests/test_api_uploads.py::test_oversize_streamed_without_content_length_stops_at_the_limit"),
    ("kill -9 of `acv ingest`: store identical to a clean ingest",
     "tests/test_crash_safety.py::test_sigkill_during_ingest_loses_nothing"),
    ("truncated or deleted tantivy/FAISS files: rebuilt",
     "tests/test_lexical_index.py::test_rebuilt_on_open_when_missing_torn_or_foreign"),
    ("disk full: `acv ingest` stops (exit 1, French message, no hang) and a re-run resumes",
     "tests/test_disk_full.py::test_cli_ingest_on_a_full_disk_exits_1_with_its_message_and_no_worker_left"),
    ("a preparation worker blocked on its pipe does not hold the process at exit",
     "tests/test_disk_full.py::test_a_worker_blocked_on_its_pipe_does_not_hold_the_process_at_exit"),
    ("a real full tmpfs during an ingest", "tests/test_disk_full.py::test_cli_ingest_on_a_real_full_tmpfs"),
    ("disk full: the half-written document rolled back, a re-run resumes",
     "tests/test_disk_full.py::test_store_write_on_a_full_disk_rolls_back_and_a_rerun_resumes"),
    ("disk full while an upload is received: 507, not 400",
     "tests/test_disk_full.py::test_upload_reception_on_a_full_disk_is_507_and_leaves_nothing"),
    ("disk full while an upload is ingested: 507, not 500",
     "tests/test_disk_full.py::test_upload_ingest_on_a_full_store_is_507_rolled_back_and_the_file_removed"),
    ("sources absolute: served and recognised whatever the working folder",
     "tests/test_sources.py::test_ingest_from_two_working_folders_stores_one_absolute_source_and_serves_it_anywhere"),
    ("an existing store's relative sources rewritten",
     "tests/test_sources.py::test_a_schema_2_store_has_its_relative_sources_rewritten_when_opened"),
    ("POST /saved-searches: body size bounded (413)",
     "tests/test_edges.py::test_an_oversized_saved_search_body_is_413_before_it_is_read"),
    ("POST /saved-searches: list lengths bounded, unknown field refused (422)",
     "tests/test_edges.py::test_saved_search_lists_unknown_fields_and_long_values_are_422"),
    ("control characters and NUL in a name",
     "tests/test_edges.py::test_control_characters_are_removed_from_names_and_a_name_of_controls_only_refused"),
    ("Atom feeds XML 1.0-valid whatever the names and titles (hypothesis)",
     "tests/test_edges.py::test_every_feed_parses_as_xml_whatever_the_names_and_titles"),
    ("a lone UTF-16 surrogate in a JSON body: 422, not 500",
     "tests/test_edges.py::test_a_lone_surrogate_in_a_json_body_is_422_not_500"),
    ("integers past SQLite's range: 422, not 500",
     "tests/test_edges.py::test_integers_past_sqlite_range_are_422_and_the_largest_one_404"),
    ("X-Forwarded-For from an undeclared local client ignored by the rate limit",
     "tests/test_edges.py::test_forwarded_for_from_an_untrusted_local_client_does_not_choose_the_bucket"),
    ("X-Forwarded-For believed from a declared proxy (ACV_TRUSTED_PROXIES)",
     "tests/test_edges.py::test_forwarded_for_from_a_trusted_proxy_is_the_client"),
    ("`acv serve`: uvicorn believes no forwarded header",
     "tests/test_edges.py::test_acv_serve_turns_uvicorn_proxy_trust_off_and_logs_the_project_at_info"),
    ("rate limit per API key, per address otherwise",
     "tests/test_edges.py::test_the_right_api_key_has_its_own_bucket_and_a_wrong_one_does_not"),
    ("Host header never reflected into feed links",
     "tests/test_edges.py::test_the_host_header_is_never_reflected_into_feed_links"),
    ("leftovers of a killed server (.part, upload without document) removed at start",
     "tests/test_recovery.py::test_leftovers_of_a_killed_server_are_removed_and_logged_at_the_next_start"),
    ("kill -9 of a real server during a reception: .part removed at restart, logged",
     "tests/test_recovery.py::test_kill_9_during_an_upload_reception_then_restart_cleans_and_logs"),
    ("uploaded documents shown as uploads/<name> (API, search, CSV)",
     "tests/test_sources.py::test_uploads_are_shown_as_uploads_slash_name_in_the_api_search_and_csv"),
    ("a query without letter or digit (%00, !!!???): 400", "tests/test_edges.py::test_queries_with_nothing_to_search_are_400"),
    ("malformed JSON body: no byte offset shown as a field", "tests/test_edges.py::test_a_malformed_json_body_names_no_field"),
    ("an upload too slow to read: 422, not 415", "tests/test_edges.py::test_an_upload_whose_reading_times_out_is_422_not_415"),
    ("a rebuilt lexical or vector index logged at INFO with its reason",
     "tests/test_recovery.py::test_a_rebuilt_dense_or_lexical_index_is_logged_with_its_reason"),
    ("fault injection: disk full during ingest, upload and feed on a real server",
     "tests/test_fault_injection.py::test_disk_full_during_ingest_upload_and_feed_hangs_nothing_answers_no_500_loses_nothing"),
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
