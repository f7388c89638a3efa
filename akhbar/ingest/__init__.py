"""Ingest: bringing stories in from outside (the news corpus, WordPress WXR, feeds, URLs)."""
