"""A file cache for the page store when there is no Redis: shared by the workers of one machine."""

import os

from django.core.cache.backends.filebased import FileBasedCache


class EdgeFileCache(FileBasedCache):
    """Django's ``FileBasedCache`` that checks its size every ``CULL_EVERY`` writes, not on every write.

    Django lists the whole cache folder on each ``set`` to decide whether to
    cull; with tens of thousands of pages that costs more than the write.
    Here each process lists it once per ``CULL_EVERY`` writes, so the folder
    may overshoot ``MAX_ENTRIES`` by at most that many entries per worker.
    """

    CULL_EVERY = 200

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes = 0
        self._pid = os.getpid()

    def _cull(self):
        if self._pid != os.getpid():  # forked worker: own counter
            self._pid, self._writes = os.getpid(), 0
        self._writes += 1
        if self._writes % self.CULL_EVERY != 1:
            return
        super()._cull()
