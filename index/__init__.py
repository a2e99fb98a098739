"""Storage and retrieval: SQLite store, French BM25, dense vectors (FAISS) and their fusion."""
