"""The security and fault table: each probe of the hostile-user and unlucky-operator review (issue 29) with the
test that covers it, run now; writes bench/results/security.json for bench/report.py.

    python bench/security_probes.py            # runs the tests of the table, writes the JSON
    python bench/security_probes.py --dry-run  # prints the table without running anything

A probe whose fix lives in another part of the project (not tested here) has no test and the outcome
« hors de ce tableau ».
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

from _common import ROOT, command_line, git_commit, machine
OUT = ROOT / "bench" / "results" / "security.json"

# (probe as reviewed, the test that covers it; None when its fix lives elsewhere in the project)
PROBES: list[tuple[str, str | None]] = [
    # what held: regression tests
    ("Clé d'API comparée en temps constant",
     "tests/test_probes.py::test_the_key_is_compared_in_constant_time"),
    ("Clé d'API exigée sur chaque point d'écriture (401, 403 sans clé configurée)",
     "tests/test_probes.py::test_every_write_endpoint_needs_the_key"),
    ("Parcours de chemin (../, %2e%2e, NUL) dans chaque identifiant",
     "tests/test_probes.py::test_path_traversal_in_every_id_is_a_404_or_422"),
    ("Échappement dans le JSON de recherche (titres <script>)",
     "tests/test_bad_inputs.py::test_script_titles_come_back_as_literal_text_in_json"),
    ("Export CSV : cellules formules neutralisées",
     "tests/test_api.py::test_csv_cells_cannot_be_spreadsheet_formulas"),
    ("Pages Streamlit : texte des documents échappé",
     "tests/test_ui.py::test_document_text_is_escaped_never_html"),
    ("Paramètres de requête mal formés : une seule forme d'erreur en français",
     "tests/test_api_errors.py::test_422_validation_errors_in_french"),
    ("Envoi de 60 Mo : 413, rien ne reste",
     "tests/test_api_uploads.py::test_oversize_streamed_without_content_length_stops_at_the_limit"),
    ("kill -9 de « acv ingest » : base identique à une ingestion propre",
     "tests/test_crash_safety.py::test_sigkill_during_ingest_loses_nothing"),
    ("Fichiers tantivy ou FAISS tronqués ou supprimés : reconstruits",
     "tests/test_lexical_index.py::test_rebuilt_on_open_when_missing_torn_or_foreign"),
    ("Clients concurrents pendant envois et ingestion : aucun « database is locked »",
     "tests/test_load.py::test_concurrent_clients_while_ingesting"),
    # what did not hold: the fix and its test
    ("1. Disque plein : « acv ingest » s'arrête (code 1, message, sans blocage), reprise ensuite",
     "tests/test_disk_full.py::test_cli_ingest_on_a_full_disk_exits_1_with_its_message_and_no_worker_left"),
    ("1. Un lecteur bloqué sur son tube ne retient plus le processus à la sortie (cause du blocage)",
     "tests/test_disk_full.py::test_a_worker_blocked_on_its_pipe_does_not_hold_the_process_at_exit"),
    ("1. Disque plein réel (tmpfs) pendant l'ingestion",
     "tests/test_disk_full.py::test_cli_ingest_on_a_real_full_tmpfs"),
    ("1. Disque plein : document à moitié écrit annulé, reprise",
     "tests/test_disk_full.py::test_store_write_on_a_full_disk_rolls_back_and_a_rerun_resumes"),
    ("2. Disque plein à la réception d'un envoi : 507, pas 400",
     "tests/test_disk_full.py::test_upload_reception_on_a_full_disk_is_507_and_leaves_nothing"),
    ("2. Disque plein pendant l'ingestion d'un envoi : 507, pas 500",
     "tests/test_disk_full.py::test_upload_ingest_on_a_full_store_is_507_rolled_back_and_the_file_removed"),
    ("3. Sources absolues : servies et reconnues quel que soit le dossier de travail",
     "tests/test_sources.py::test_ingest_from_two_working_folders_stores_one_absolute_source_and_serves_it_anywhere"),
    ("3. Migration des sources relatives d'une base existante",
     "tests/test_sources.py::test_a_schema_2_store_has_its_relative_sources_rewritten_when_opened"),
    ("4. POST /saved-searches : corps limité (413)",
     "tests/test_edges.py::test_an_oversized_saved_search_body_is_413_before_it_is_read"),
    ("4. POST /saved-searches : listes bornées, champ inconnu refusé (422)",
     "tests/test_edges.py::test_saved_search_lists_unknown_fields_and_long_values_are_422"),
    ("5. Caractères de contrôle et NUL dans un nom",
     "tests/test_edges.py::test_control_characters_are_removed_from_names_and_a_name_of_controls_only_refused"),
    ("5. Flux Atom XML 1.0 valides quels que soient noms et titres (hypothesis)",
     "tests/test_edges.py::test_every_feed_parses_as_xml_whatever_the_names_and_titles"),
    ("5. Demi-paire UTF-16 isolée dans le JSON : 422, pas 500",
     "tests/test_edges.py::test_a_lone_surrogate_in_a_json_body_is_422_not_500"),
    ("6. Entier hors de la plage SQLite : 422, pas 500",
     "tests/test_edges.py::test_integers_past_sqlite_range_are_422_and_the_largest_one_404"),
    ("7. X-Forwarded-For d'un client local non déclaré ignoré par la limite",
     "tests/test_edges.py::test_forwarded_for_from_an_untrusted_local_client_does_not_choose_the_bucket"),
    ("7. X-Forwarded-For cru d'un proxy déclaré (ACV_TRUSTED_PROXIES)",
     "tests/test_edges.py::test_forwarded_for_from_a_trusted_proxy_is_the_client"),
    ("7. « acv serve » : uvicorn ne croit aucun en-tête transféré",
     "tests/test_edges.py::test_acv_serve_turns_uvicorn_proxy_trust_off_and_logs_the_project_at_info"),
    ("7. Limite par clé d'API, par adresse sinon",
     "tests/test_edges.py::test_the_right_api_key_has_its_own_bucket_and_a_wrong_one_does_not"),
    ("8. En-tête Host jamais recopié dans les liens du flux",
     "tests/test_edges.py::test_the_host_header_is_never_reflected_into_feed_links"),
    ("9. Restes d'un serveur tué (.part, envoi sans document) nettoyés au démarrage",
     "tests/test_recovery.py::test_leftovers_of_a_killed_server_are_removed_and_logged_at_the_next_start"),
    ("9. kill -9 d'un vrai serveur pendant une réception : .part retiré au redémarrage, journalisé",
     "tests/test_recovery.py::test_kill_9_during_an_upload_reception_then_restart_cleans_and_logs"),
    ("10. « acv ui » tué par SIGTERM laisse Streamlit à l'écoute", None),
    ("11. Documents envoyés affichés « uploads/<nom> » (API, recherche, CSV)",
     "tests/test_sources.py::test_uploads_are_shown_as_uploads_slash_name_in_the_api_search_and_csv"),
    ("11. Requête sans lettre ni chiffre (%00, !!!???) : 400",
     "tests/test_edges.py::test_queries_with_nothing_to_search_are_400"),
    ("11. JSON mal formé : pas de position présentée comme un champ",
     "tests/test_edges.py::test_a_malformed_json_body_names_no_field"),
    ("11. Envoi trop long à lire : 422, pas 415",
     "tests/test_edges.py::test_an_upload_whose_reading_times_out_is_422_not_415"),
    ("11. Index lexical ou vectoriel reconstruit : journalisé au niveau INFO avec la raison",
     "tests/test_recovery.py::test_a_rebuilt_dense_or_lexical_index_is_logged_with_its_reason"),
    ("11. « acv stats » compte les entrées du cache comme des vecteurs", None),
    ("Injection de pannes : disque plein pendant ingestion, envoi et flux, serveur réel",
     "tests/test_fault_injection.py::test_disk_full_during_ingest_upload_and_feed_hangs_nothing_answers_no_500_loses_nothing"),
]


def _outcomes(junit: Path) -> dict[str, str]:
    """node id → passed | failed | skipped, from pytest's JUnit XML."""
    out: dict[str, str] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        module = case.get("classname", "").replace(".", "/")
        name = case.get("name", "").split("[", 1)[0]
        node = f"{module}.py::{name}"
        if case.find("failure") is not None or case.find("error") is not None:
            state = "failed"
        elif case.find("skipped") is not None:
            state = "skipped"
        else:
            state = "passed"
        # a parametrized test: failed if any case failed, else passed if any case ran (long variants may skip)
        rank = {"failed": 2, "passed": 1, "skipped": 0}
        if rank[state] >= rank.get(out.get(node, "skipped"), 0):
            out[node] = state
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    tests = sorted({t for _p, t in PROBES if t})
    if args.dry_run:
        for probe, test in PROBES:
            print(f"{probe} — {test or 'hors de ce tableau'}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}",
                        *tests], cwd=ROOT, env=env)
        outcomes = _outcomes(junit)
    rows = [{"probe": probe, "test": test,
             "outcome": outcomes.get(test, "not run") if test else "hors de ce tableau (autre partie du projet)"}
            for probe, test in PROBES]
    m = machine()
    result = {"command": command_line(), "commit": git_commit(),
              "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "machine": f"{m['cores']} cœurs ({m['cpu']}), {m['mem_total_gib']} Gio, Python {m['python']}, "
                         f"charge {m['load_avg_1_5_15']}",
              "rows": rows}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    failed = [r for r in rows if r["outcome"] == "failed"]
    print(f"{len(rows)} sondes, {sum(r['outcome'] == 'passed' for r in rows)} tests passés, {len(failed)} en échec "
          f"→ {OUT.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
