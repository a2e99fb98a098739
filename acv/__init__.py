"""acv-kb: a French knowledge base with semantic search for Action cœur de ville."""

__version__ = "0.1.0"
