# Varnish 7 configuration for akhbar (tested against Debian 12's varnish 7.1: tests/edge/test_varnish.py).
#
#   varnishd -a :80 -f /etc/varnish/akhbar.vcl -s malloc,1G
#   AKHBAR_PURGE_URLS=http://127.0.0.1:80   (on the akhbar side; see docs/operations.md)
#
# * Anonymous GET/HEAD requests are cached following akhbar's Cache-Control
#   (s-maxage; stale-while-revalidate becomes grace; stale-if-error is kept
#   as keep so a failing backend still gets the stale copy).
# * Requests with a session cookie, an Authorization header, or under /admin/
#   are passed to akhbar, never cached. Other cookies (analytics, csrftoken)
#   are stripped from cacheable requests.
# * PURGE <path> from the purgers ACL (Wagtail's frontend-cache HTTP backend
#   sends it on publish) bans every cached variant of that path on that host:
#   all query strings too, so /section/ also drops /section/?page=2 … ?page=N.

vcl 4.1;

import std;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    # Sick after four failed probes of the last five (~20 s): a down backend, not a slow answer
    # while the machine is saturated (on a 2-core bench box a 2 s probe timed out under load,
    # and Varnish then answered 503 for pages it did not hold).
    .probe = {
        .url = "/";
        .interval = 5s;
        .timeout = 5s;
        .window = 5;
        .threshold = 2;
    }
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE" || req.method == "BAN") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # Values unquoted: hosts and (percent-encoded) paths contain no spaces.
        ban("obj.http.x-akhbar-host == " + regsub(req.http.host, ":[0-9]+$", "") +
            " && obj.http.x-akhbar-path == " + regsub(req.url, "\?.*$", ""));
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|django-admin)(/|$)" || req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|akhbar_nocache)=") {
        return (pass);
    }
    unset req.http.Cookie;
    # The language is in the URL (/ Arabic, /en/ English), never negotiated: one object per URL.
    unset req.http.Accept-Language;
    # Tracking parameters do not change the page (akhbar ignores them too).
    set req.url = regsuball(req.url, "([?&])(utm_[a-z]+|fbclid|gclid)=[^&]*", "\1");
    set req.url = regsuball(req.url, "[?&]+$", "");
    set req.url = regsub(req.url, "\?&+", "?");
    return (hash);
}

sub vcl_backend_response {
    # Django adds "Vary: Accept-Language"; the request header was dropped above, so keep the
    # variant count at one per URL (and per encoding, which Varnish handles itself).
    if (beresp.http.Vary) {
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)(^|,)\s*Accept-Language\s*(,|$)", "\1");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^[,\s]+|[,\s]+$", "");
        if (beresp.http.Vary == "") {
            unset beresp.http.Vary;
        }
    }
    # Remember host and path (without query) so a PURGE of the path bans all its variants.
    set beresp.http.x-akhbar-host = regsub(bereq.http.host, ":[0-9]+$", "");
    set beresp.http.x-akhbar-path = regsub(bereq.url, "\?.*$", "");
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # stale-if-error: keep the object after TTL+grace, served when the backend fails.
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.keep = std.duration(regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1") + "s", 0s);
    }
    return (deliver);
}

sub vcl_backend_error {
    # No stale copy and no backend: a short Arabic notice instead of Varnish's English page.
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "30";
    synthetic({"<!doctype html><html lang="ar" dir="rtl"><meta charset="utf-8"><title>الموقع غير متاح مؤقتًا</title><h1>الموقع غير متاح مؤقتًا</h1><p>حاول مرة أخرى بعد قليل.</p></html>"});
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-akhbar-host;
    unset resp.http.x-akhbar-path;
    if (obj.hits > 0) {
        set resp.http.X-Proxy-Cache = "HIT";
    } else {
        set resp.http.X-Proxy-Cache = "MISS";
    }
}
