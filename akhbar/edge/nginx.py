"""The nginx configuration that serves the static mirror (``mirror.py``) in front of akhbar.

``render(...)`` returns the text ``akhbar nginx-config`` prints: ``map`` blocks, an
``upstream`` and a ``server`` block (for ``/etc/nginx/conf.d/``, inside ``http {}``), or a whole
``nginx.conf`` with ``standalone=`` (tests, benchmarks). Only modules of Debian's nginx 1.22
(``gzip_static``, ``map``, ``proxy``); no purge module: akhbar deletes the files itself.

A request is answered from the mirror when it is ``GET``/``HEAD``, carries no bypass cookie
(``AKHBAR_EDGE_BYPASS_COOKIES``) and no ``Authorization``, has no query string, its path is in the
form akhbar writes (``mirror.SAFE_CHARS``, percent-encoding, ending in ``/``, no dot segments) and
the file exists; anything else goes to akhbar. Mirror hits carry the headers akhbar puts on cached
pages (``page_headers``, computed from the settings, so the two cannot drift; tests compare them
with a real akhbar response) plus ``X-Akhbar-Mirror: hit``.
"""

from __future__ import annotations

import re
from pathlib import Path

#: Response headers akhbar sets per response rather than per site; nginx makes its own.
VOLATILE_HEADERS = {"date", "etag", "last-modified", "content-length", "content-encoding", "x-cache", "age", "vary", "content-type", "content-language", "server", "connection", "keep-alive", "transfer-encoding"}


def page_headers() -> list[tuple[str, str]]:
    """``[(name, value)]`` akhbar sends on every cached public page, from settings and middleware.

    Cache-Control (``middleware.public_cache_control``), Content-Security-Policy and
    Permissions-Policy (``theme.middleware``), and Django's ``SecurityMiddleware`` /
    ``XFrameOptionsMiddleware`` headers as configured. ``Vary``/``Content-Language`` are handled
    in ``render``. The CSP has no per-response nonce (public pages carry no inline script), so one
    static value is exact.
    """
    from django.conf import settings

    from akhbar.theme.middleware import PERMISSIONS_POLICY

    from .middleware import public_cache_control

    middleware = set(settings.MIDDLEWARE)
    headers = [("Cache-Control", public_cache_control())]
    if "akhbar.theme.middleware.SecurityHeadersMiddleware" in middleware:
        if settings.AKHBAR_CSP:
            headers.append(("Content-Security-Policy", settings.AKHBAR_CSP))
        headers.append(("Permissions-Policy", PERMISSIONS_POLICY))
    if "django.middleware.clickjacking.XFrameOptionsMiddleware" in middleware:
        headers.append(("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()))
    if "django.middleware.security.SecurityMiddleware" in middleware:
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            headers.append(("X-Content-Type-Options", "nosniff"))
        policy = settings.SECURE_REFERRER_POLICY
        if policy:
            value = policy if isinstance(policy, str) else ",".join(policy)
            headers.append(("Referrer-Policy", ",".join(v.strip() for v in value.split(","))))
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
        if settings.SECURE_HSTS_SECONDS:  # Django sends it on https only; browsers ignore it on http
            value = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                value += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                value += "; preload"
            headers.append(("Strict-Transport-Security", value))
    return headers


def page_vary() -> str:
    """The ``Vary`` of a cached page: ``Accept-Language`` (LocaleMiddleware) and ``Accept-Encoding``."""
    from django.conf import settings

    parts = ["Accept-Language"] if "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE else []
    return ", ".join([*parts, "Accept-Encoding"])


def quoted(value: str) -> str:
    """``value`` as an nginx double-quoted string; ``ValueError`` for ``$`` (nginx would expand it)."""
    if "$" in value:
        raise ValueError(f"nginx header values cannot contain '$': {value!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _cookie_regex(names) -> str:
    alternatives = "|".join(re.escape(n) for n in names)
    return f"~(^|;)\\s*({alternatives})="


def mirror_file_regex() -> str:
    """The PCRE of the ``$akhbar_mirror_file`` map: ``1|<host>|<request URI>`` → ``mh``, ``mp``."""
    return "^1\\|(?<mh>[a-z0-9][a-z0-9.-]*)\\|" + _path_regex() + "$"


def _path_regex() -> str:
    from .mirror import SAFE_CHARS

    chars = re.escape(SAFE_CHARS.replace("/", "")).replace("/", "") + "%A-Za-z0-9"
    # No segment starting with a dot (so no "." or ".."), nothing after the last "/", no query.
    return f"(?!.*/\\.)(?<mp>/(?:[{chars}]+/)*)"


def render(mirror_dir: str, upstream: str = "127.0.0.1:8000", listen: str = "80", server_name: str = "_", standalone: str | None = None) -> str:
    """The nginx configuration text (see the module docstring).

    ``mirror_dir``: ``AKHBAR_STATIC_MIRROR_DIR``; ``upstream``: akhbar's ``host:port``;
    ``standalone``: a folder for pid/logs/temporary files, to get a complete ``nginx.conf``.
    ``ValueError`` when a header value cannot be written for nginx.
    """
    from django.conf import settings

    from . import conf

    static_root = str(Path(str(settings.STATIC_ROOT)).resolve())
    media_root = str(Path(str(settings.MEDIA_ROOT)).resolve())
    mirror_dir = str(Path(mirror_dir).resolve())
    hits = "\n".join(f"        add_header {name} {quoted(value)};" for name, value in page_headers())
    languages = "\n".join(
        f"    ~^/{re.escape(code)}/ {code};" for code, _n in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    )
    proxy = """proxy_pass http://akhbar_app;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_redirect off;"""
    media = ""
    if settings.MEDIA_URL.startswith("/"):
        media = f"""
    location {settings.MEDIA_URL} {{
        alias {media_root}/;
        add_header Cache-Control "public, max-age=86400";
        add_header X-Content-Type-Options nosniff;
        access_log off;
    }}
"""
    text = f"""# Generated by `akhbar nginx-config` from akhbar's settings: regenerate it after changing
# AKHBAR_CSP, AKHBAR_CACHE_*, AKHBAR_EDGE_BYPASS_COOKIES or the static mirror folder.
# Pages akhbar has cached for anonymous readers are files under {mirror_dir}
# (akhbar writes and deletes them, see docs/operations.md "Static mirror").

# 1 when the reader may get the shared copy: GET/HEAD, no personal cookie, no Authorization.
map $http_cookie $akhbar_personal {{
    default 0;
    "{_cookie_regex(conf.get("AKHBAR_EDGE_BYPASS_COOKIES"))}" 1;
}}
map "$request_method:$akhbar_personal:$http_authorization" $akhbar_shared {{
    default 0;
    "GET:0:" 1;
    "HEAD:0:" 1;
}}
# The mirrored file of this request, or a name that never exists (then akhbar answers).
map "$akhbar_shared|$host|$request_uri" $akhbar_mirror_file {{
    default /.akhbar-no-mirror;
    "~{mirror_file_regex()}" /$mh${{mp}}index.html;
}}
map $request_uri $akhbar_content_language {{
    default {settings.LANGUAGE_CODE};
{languages}
}}

upstream akhbar_app {{
    server {upstream};
    keepalive 32;
}}

server {{
    listen {listen};
    server_name {server_name};
    charset utf-8;
    client_max_body_size 32m;
    gzip_static on;

    location / {{
        root {mirror_dir};
        try_files $akhbar_mirror_file @akhbar;
        # Only mirror hits reach these lines; akhbar sends its own headers on everything else.
{hits}
        add_header Content-Language $akhbar_content_language;
        add_header Vary {quoted(page_vary())};
        add_header X-Akhbar-Mirror hit;
    }}

    location @akhbar {{
        {proxy}
    }}

    location /admin/ {{
        {proxy}
    }}

    location {settings.STATIC_URL} {{
        alias {static_root}/;
        add_header Cache-Control "max-age=315360000, public, immutable";
        access_log off;
    }}
{media}}}
"""
    if standalone is None:
        return text
    run = str(Path(standalone).resolve())
    body = "\n".join("    " + line if line else "" for line in text.splitlines())
    return f"""# Complete nginx.conf for `nginx -c` (tests, benchmarks); pid, logs and temporary files in {run}.
worker_processes auto;
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    server_tokens off;
    client_body_temp_path {run}/tmp-body;
    proxy_temp_path {run}/tmp-proxy;
    fastcgi_temp_path {run}/tmp-fastcgi;
    uwsgi_temp_path {run}/tmp-uwsgi;
    scgi_temp_path {run}/tmp-scgi;
{body}
}}
"""
