"""Hostile input: every payload in every field of the comment form.

For each case: no server error; nothing executable in the page that answers
(the form shown again, or the article with the approved comment); on rejection
the reader's text comes back unchanged (NUL characters aside, which HTML cannot
carry); when stored, the text is NFC and free of bidi embeddings/overrides/
isolates and zero-width characters.
"""

import json
import re
import unicodedata

import lxml.html
import pytest
from django.urls import reverse
from django.utils.html import escape

from akhbar.comments import actions
from akhbar.comments.models import Comment

from .conftest import ORIGIN, aged_token, post_comment

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert(1)</script>",
    '"><script>alert(document.cookie)</script>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">اضغط</a>',
    "'';!--\"<XSS>=&{()}",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<body onload=alert(1)>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<style>*{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<a href="https://example.com" onclick="alert(1)">رابط</a>',
    "https://example.com/\"onmouseover=\"alert(1)",
    "https://example.com/<script>alert(1)</script>",
    "www.example.com/'><img src=x onerror=alert(1)>",
    "http://example.com/?q=<svg/onload=alert(1)>",
    "data:text/html,<script>alert(1)</script>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<base href=\"https://evil.example/\">",
    "<textarea></textarea><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "\" autofocus onfocus=\"alert(1)",
    "' onmouseover='alert(1)",
    "{{ request.META }}",
    "{% debug %}",
    "${7*7} #{7*7} <%= 7*7 %>",
    "<x onpointerenter=alert(1)>hover</x>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<img src=\"x\" onerror=\"&#x61;lert(1)\">",
    "<video><source onerror=\"alert(1)\"></video>",
]
BIDI_AND_INVISIBLE = [
    "\u202eevil\u202c",
    "admin\u202e",
    "\u2066سارة\u2069",
    "\u2067مدير الموقع\u2069",
    "\u2068FSI\u2069 text",
    "\u202aLRE\u202bRLE\u202cPDF\u202dLRO",
    "ad\u200bmin",
    "\ufeffالمحرر",
    "\u2060\u2060\u2060",
    "ابو\u200dعلي",
    "\u3164\u3164",
    "\u2800",
    "txt\u00adsoft",
    "\u061cعلامة",
]
CONTROL_AND_ENCODING = [
    "a\x00b",
    "\x00",
    "\x07\x08\x1b[31mred",
    "line1\r\nline2\rline3",
    "\r\n\r\n\r\n\r\n\r\nكثير من الأسطر",
    "\u2028\u2029\u0085",
    "\ue000 private use",
    "\uffff\ufffe non-characters",
    "\ufffd replacement",
    "\t\ttabs\t",
]
SCRIPTS_AND_EMOJI = [
    "Sаra (Cyrillic а)",
    "مرحبا hello שלום 你好 Привет",
    "👨\u200d👩\u200d👧\u200d👦 عائلة",
    "🏳️\u200d🌈",
    "🇸🇦🇪🇬🇲🇦",
    "👍🏽👍🏿",
    "1️⃣ 2️⃣",
    "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "Z" + "\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308" * 6,
    "مُحَمَّدٌ رَسُولُ",
    "ســـلام",
    "e\u0301le\u0300ve",
    "𝐁𝐨𝐥𝐝 𝕊𝕡𝕒𝕞",
]
SQL_LOOKING = [
    "'; DROP TABLE comments_comment; --",
    "1 OR 1=1",
    '" OR ""="',
    "admin'--",
    "' UNION SELECT email FROM comments_comment --",
    "%' AND 1=0 UNION ALL SELECT NULL--",
    "\\'; SELECT pg_sleep(5); --",
]
SIZES = [
    "ا" * 81,
    "ب" * 5001,
    "x" * 20000,
    "كلمة " * 1200,
    "",
    " ",
    "a",
]
PAYLOADS = XSS + BIDI_AND_INVISIBLE + CONTROL_AND_ENCODING + SCRIPTS_AND_EMOJI + SQL_LOOKING + SIZES
FIELDS = ["name", "email", "body"]
CASES = [(field, payload) for field in FIELDS for payload in PAYLOADS]
EMAILS = [
    "<script>@example.com",
    "a@example.com\u202e",
    "a@example.com\r\nBcc: victim@example.org",
    '"quoted"@example.com',
    "a@[127.0.0.1]",
    "a" * 250 + "@example.com",
    "MiXeD@Example.COM",
    "user@xn--mgbh0fb.xn--kgbechtv",
    "مستخدم@مثال.مصر",
    "a@b",
]
CASES += [("email", email) for email in EMAILS]

DANGEROUS_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "svg", "math", "style", "xss", "x", "video", "details"}
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = set("\u200b\u2060\ufeff\u00ad\u3164\u2800")


def assert_nothing_executable(html: str, payload: str):
    if "<" in payload:
        assert payload not in html, "the payload's markup reached the page unescaped"
    parseable = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", html)
    document = lxml.html.document_fromstring(parseable)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        assert tag not in DANGEROUS_TAGS, f"<{tag}> in page"
        if tag == "script" and (element.get("type") or "").lower() == "application/ld+json":
            json.loads(element.text or "")  # structured data: a data block, never run
        elif tag == "script":
            assert (element.get("src") or "").startswith("/static/") and not (element.text or "").strip()
        if tag == "meta":
            assert "refresh" not in (element.get("http-equiv") or "").lower()
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"event handler attribute {name} on <{tag}>"
            assert name.lower() != "style", f"inline style on <{tag}>"
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                assert not value.strip().lower().startswith(DANGEROUS_SCHEMES), f"{name}={value!r}"


def assert_kept(html: str, field: str, payload: str):
    kept = escape(payload.replace("\x00", ""))
    if field == "body":
        assert f">\n{kept}</textarea>" in html, "the comment text was not given back"
    else:
        assert f'name="{field}" type="{"email" if field == "email" else "text"}"' in html
        assert f'value="{kept}"' in html, f"the {field} was not given back"


@pytest.mark.parametrize(("field", "payload"), CASES, ids=[f"{f}-{i}" for i, (f, _) in enumerate(CASES)])
def test_hostile_input(client, article, field, payload):
    response = post_comment(client, article, **{field: payload})
    assert response.status_code < 500
    if response.status_code == 303:
        comment = Comment.objects.get()
        stored = getattr(comment, field)
        assert unicodedata.is_normalized("NFC", stored)
        assert not (set(stored) & BIDI_CONTROLS) and not (set(stored) & ZERO_WIDTH)
        assert "\x00" not in stored
        assert_nothing_executable(client.get(response["Location"]).content.decode(), payload)
        actions.approve_comments([comment.pk])
        page = client.get(article.url).content.decode()
        assert_nothing_executable(page, payload)
        if field == "body" and "https://example.com" in payload:
            assert 'rel="nofollow ugc noopener"' in page
    else:
        assert response.status_code in (200, 400, 403, 409, 413, 429)
        html = response.content.decode()
        assert_nothing_executable(html, payload)
        assert "comment-form__errors" in html, "a rejection must say why"
        assert_kept(html, field, payload)
        assert not Comment.objects.exists()


def test_suite_has_at_least_200_cases():
    assert len(CASES) >= 200


@pytest.mark.parametrize("size", [3_000_000])
def test_posts_over_the_upload_limit_get_a_clear_page(client, article, size):
    response = post_comment(client, article, body="x" * size)
    assert response.status_code == 413 and "comment-form__errors" in response.content.decode()


@pytest.mark.parametrize(
    "raw",
    [b"name=%FF&email=a%40example.org&body=ok+ok", b"name=a&email=%C0%AF%40x.org&body=ok", b"name=a&email=a%40x.org&body=%ED%A0%80"],
)
def test_invalid_utf8_in_any_field_is_a_clear_error(client, article, raw):
    response = client.post(
        reverse("comments:post", args=[article.pk]), raw + b"&token=" + aged_token().encode(),
        content_type="application/x-www-form-urlencoded", HTTP_ORIGIN=ORIGIN,
    )
    assert response.status_code == 400 and "UTF-8" in response.content.decode()


def test_hostile_reply_target_and_token_values(client, article):
    for parent in ("-1", "1e9", "9" * 40, "<script>", "1; DROP TABLE x"):
        response = post_comment(client, article, parent=parent, body=f"رد {len(parent)}")
        assert response.status_code == 303
    for token in ("<script>", "a" * 5000, "null", "'; --"):
        response = post_comment(client, article, token=token, body="رمز غريب")
        assert response.status_code == 400 and "<script>" not in response.content.decode().split("comment-form__errors")[1][:2000]
