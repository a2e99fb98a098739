"""A knowledge base over a few in-memory passages, for tests of ranking that assert exact orders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from acv.records import Block, ParsedDocument
from index.search import Ranking
from index.store import Filters


def load_documents(kb: Any, docs: Mapping[str, str], multi: Mapping[str, Sequence[str]] | None = None) -> Any:
    """One document per entry (source mem/<name>); `multi` gives documents of several blocks."""
    ing = kb.ingestor()
    for name, text in docs.items():
        ing.store_parsed(ParsedDocument.build(f"mem/{name}", "text", [Block(text)], title=None), name, len(text))
    for name, blocks in (multi or {}).items():
        ing.store_parsed(ParsedDocument.build(f"mem/{name}", "text", [Block(t) for t in blocks], title=None),
                         name, sum(len(t) for t in blocks))
    kb.dense.sync()
    return kb


def names(kb: Any, ranking: Ranking) -> list[str]:
    """The document names of a ranking's hits, in order."""
    src = {r[0]: r[1] for r in kb.store.con.execute(
        "SELECT c.id, d.source FROM chunks c JOIN documents d ON d.id = c.doc_id")}
    return [src[h.chunk_id].removeprefix("mem/") for h in ranking.hits]


def rank_with(kb: Any, query: str, method: str | None = None, **config: Any) -> Ranking:
    """`rank` with some retrieval settings changed for this one call."""
    retr = kb.retriever
    saved = {k: getattr(retr.config, k) for k in config}
    for k, v in config.items():
        setattr(retr.config, k, v)
    try:
        return retr.rank(query, Filters(), 10, method=method)
    finally:
        for k, v in saved.items():
            setattr(retr.config, k, v)
