"""The pure sitemap functions: splitting, planning and writing, up to a million URLs."""

import itertools
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, unquote

import pytest

from akhbar.syndication.sitemap_xml import (
    MAX_URLS,
    NewsInfo,
    UrlEntry,
    archive_name,
    numbered_name,
    plan_parts,
    render_index,
    render_urlset,
    split_rows,
    xml_text,
)

from .sitemap_rules import NS, check_images, check_news, locs, validate_index, validate_urlset

BASE = "https://akhbar.example"
SECTION = quote("الشرق-الأوسط")
SLUG = quote("رئيس-الوزراء-يفتتح-الميناء")


def month_of(entry_and_published):
    published = entry_and_published[1]
    return (published.year, published.month)


def generated_rows(month_sizes: list[int], start=(2019, 1)):
    """``(UrlEntry, published)`` rows, month by month, oldest first, never stored anywhere.

    Locations carry Arabic (percent-encoded) section and slug paths; one row in
    three has a lead image.
    """
    year, month = start
    counter = itertools.count()
    for size in month_sizes:
        first = datetime(year, month, 1, tzinfo=UTC)
        spacing = timedelta(days=28) / max(size, 1)
        for i in range(size):
            n = next(counter)
            published = first + spacing * i
            images = (f"{BASE}/media/images/{n}.fill-1200x675.jpg",) if n % 3 == 0 else ()
            yield UrlEntry(loc=f"{BASE}/{SECTION}/{SLUG}-{n}/", lastmod=published, images=images), published
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


#: 1,000,001 rows over 20 months: exact limits, one over, a 150,001-URL month and a lone URL.
MONTH_SIZES = [50_000, 50_001, 150_001, 1, 49_998] + [50_000] * 13 + [50_000, 0]
assert sum(MONTH_SIZES) == 1_000_001


def test_a_million_and_one_urls_split_into_valid_sitemaps():
    counts: dict = {}
    produced = []
    total = 0
    for group, number, chunk in split_rows(generated_rows(MONTH_SIZES), key=month_of):
        assert 1 <= len(chunk) <= MAX_URLS
        counts[group] = counts.get(group, 0) + len(chunk)
        produced.append((group, number, len(chunk)))
        data = render_urlset(entry for entry, _published in chunk)
        root = validate_urlset(data)
        assert len(root) == len(chunk)
        assert len(data) < 50 * 1024 * 1024
        first_loc = root.find("sm:url/sm:loc", NS).text
        assert unquote(first_loc).startswith(f"{BASE}/الشرق-الأوسط/رئيس-الوزراء-يفتتح-الميناء-")
        check_images(root)
        total += len(chunk)
    assert total == 1_000_001
    # The count-only plan used by the sitemap index names exactly the same files.
    planned = plan_parts(counts.items())
    assert [(p.group, p.number, p.size) for p in planned] == produced
    parts_per_month = {}
    for group, number, _size in produced:
        parts_per_month[group] = max(parts_per_month.get(group, 0), number)
    assert sorted(parts_per_month.values()) == sorted([1, 2, 4, 1, 1] + [1] * 14)
    index = render_index((f"{BASE}/sitemaps/{archive_name(*p.group, p.number)}.xml", None) for p in planned)
    root = validate_index(index)
    assert len(root) == len(produced) == 23


def test_split_rows_cuts_each_group_at_the_limit():
    rows = [("a", i) for i in range(5)] + [("b", i) for i in range(2)] + [("c", 0)]
    chunks = list(split_rows(rows, key=lambda r: r[0], limit=2))
    assert [(g, n, len(c)) for g, n, c in chunks] == [("a", 1, 2), ("a", 2, 2), ("a", 3, 1), ("b", 1, 2), ("c", 1, 1)]
    assert [r for _g, _n, c in chunks for r in c] == rows


def test_split_rows_refuses_ungrouped_rows_and_bad_limits():
    with pytest.raises(ValueError):
        list(split_rows([("a", 1), ("b", 1), ("a", 2)], key=lambda r: r[0]))
    with pytest.raises(ValueError):
        list(split_rows([], key=lambda r: r, limit=0))
    assert list(split_rows([], key=lambda r: r)) == []


def test_plan_parts_matches_split_rows_for_many_shapes():
    for sizes in ([1], [3], [4], [0, 5, 0, 9], [2, 2, 2], [7, 1, 8]):
        rows = [(g, i) for g, size in enumerate(sizes) for i in range(size)]
        chunks = [(g, n, len(c)) for g, n, c in split_rows(rows, key=lambda r: r[0], limit=4)]
        planned = [(p.group, p.number, p.size) for p in plan_parts(enumerate(sizes), limit=4)]
        assert chunks == planned
        assert [p.offset for p in plan_parts(enumerate(sizes), limit=4) if p.number > 1] == [
            4 * (n - 1) for _g, n, _s in chunks if n > 1
        ]


def test_file_names():
    assert archive_name(2026, 3) == "articles-2026-03"
    assert archive_name(2026, 3, 2) == "articles-2026-03-2"
    assert numbered_name("news") == "news" and numbered_name("news", 3) == "news-3"


def test_render_urlset_encodes_arabic_iris_and_escapes_text():
    now = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    entry = UrlEntry(
        loc=f"{BASE}/سياسة/وزير-الخارجية-&-الميناء/",
        lastmod=now,
        images=(f"{BASE}/media/صورة الميناء.jpg",),
        news=NewsInfo("أخبار & شركاه", "ar", now, "عنوان <مهم> & \x0bعاجل"),
    )
    root = validate_urlset(render_urlset([entry]))
    (loc,) = locs(root)
    assert loc.isascii() and unquote(loc) == f"{BASE}/سياسة/وزير-الخارجية-&-الميناء/"
    assert check_images(root) == [f"{BASE}/media/%D8%B5%D9%88%D8%B1%D8%A9%20%D8%A7%D9%84%D9%85%D9%8A%D9%86%D8%A7%D8%A1.jpg"]
    (news,) = check_news(root, now=now, publication_name="أخبار & شركاه")
    assert news.findtext("news:title", namespaces=NS) == "عنوان <مهم> & عاجل"


def test_render_urlset_enforces_protocol_limits():
    with pytest.raises(ValueError):
        render_urlset([UrlEntry(loc="/relative/")])
    with pytest.raises(ValueError):
        render_urlset([UrlEntry(loc=f"{BASE}/{'ا' * 400}/")])  # 2,400+ characters once encoded
    with pytest.raises(ValueError):
        render_urlset([UrlEntry(loc=f"{BASE}/{i}/") for i in range(3)], max_urls=2)
    with pytest.raises(ValueError):
        render_urlset([UrlEntry(loc=f"{BASE}/", images=tuple(f"{BASE}/{i}.jpg" for i in range(1001)))])
    with pytest.raises(ValueError):
        render_urlset([UrlEntry(loc=f"{BASE}/", lastmod=datetime(2026, 1, 1))])  # naive: ambiguous


def test_dates_are_w3c_with_offsets():
    from zoneinfo import ZoneInfo

    riyadh = ZoneInfo("Asia/Riyadh")
    data = render_urlset([UrlEntry(loc=f"{BASE}/a/", lastmod=datetime(2026, 1, 1, 21, 30, 15, 999, tzinfo=UTC)), UrlEntry(loc=f"{BASE}/b/", lastmod=date(2026, 1, 2))], tz=riyadh)
    root = validate_urlset(data)
    assert [el.text for el in root.iterfind("sm:url/sm:lastmod", NS)] == ["2026-01-02T00:30:15+03:00", "2026-01-02"]


def test_xml_text_drops_characters_xml_cannot_carry():
    assert xml_text("a\x00b\x1fc\ufffed\té\n") == "abcd\té\n"
