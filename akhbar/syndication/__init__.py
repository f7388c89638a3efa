"""Syndication: feeds, sitemaps, structured data, share cards and corrections.

See docs/syndication.md for URLs, settings and the standards each output follows.
"""
