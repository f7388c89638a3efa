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

# Name of the throw-away test database (default: "test_" + the configured name), e.g. to keep it
# within a naming scheme on a shared PostgreSQL server.
if env_str("AKHBAR_TEST_DATABASE_NAME", ""):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": env_str("AKHBAR_TEST_DATABASE_NAME", "")}  # noqa: F405
