"""RSS 2.0 and Atom feeds: well formed for feedparser, stable GUIDs, dates, images, Arabic URIs."""

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import unquote

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from lxml import etree

from akhbar.syndication.actions import append_correction

from .helpers import local_path

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"
URI = re.compile(r"^https?://[A-Za-z0-9.\-]+(?::\d+)?/[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$")
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
ATOM = {"a": "http://www.w3.org/2005/Atom", "media": "http://search.yahoo.com/mrss/"}


def feed_paths(story) -> list[str]:
    section = story.section
    tag = story.tags.first()
    author = story.article_authors.first().author
    paths = ["/feeds/rss/", "/feeds/atom/"]
    for kind, slug in (("sections", section.slug), ("tags", tag.slug), ("authors", author.slug)):
        paths += [f"/feeds/{kind}/{slug}/rss/", f"/feeds/{kind}/{slug}/atom/"]
    return paths


def parse_feed(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    parsed = feedparser.parse(response.content, response_headers={"content-type": response["Content-Type"]})
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return response, parsed


def test_every_feed_parses_cleanly(client, story, make_story):
    make_story(title="خبر بلا صورة ولا وسوم", slug="خبر-بسيط", image=False)
    for path in feed_paths(story):
        response, parsed = parse_feed(client, path)
        expected_type = "application/atom+xml" if "/atom/" in path else "application/rss+xml"
        assert response["Content-Type"].startswith(expected_type)
        assert parsed.version == ("atom10" if "/atom/" in path else "rss20")
        if parsed.version == "rss20":
            assert parsed.feed.language == "ar"
        assert parsed.entries, path
        entry = next(e for e in parsed.entries if e.title == story.title)
        assert URI.match(entry.link) and unquote(entry.link) == f"{BASE}/سياسة/البرلمان-يقر-قانون-الموازنة/"
        assert entry.id == f"tag:127.0.0.1,2026:article:{story.pk}"
        assert entry.published_parsed and "updated" in entry and entry.updated_parsed >= entry.published_parsed
        assert "أقرّ البرلمان قانون الموازنة" in entry.summary
        assert entry.author == "سلمى الراشد"
        assert {t.term for t in entry.tags} >= {"سياسة", "الموازنة العامة", "البرلمان"}
        self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
        assert self_links and URI.match(self_links[0]) and unquote(local_path(self_links[0])) == path


def test_scoped_feeds_only_carry_their_stories(client, story, make_story, home):
    from akhbar.news.models import SectionPage

    economy = SectionPage.objects.child_of(home).get(slug="اقتصاد")
    other = make_story(section=economy, title="أسعار النفط ترتفع", slug="أسعار-النفط", tags=["النفط"], image=False)
    titles = lambda path: {e.title for e in parse_feed(client, path)[1].entries}  # noqa: E731
    assert titles("/feeds/rss/") == {story.title, other.title}
    assert titles(f"/feeds/sections/{story.section.slug}/rss/") == {story.title}
    assert titles("/feeds/sections/اقتصاد/atom/") == {other.title}
    assert titles("/feeds/tags/النفط/rss/") == {other.title}
    assert titles(f"/feeds/authors/{story.article_authors.first().author.slug}/atom/") == {story.title}
    for path in ("/feeds/sections/لا-يوجد/rss/", "/feeds/tags/لا-يوجد/atom/", "/feeds/authors/لا-يوجد/rss/"):
        assert client.get(path).status_code == 404


def test_dates_are_rfc822_in_rss_and_rfc3339_in_atom(client, story):
    rss = etree.fromstring(client.get("/feeds/rss/").content)
    pub = rss.findtext("channel/item/pubDate")
    assert RFC822.match(pub), pub
    assert parsedate_to_datetime(pub) == story.published_at.replace(microsecond=0)
    assert RFC822.match(rss.findtext("channel/lastBuildDate"))
    atom = etree.fromstring(client.get("/feeds/atom/").content)
    for element in ("a:updated", "a:entry/a:published", "a:entry/a:updated"):
        value = atom.findtext(element, namespaces=ATOM)
        assert RFC3339.match(value), (element, value)
    assert datetime.fromisoformat(atom.findtext("a:entry/a:published", namespaces=ATOM)) == story.published_at.replace(microsecond=0)


def test_guid_is_stable_when_headline_slug_and_section_change(client, story, home):
    from akhbar.news.models import SectionPage

    before = parse_feed(client, "/feeds/rss/")[1].entries[0]
    story.title = "البرلمان يقرّ الموازنة (محدّث)"
    story.slug = "البرلمان-يقر-الموازنة"
    story.save_revision().publish()
    story.move(SectionPage.objects.child_of(home).get(slug="اقتصاد"), pos="last-child")
    for path in ("/feeds/rss/", "/feeds/atom/"):
        after = parse_feed(client, path)[1].entries[0]
        assert after.id == before.id
        assert after.title == "البرلمان يقرّ الموازنة (محدّث)"
        assert unquote(after.link).endswith("/اقتصاد/البرلمان-يقر-الموازنة/")
    raw = etree.fromstring(client.get("/feeds/rss/").content)
    assert raw.find("channel/item/guid").get("isPermaLink") == "false"


def test_lead_image_is_an_enclosure_and_media_content(client, story):
    parsed = parse_feed(client, "/feeds/rss/")[1]
    entry = parsed.entries[0]
    (enclosure,) = [link for link in entry.links if link.rel == "enclosure"]
    assert enclosure.type == "image/jpeg" and URI.match(enclosure.href)
    rendition = story.lead_image.get_rendition("fill-1200x675")
    assert int(enclosure.length) == rendition.file.size > 0
    assert client.get(local_path(enclosure.href)).status_code == 200
    (media,) = entry.media_content
    assert media["url"] == enclosure.href and media["medium"] == "image"
    assert (int(media["width"]), int(media["height"])) == (rendition.width, rendition.height)
    atom = etree.fromstring(client.get("/feeds/atom/").content)
    media = atom.find("a:entry/media:content", namespaces=ATOM)
    assert media.get("url") == enclosure.href
    assert media.findtext("media:description", namespaces=ATOM) == story.lead_alt
    assert media.findtext("media:credit", namespaces=ATOM) == story.lead_image.credit


def test_summary_by_default_full_text_by_setting(client, story, settings):
    story.body = [
        {"type": "paragraph", "value": '<p>فقرة فيها <a href="/tags/البرلمان/">رابط داخلي</a>.</p>'},
        {"type": "figure", "value": {"image": story.lead_image.pk, "alt_text": "قاعة البرلمان", "decorative": False, "caption": "الجلسة", "credit": ""}},
    ]
    story.save_revision().publish()
    rss = etree.fromstring(client.get("/feeds/rss/").content)
    assert rss.find("channel/item/{http://purl.org/rss/1.0/modules/content/}encoded") is None
    atom = etree.fromstring(client.get("/feeds/atom/").content)
    assert atom.find("a:entry/a:content", namespaces=ATOM) is None
    settings.AKHBAR_FEED_FULL_TEXT = True
    for path in ("/feeds/rss/", "/feeds/atom/"):
        entry = parse_feed(client, path)[1].entries[0]
        (content,) = [c for c in entry.content if c.type == "text/html"]
        html = etree.fromstring(f"<div>{content.value}</div>", etree.HTMLParser())
        hrefs = html.xpath("//a/@href")
        sources = html.xpath("//img/@src")
        assert hrefs and sources
        for url in hrefs + sources:
            assert URI.match(url), url
        assert unquote(hrefs[0]) == f"{BASE}/tags/البرلمان/"
        assert "رابط داخلي" in content.value
        assert entry.summary.startswith("<p>أقرّ البرلمان")


def test_corrections_update_the_feed_entry(client, story):
    original = parse_feed(client, "/feeds/atom/")[1].entries[0]
    append_correction(story, "ذكرت نسخة سابقة أن التصويت جرى بأغلبية 70 صوتًا، والصحيح 80 صوتًا.")
    for path in ("/feeds/rss/", "/feeds/atom/"):
        entry = parse_feed(client, path)[1].entries[0]
        assert entry.id == original.id
        assert "والصحيح 80 صوتًا" in entry.summary and "تصحيح" in entry.summary
    atom_entry = parse_feed(client, "/feeds/atom/")[1].entries[0]
    assert atom_entry.updated_parsed > original.updated_parsed
    assert atom_entry.published_parsed == original.published_parsed


def test_hostile_text_stays_inside_the_xml(client, make_story):
    make_story(
        title='عنوان <b>غامق</b> & "مقتبس" \x0b]]>',
        slug="عنوان-غريب",
        standfirst="<script>alert(1)</script> مقدمة",
        image=False,
    )
    for path in ("/feeds/rss/", "/feeds/atom/"):
        entry = parse_feed(client, path)[1].entries[0]
        assert entry.title == 'عنوان <b>غامق</b> & "مقتبس" ]]>'
        assert "<script" not in entry.summary


def test_feed_queries_do_not_grow_with_items(client, make_story, reporter):
    from django.core.cache import cache

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            client.get("/feeds/atom/")
        return len(ctx.captured_queries)

    for i in range(2):
        make_story(slug=f"أول-{i}", authors=[reporter], tags=["وسم"])
    count()  # renditions are created on first use; count once they exist
    small = count()
    for i in range(6):
        make_story(slug=f"ثان-{i}", authors=[reporter], tags=["وسم", f"وسم-{i}"])
    count()
    large = count()
    assert large == small  # a fixed number of queries per feed, never one per item


def test_feed_item_limit(client, make_story, settings):
    from django.core.cache import cache

    for i in range(5):
        make_story(slug=f"خبر-{i}", hours_ago=i + 1, image=False)
    settings.AKHBAR_FEED_ITEMS = 3
    cache.clear()
    entries = parse_feed(client, "/feeds/rss/")[1].entries
    assert [unquote(e.link).rstrip("/").rsplit("/", 1)[1] for e in entries] == ["خبر-0", "خبر-1", "خبر-2"]


def test_feeds_are_cached_and_invalidated_on_publish(client, story, make_story, django_assert_num_queries):
    client.get("/feeds/rss/")
    with django_assert_num_queries(0):
        assert client.get("/feeds/rss/").status_code == 200
    draft = make_story(slug="خبر-جديد", title="خبر جديد", live=False, first_published_at=None, image=False)
    assert [e.title for e in parse_feed(client, "/feeds/rss/")[1].entries] == [story.title]
    draft.save_revision().publish()
    assert [e.title for e in parse_feed(client, "/feeds/rss/")[1].entries] == ["خبر جديد", story.title]
    response = client.get("/feeds/rss/")
    assert client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@override_settings(AKHBAR_GUID_AUTHORITY="akhbar.example")
def test_guid_authority_can_be_pinned(client, story):
    entry = parse_feed(client, "/feeds/atom/")[1].entries[0]
    assert entry.id == f"tag:akhbar.example,2026:article:{story.pk}"


def test_pages_advertise_their_feeds(client, story):
    def alternates(path):
        html = etree.fromstring(client.get(path).content, etree.HTMLParser())
        return {(link.get("type"), link.get("href")) for link in html.xpath("//head/link[@rel='alternate'][@type]")}

    site = {("application/rss+xml", f"{BASE}/feeds/rss/"), ("application/atom+xml", f"{BASE}/feeds/atom/")}
    tag, author = story.tags.first(), story.article_authors.first().author
    pages = {
        "/": set(),
        story.section.url: {"sections"},
        story.url: {"sections"},
        f"/tags/{tag.slug}/": {"tags"},
        f"/authors/{author.slug}/": {"authors"},
        "/en/": set(),
    }
    for path, kinds in pages.items():
        found = alternates(path)
        assert site <= found, path
        extra = found - site
        assert {unquote(href).split("/")[4] for _t, href in extra} == kinds, path
        for _type, href in found:
            assert URI.match(href)
            parse_feed(client, local_path(href))


def test_published_dates_are_whole_seconds(client, make_story):
    make_story(when=datetime(2025, 5, 1, 8, 30, 15, 123456, tzinfo=UTC), slug="بالثانية", image=False)
    atom = etree.fromstring(client.get("/feeds/atom/").content)
    assert atom.findtext("a:entry/a:published", namespaces=ATOM) == "2025-05-01T08:30:15+00:00"


def test_a_lost_image_file_does_not_break_feeds_or_pages(client, story):
    story.lead_image.renditions.all().delete()
    story.lead_image.file.storage.delete(story.lead_image.file.name)
    for path in ("/feeds/rss/", "/feeds/atom/"):
        entry = parse_feed(client, path)[1].entries[0]
        assert not [link for link in entry.links if link.rel == "enclosure"]
    response = client.get(story.url)
    assert response.status_code == 200 and b"og:image" not in response.content
