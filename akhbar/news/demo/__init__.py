"""The project's own demo content (written for akhbar, not copied): see ``stories.py``."""
