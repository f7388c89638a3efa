"""akhbar settings, read from the environment (see README, "Configuration").

With nothing set, akhbar runs on the embedded default: SQLite, a local media
folder and a local-memory cache under ``AKHBAR_DATA_DIR`` (``./var``).
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("AKHBAR_DATA_DIR", str(Path.cwd() / "var"))).resolve()

AKHBAR_ENV = env_str("AKHBAR_ENV", "development")  # "production" makes secrets mandatory
DEBUG = env_bool("AKHBAR_DEBUG", False)

_DEV_SECRET = "akhbar-development-only-secret-key-change-me-in-production-0123456789"
SECRET_KEY = env_str("AKHBAR_SECRET_KEY", _DEV_SECRET)
if AKHBAR_ENV == "production" and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("AKHBAR_SECRET_KEY must be set when AKHBAR_ENV=production")

ALLOWED_HOSTS = env_list("AKHBAR_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("AKHBAR_CSRF_TRUSTED_ORIGINS", [])
AKHBAR_BASE_URL = env_str("AKHBAR_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = AKHBAR_BASE_URL
AKHBAR_SITE_NAME = env_str("AKHBAR_SITE_NAME", "أخبار")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",  # WhiteNoise serves static files under runserver too
    "akhbar.news",
    "akhbar.ingest",
    "akhbar.theme",
    "akhbar.syndication",
    "akhbar.comments",
    "akhbar.edge",
    "akhbar.search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.gzip.GZipMiddleware",
    "akhbar.edge.middleware.EdgeCacheMiddleware",  # page cache: hits answered here (docs/operations.md)
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "akhbar.theme.middleware.SecurityHeadersMiddleware",
    "akhbar.news.sites.SiteMiddleware",  # the Wagtail site from the shared cache, not a query per request
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "akhbar.ingest.middleware.WordPressQueryRedirectMiddleware",
    "akhbar.ingest.middleware.WordPressFeedRedirectMiddleware",
]

ROOT_URLCONF = "akhbar.urls"
WSGI_APPLICATION = "akhbar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "akhbar.theme.context_processors.site_chrome",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'akhbar.sqlite3'}"),
        conn_max_age=env_int("AKHBAR_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side prepared statements (docs/operations.md, "Prepared statements"): psycopg binds
    # parameters on the server and prepares a statement run this many times on one connection,
    # so PostgreSQL plans the hot read queries once per connection, not on every request
    # (planning was 2-3 ms of the home page's 3 ms of SQL). 0 turns it off: a PgBouncer in
    # transaction mode older than 1.21 (or without max_prepared_statements) needs that.
    _prepare_after = env_int("AKHBAR_DB_PREPARE_THRESHOLD", 2)
    if _prepare_after > 0:
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"].update({"server_side_binding": True, "prepare_threshold": _prepare_after})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("AKHBAR_CACHE_PREFIX", "akhbar"),
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "akhbar",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Page cache (alias "edge") and image renditions cache: Redis with REDIS_URL, else files; akhbar/edge/config.py
from akhbar.edge.config import edge_caches, frontend_cache_backends  # noqa: E402

CACHES.update(edge_caches(REDIS_URL, DATA_DIR))
# Proxy/CDN purge (Varnish, Cloudflare, CloudFront) from AKHBAR_PURGE_URLS etc.; empty = none.
WAGTAILFRONTENDCACHE = frontend_cache_backends()

# --- Internationalisation: Arabic first, English second ----------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
LOCALE_PATHS: list = []  # each app keeps its own locale/ folder
TIME_ZONE = env_str("AKHBAR_TIME_ZONE", "Asia/Riyadh")
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ar", "العربية"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = [("ar", "العربية")]
WAGTAIL_ALLOW_UNICODE_SLUGS = True

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("AKHBAR_STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = env_str("AKHBAR_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("AKHBAR_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env_str("AKHBAR_S3_BUCKET"):
    # S3-compatible media (requires `pip install django-storages[s3]`); see docs/operations.md.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AKHBAR_S3_BUCKET"),
            "endpoint_url": env_str("AKHBAR_S3_ENDPOINT_URL") or None,
            "custom_domain": env_str("AKHBAR_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
        },
    }
WHITENOISE_MAX_AGE = 3600

# --- Wagtail ------------------------------------------------------------------
WAGTAIL_SITE_NAME = AKHBAR_SITE_NAME
WAGTAILIMAGES_IMAGE_MODEL = "news.NewsImage"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# akhbar's article search (docs/search.md): OpenSearch is optional, the database is the default.
AKHBAR_OPENSEARCH_URL = env_str("AKHBAR_OPENSEARCH_URL")
AKHBAR_OPENSEARCH_INDEX = env_str("AKHBAR_OPENSEARCH_INDEX", "akhbar-articles")
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party avatar service: it would leak a hash of staff e-mails
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Security ----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("AKHBAR_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("AKHBAR_SECURE_COOKIES", False)
if env_bool("AKHBAR_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy for public pages (the admin sets its own needs).
AKHBAR_CSP = env_str(
    "AKHBAR_CSP",
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'; frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
)

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("AKHBAR_MAX_UPLOAD_BYTES", 2_621_440)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("AKHBAR_LOG_LEVEL", "WARNING")},
}

# Pagination sizes for public listings.
AKHBAR_SECTION_PAGE_SIZE = env_int("AKHBAR_SECTION_PAGE_SIZE", 20)
AKHBAR_SERVE_MEDIA = env_bool("AKHBAR_SERVE_MEDIA", True)
# Story cards kept rendered per worker process (akhbar/theme/cards.py); 0 (default) = render every card
# every time (cards are written in Python, akhbar/theme/card_html.py, ~0.1 ms each).
AKHBAR_CARD_CACHE_ENTRIES = env_int("AKHBAR_CARD_CACHE_ENTRIES", 0)

# --- Syndication: feeds, sitemaps, structured data (docs/syndication.md) ------
AKHBAR_FEED_FULL_TEXT = env_bool("AKHBAR_FEED_FULL_TEXT", False)  # full body in feeds, else the standfirst
AKHBAR_FEED_ITEMS = env_int("AKHBAR_FEED_ITEMS", 30)
# Stable feed GUIDs are tag: URIs (RFC 4151) minted under this authority; set it once, never change it.
AKHBAR_GUID_AUTHORITY = env_str("AKHBAR_GUID_AUTHORITY", "")  # default: host of AKHBAR_BASE_URL
AKHBAR_NEWS_PUBLICATION_NAME = env_str("AKHBAR_NEWS_PUBLICATION_NAME", AKHBAR_SITE_NAME)  # as registered with Google News
AKHBAR_SYNDICATION_CACHE_SECONDS = env_int("AKHBAR_SYNDICATION_CACHE_SECONDS", 900)
# --- Reader comments (docs/comments.md) ----------------------------------------
AKHBAR_COMMENTS_ENABLED = env_bool("AKHBAR_COMMENTS_ENABLED", True)
AKHBAR_COMMENT_RATE = env_str("AKHBAR_COMMENT_RATE", "5/m,30/h")  # per IP and per email; "0" = off
AKHBAR_COMMENT_MIN_SECONDS = env_int("AKHBAR_COMMENT_MIN_SECONDS", 3)  # 0 = no minimum fill time
AKHBAR_COMMENT_FORM_MAX_AGE = env_int("AKHBAR_COMMENT_FORM_MAX_AGE", 86400)  # seconds a form token lives
AKHBAR_COMMENT_MAX_LENGTH = env_int("AKHBAR_COMMENT_MAX_LENGTH", 5000)  # characters
AKHBAR_COMMENT_MAX_LINKS = env_int("AKHBAR_COMMENT_MAX_LINKS", 2)
AKHBAR_COMMENT_DUPLICATE_HOURS = env_int("AKHBAR_COMMENT_DUPLICATE_HOURS", 24)
AKHBAR_COMMENT_TRUSTED_AFTER = env_int("AKHBAR_COMMENT_TRUSTED_AFTER", 0)  # 0 = every comment waits
AKHBAR_COMMENTS_CLOSE_AFTER_DAYS = env_int("AKHBAR_COMMENTS_CLOSE_AFTER_DAYS", 30)  # 0 = never
AKHBAR_COMMENTS_PER_PAGE = env_int("AKHBAR_COMMENTS_PER_PAGE", 50)
AKHBAR_COMMENT_MAX_DEPTH = env_int("AKHBAR_COMMENT_MAX_DEPTH", 3)
AKHBAR_COMMENT_CHECKER = env_str("AKHBAR_COMMENT_CHECKER", "")  # dotted path; empty = off
AKHBAR_AKISMET_KEY = env_str("AKHBAR_AKISMET_KEY", "")
AKHBAR_AKISMET_URL = env_str("AKHBAR_AKISMET_URL", "https://rest.akismet.com/1.1/comment-check")
AKHBAR_COMMENT_IP_RETENTION_DAYS = env_int("AKHBAR_COMMENT_IP_RETENTION_DAYS", 30)
AKHBAR_PROXY_COUNT = env_int("AKHBAR_PROXY_COUNT", 0)  # trusted reverse proxies adding X-Forwarded-For
