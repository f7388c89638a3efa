"""Settings for the test suite: same as base, with fast hashing and no manifest."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Page cache in process memory for the suite (the file cache is for multi-worker servers); off by
# default so other apps' tests see fresh pages; tests/edge turns it on (fixture `edge_cache`).
AKHBAR_EDGE_ENABLED = False
CACHES["edge"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "akhbar-edge-test", "TIMEOUT": None}  # noqa: F405
CACHES["renditions"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}  # noqa: F405
