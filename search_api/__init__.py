"""The HTTP search API (FastAPI): a thin edge over the service layer (`service.KnowledgeBase`)."""
