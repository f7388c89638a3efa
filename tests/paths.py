"""Where the read-only shared material lives: ``../shared`` beside the repository.

Override with ``AKHBAR_SHARED_DIR``. Tests that need it skip with a clear reason when absent.
"""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AKHBAR_SHARED_DIR", REPO.parent / "shared"))
CORPUS_DIR = SHARED / "data" / "arabic-news"
CASES_DIR = SHARED / "cases"
