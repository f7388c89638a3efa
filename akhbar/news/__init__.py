"""News: the newsroom's content model (home, sections, articles, authors, images, body blocks)."""
