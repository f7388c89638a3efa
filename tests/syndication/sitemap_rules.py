"""Validators for sitemap files: the sitemaps.org XSDs plus Google's documented extension rules.

``validate_urlset`` / ``validate_index`` raise ``AssertionError`` with the
schema's error log; ``check_news`` and ``check_images`` apply the rules an
XSD cannot express. Schemas are read from ``../shared/cases/xsd/``; tests
call :func:`schemas_or_skip` to skip with a reason when it is absent.
"""

import re
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

from tests.paths import CASES_DIR

XSD_DIR = CASES_DIR / "xsd"
LOCAL_SCHEMAS = Path(__file__).resolve().parent / "schemas"
SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
IMAGE = "http://www.google.com/schemas/sitemap-image/1.1"
NS = {"sm": SM, "news": NEWS, "image": IMAGE}


def schemas_or_skip():
    for name in ("sitemap.xsd", "siteindex.xsd"):
        if not (XSD_DIR / name).exists():
            pytest.skip(f"sitemaps.org schema {name} not found in {XSD_DIR} (shared cases folder absent)")


@lru_cache(maxsize=None)
def urlset_schema() -> etree.XMLSchema:
    """sitemap.xsd with the news and image extension schemas imported (strict processing needs them)."""
    wrapper = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="{SM}" schemaLocation="{(XSD_DIR / 'sitemap.xsd').as_uri()}"/>
      <xsd:import namespace="{NEWS}" schemaLocation="{(LOCAL_SCHEMAS / 'news.xsd').as_uri()}"/>
      <xsd:import namespace="{IMAGE}" schemaLocation="{(LOCAL_SCHEMAS / 'image.xsd').as_uri()}"/>
    </xsd:schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


@lru_cache(maxsize=None)
def index_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / "siteindex.xsd")))


def parse(data: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.fromstring(data, parser)


def validate_urlset(data: bytes):
    """Parse and validate a ``<urlset>``; returns the root element."""
    schemas_or_skip()
    root = parse(data)
    schema = urlset_schema()
    assert schema.validate(root), str(schema.error_log)
    assert root.tag == f"{{{SM}}}urlset"
    _check_locs(root.iterfind("sm:url/sm:loc", NS))
    return root


def validate_index(data: bytes):
    schemas_or_skip()
    root = parse(data)
    schema = index_schema()
    assert schema.validate(root), str(schema.error_log)
    assert len(root) <= 50_000
    _check_locs(root.iterfind("sm:sitemap/sm:loc", NS))
    return root


def _check_locs(locs):
    for loc in locs:
        _check_uri(loc.text)


#: An absolute http(s) URI of RFC 3986 characters only (Arabic must be percent-encoded, escapes well formed).
_ABSOLUTE_URI = re.compile(r"^https?://[A-Za-z0-9.\-]+(?::\d+)?(?:/[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*)?$")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _check_uri(value: str):
    assert value and len(value) <= 2048 and _ABSOLUTE_URI.match(value), f"not an absolute URI: {value!r}"
    assert not _BAD_ESCAPE.search(value), f"broken percent-escape in {value!r}"


W3C = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")


def check_news(root, *, now: datetime, publication_name: str, language: str = "ar"):
    """Google News rules: ≤ 1,000 news URLs, last two days only, name and language as registered."""
    news = root.findall("sm:url/news:news", NS)
    assert len(news) <= 1000
    for item in news:
        assert item.findtext("news:publication/news:name", namespaces=NS) == publication_name
        assert item.findtext("news:publication/news:language", namespaces=NS) == language
        published = item.findtext("news:publication_date", namespaces=NS)
        assert W3C.match(published), published
        when = datetime.fromisoformat(published)
        assert when.tzinfo is not None
        assert now - timedelta(hours=48) <= when <= now + timedelta(minutes=1), published
        assert item.findtext("news:title", namespaces=NS).strip()
    return news


def check_images(root):
    """Google image rules: ≤ 1,000 ``image:image`` per URL, each with one absolute ``image:loc``."""
    images = []
    for url in root.findall("sm:url", NS):
        found = url.findall("image:image", NS)
        assert len(found) <= 1000
        for image in found:
            locs = image.findall("image:loc", NS)
            assert len(locs) == 1
            _check_uri(locs[0].text)
            images.append(locs[0].text)
    return images


def locs(root) -> list[str]:
    return [el.text for el in root.iterfind("sm:url/sm:loc", NS)]
