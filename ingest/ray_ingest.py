"""The same ingest with its heavy work fanned out over a Ray cluster.

What runs where:
- the driver (the `acv ingest --ray` process) lists the files, reads each one
  to hash it, skips unchanged ones, and is the single writer of the store,
  one transaction per document in file order, exactly as a local ingest;
- Ray tasks prepare the files (read, chunk, understand, analyse: CPU-bound,
  one CPU each), from the file's bytes shipped through the object store, so
  worker nodes need no shared file system;
- Ray actors hold the embedding model (loaded once per actor) and embed the
  distinct texts of the whole batch in batches that span documents.

The store therefore ends up identical to a local ingest of the same files
(same document ids, chunk texts, content hashes and vectors).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from acv.errors import AcvError, UnreadableFileError
from acv.settings import PROJECT_ROOT, Settings
from ingest.pipeline import Batch, IngestReport, Ingestor, ProgressCallback, Slot
from ingest.prepare import PrepareConfig, PreparedDocument

OBJECT_STORE_BYTES = 200 * 1024 * 1024  # enough for a few files and vector batches in flight; Ray's floor is 75 MB


def ray_ingest(ingestor: Ingestor, settings: Settings, paths: Sequence[Path], *, address: str | None = None,
               prune: bool = False, progress: ProgressCallback | None = None) -> IngestReport:
    """Ingest `paths` with Ray: `address` names a running cluster (« auto », « ray://host:10001 »…);
    without it a local cluster is started for this run and stopped at the end."""
    loaded = sys.modules.get("ray")
    temp_dir = None
    if not address and not (loaded is not None and loaded.is_initialized()):
        temp_dir = local_ray_dirs(settings)  # before Ray is imported: it reads its authentication settings then
    ray = _import_ray()
    started_here = not ray.is_initialized()
    if started_here:
        start_ray(address, settings, temp_dir)
    try:
        return _RayRun(ray, ingestor, settings).run(paths, prune, progress)
    finally:
        if started_here:
            ray.shutdown()


def start_ray(address: str | None, settings: Settings, temp_dir: str | None = None) -> None:
    """Connect to `address`, or start a small local cluster (no dashboard, no usage report) whose files stay
    in the data folder (`local_ray_dirs`)."""
    if not address and temp_dir is None:
        temp_dir = local_ray_dirs(settings)
    ray = _import_ray()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # read by Ray itself: never phone home
    runtime_env = {"env_vars": {"PYTHONPATH": str(PROJECT_ROOT), "HF_HUB_OFFLINE": "1",
                                "OMP_WAIT_POLICY": "PASSIVE"}}
    if address:
        ray.init(address=address, runtime_env=runtime_env, log_to_driver=False)
    else:
        ray.init(num_cpus=settings.ray_num_cpus or None, object_store_memory=OBJECT_STORE_BYTES,
                 include_dashboard=False, runtime_env=runtime_env, log_to_driver=False,
                 logging_level=logging.WARNING, _temp_dir=temp_dir)


# Ray's session folder holds Unix sockets (« session_…/sockets/plasma_store »): their paths must stay under
# the kernel's 107 characters, so a deep data folder falls back to a short temporary folder.
MAX_RAY_TEMP_DIR_CHARS = 40


def local_ray_dirs(settings: Settings) -> str:
    """Everything a local cluster writes goes under the data folder, none under ~/.ray: its session files and
    its authentication token (token mode set explicitly, which is also what keeps Ray from warning about it).
    Returns the temp folder for `ray.init(_temp_dir=…)`."""
    folder = (settings.data_dir / "ray").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    token = folder / "auth_token"
    if not token.exists():
        import secrets

        fd = os.open(token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    os.environ.setdefault("RAY_AUTH_MODE", "token")
    os.environ.setdefault("RAY_AUTH_TOKEN_PATH", str(token))
    temp = folder / "tmp"
    if len(str(temp)) > MAX_RAY_TEMP_DIR_CHARS:
        temp = Path(tempfile.gettempdir()) / f"acv-ray-{os.getuid()}"
    temp.mkdir(parents=True, exist_ok=True)
    return str(temp)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise AcvError("Ray n'est pas installé : installez l'extra « ray » (pip install 'acv-kb[ray]').") from exc
    return ray


# -- what runs on the workers ----------------------------------------------------------------------

_WORKER_STATE: dict[str, Any] = {}


def prepare_bytes(data: bytes, name: str, source: str, config: PrepareConfig, settings: Settings) -> tuple[str, Any]:
    """A Ray task: prepare one file from its bytes. Returns ("ok", PreparedDocument) or ("error", French message)."""
    from ingest.isolation import IsolatedJob

    try:
        with tempfile.TemporaryDirectory(prefix="acv-ray-") as tmp:
            path = Path(tmp) / name  # same name and suffix: the readers may look at them
            path.write_bytes(data)
            del data
            if settings.parse_isolation:
                job = IsolatedJob(_prepare_path, (path, source, config, settings), timeout_s=settings.parse_timeout_s,
                                  memory_mb=settings.parse_memory_mb or None, label=source)
                return ("ok", job.wait())
            return ("ok", _prepare_path(path, source, config, settings))
    except AcvError as exc:
        return ("error", exc.message)
    except MemoryError:
        return ("error", "Fichier ignoré : sa lecture demandait trop de mémoire.")
    except RecursionError:
        return ("error", "Fichier ignoré : structure trop profondément imbriquée.")
    except Exception as exc:  # noqa: BLE001 - one file's failure is that file's outcome
        return ("error", f"Fichier ignoré : erreur inattendue ({type(exc).__name__}).")


def _prepare_path(path: Path, source: str, config: PrepareConfig, settings: Settings) -> PreparedDocument:
    from index.analysis import get_analyzer
    from ingest.extract import Extractor
    from ingest.prepare import prepare_parsed
    from ingest.readers import read_file

    key = f"{settings.gazetteer_path}|{settings.themes_path}"
    if _WORKER_STATE.get("key") != key:  # one extractor per worker process, not per file
        _WORKER_STATE.update(key=key, extractor=Extractor.from_paths(settings.gazetteer_path, settings.themes_path))
    parsed = read_file(path, max_bytes=config.max_bytes)
    parsed.source = source
    return prepare_parsed(parsed, get_analyzer(), _WORKER_STATE["extractor"], config)


class EmbedWorker:
    """A Ray actor: the embedding model, loaded once, embedding batches of texts."""

    def __init__(self, settings: Settings) -> None:
        from index.embedders import make_embedder

        self.embedder = make_embedder(settings)

    def embedder_id(self) -> str:
        return self.embedder.id

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.embedder.embed_passages(texts)


# -- the driver ------------------------------------------------------------------------------------------


class _RayRun:
    """Drives one Batch with Ray tasks and actors instead of forked children and the local model."""

    def __init__(self, ray: Any, ingestor: Ingestor, settings: Settings) -> None:
        self.ray = ray
        self.ingestor = ingestor
        self.settings = settings.model_copy(update={"api_key": None})  # workers need no secret
        settings = self.settings
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.embedders = max(1, cpus // 2)
        self.preparers = max(1, cpus - self.embedders) * 2  # a little queue ahead of each CPU
        share = 1.0 if cpus >= 2 else 0.5  # on one CPU the model and one preparing task take half each
        self._prepare = ray.remote(num_cpus=share, max_retries=1)(prepare_bytes)
        actor = ray.remote(num_cpus=share)(EmbedWorker)
        self.actors = [actor.remote(settings) for _ in range(self.embedders)]
        ids = set(ray.get([a.embedder_id.remote() for a in self.actors]))
        if ids != {ingestor.embedder.id}:
            raise AcvError(f"Les nœuds Ray n'ont pas le même modèle que ce poste ({sorted(ids)} ≠ "
                           f"{ingestor.embedder.id}).")
        self.idle = list(self.actors)
        self.embedding: dict[Any, tuple[Any, list[str]]] = {}  # ref -> (actor, keys)
        self.config = ray.put(ingestor.prepare_config)
        self.settings_ref = ray.put(settings)

    def run(self, paths: Sequence[Path], prune: bool, progress: ProgressCallback | None) -> IngestReport:
        batch = self.ingestor.start_batch(paths, progress)
        batch.lookahead = max(batch.lookahead, self.preparers * 4)
        while not batch.finished:
            batch.admit(self._submit, limit=self.preparers)
            self._collect(batch)
            batch.write_ready()
            self._embed(batch)
            self._wait(batch)
        return self.ingestor.finish_batch(batch, paths, prune)

    def _submit(self, slot: Slot) -> None:
        data = self.ingestor.read_bytes(slot.path)
        slot.job = self._prepare.remote(data, slot.path.name, slot.source, self.config, self.settings_ref)

    def _prepare_refs(self, batch: Batch) -> list[Any]:
        return [s.job for s in batch.running()]

    def _collect(self, batch: Batch) -> None:
        refs = self._prepare_refs(batch)
        if refs:
            done, _ = self.ray.wait(refs, num_returns=len(refs), timeout=0)
            done_set = set(done)
            for slot in batch.running():
                if slot.job in done_set:
                    batch._guard(slot, lambda slot=slot: self._take_prepared(batch, slot))
        refs = list(self.embedding)
        if refs:
            done, _ = self.ray.wait(refs, num_returns=len(refs), timeout=0)
            for ref in done:
                actor, keys = self.embedding.pop(ref)
                self.idle.append(actor)
                try:
                    batch.queue.put(keys, self.ray.get(ref))
                except Exception as exc:  # noqa: BLE001 - the documents needing these texts get the reason
                    batch.queue.fail(keys, f"Fichier ignoré : le calcul des vecteurs a échoué ({type(exc).__name__}).")

    def _take_prepared(self, batch: Batch, slot: Slot) -> None:
        ref, slot.job = slot.job, None
        kind, value = self.ray.get(ref)
        if kind != "ok":
            raise UnreadableFileError(value)
        batch.prepared(slot, value)

    def _embed(self, batch: Batch) -> None:
        while self.idle and batch.queue.pending:
            keys, texts = batch.queue.next_batch()
            actor = self.idle.pop()
            self.embedding[actor.embed.remote(texts)] = (actor, keys)

    def _wait(self, batch: Batch) -> None:
        refs = self._prepare_refs(batch) + list(self.embedding)
        if refs:
            self.ray.wait(refs, num_returns=1, timeout=1.0)
