"""The HTTP search API (FastAPI): a thin edge over `acv.knowledge_base.KnowledgeBase`."""
