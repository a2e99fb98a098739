"""The service layer: composes `index/` and `ingest/` into what the edges (CLI, API, UI) offer.

See docs/ARCHITECTURE.md. Entry point: `service.KnowledgeBase`.
"""

from service.knowledge_base import KnowledgeBase

__all__ = ["KnowledgeBase"]
