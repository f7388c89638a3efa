"""JSON-LD, Open Graph, Twitter cards, canonical and hreflang links, read back with extruct."""

from datetime import datetime
from urllib.parse import unquote

import extruct
import pytest
from django.contrib.staticfiles import finders
from lxml import etree
from PIL import Image

from akhbar.news.models import ArticlePage
from akhbar.syndication.structured import LOGO, LOGO_SQUARE, json_ld

from .helpers import fetch, local_path

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"


def page_data(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    data = extruct.extract(html, base_url=BASE + path, syntaxes=["json-ld", "opengraph"], uniform=False)
    og = [tuple(p) for block in data["opengraph"] for p in block["properties"]]
    tree = etree.fromstring(html, etree.HTMLParser())
    return response, html, data["json-ld"], og, tree


def by_type(jsonld, kind):
    found = [item for item in jsonld if item.get("@type") == kind]
    assert len(found) == 1, (kind, [i.get("@type") for i in jsonld])
    return found[0]


def og_values(og, prop):
    return [value for key, value in og if key == prop]


def assert_iso_with_zone(value):
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value
    return parsed


def test_news_article_has_what_google_asks_for(client, story):
    response, html, jsonld, og, tree = page_data(client, story.url)
    article = by_type(jsonld, "NewsArticle")
    own = f"{BASE}/سياسة/البرلمان-يقر-قانون-الموازنة/"
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == story.title
    assert article["description"] == story.standfirst
    assert unquote(article["mainEntityOfPage"]["@id"]) == own and unquote(article["url"]) == own
    assert article["mainEntityOfPage"]["@id"].isascii()
    published = assert_iso_with_zone(article["datePublished"])
    modified = assert_iso_with_zone(article["dateModified"])
    assert published == story.published_at.replace(microsecond=0) and modified >= published
    assert article["inLanguage"] == "ar" and article["isAccessibleForFree"] is True
    assert article["articleSection"] == "سياسة"
    assert article["keywords"] == ["الموازنة العامة", "البرلمان"]

    (author,) = article["author"]
    assert author == {"@type": "Person", "name": "سلمى الراشد", "url": author["url"]}
    assert unquote(author["url"]) == f"{BASE}/authors/سلمى-الراشد/"
    fetch(client, author["url"])

    publisher = article["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization" and publisher["name"] == "أخبار"
    logo = publisher["logo"]
    assert logo["url"] == f"{BASE}/static/{LOGO['path']}"
    with Image.open(finders.find(LOGO["path"])) as image:
        assert image.size == (logo["width"], logo["height"]) == (600, 60)

    ratios = set()
    for image in article["image"]:
        assert image["url"].startswith(f"{BASE}/media/") and image["url"].isascii()
        assert image["creditText"] == story.lead_image.credit
        assert fetch(client, image["url"])["Content-Type"].startswith("image/")
        ratios.add(round(image["width"] / image["height"], 2))
    assert ratios == {round(16 / 9, 2), round(4 / 3, 2), 1.0}


def test_breadcrumbs_lead_from_home_to_the_story(client, story):
    _r, _h, jsonld, _og, _t = page_data(client, story.url)
    crumbs = by_type(jsonld, "BreadcrumbList")["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert [c["name"] for c in crumbs] == ["أخبار", "سياسة", story.title]
    assert [unquote(c["item"]) for c in crumbs] == [f"{BASE}/", f"{BASE}/سياسة/", f"{BASE}/سياسة/البرلمان-يقر-قانون-الموازنة/"]
    section = by_type(page_data(client, story.section.url)[2], "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in section] == ["أخبار", "سياسة"]


def test_open_graph_and_twitter_cards(client, story):
    _r, _h, _j, og, tree = page_data(client, story.url)
    props = dict(og)
    assert props["og:type"] == "article" and props["og:locale"] == "ar_AR"
    assert og_values(og, "og:locale:alternate") == ["en_US"]
    assert props["og:title"] == story.title and props["og:description"] == story.standfirst
    assert unquote(props["og:url"]) == f"{BASE}/سياسة/البرلمان-يقر-قانون-الموازنة/"
    assert assert_iso_with_zone(props["article:published_time"]) == story.published_at.replace(microsecond=0)
    assert_iso_with_zone(props["article:modified_time"])
    assert props["article:section"] == "سياسة"
    assert og_values(og, "article:tag") == ["الموازنة العامة", "البرلمان"]
    assert [unquote(u) for u in og_values(og, "article:author")] == [f"{BASE}/authors/سلمى-الراشد/"]
    image = props["og:image"]
    rendition = story.lead_image.get_rendition("fill-1200x675")
    assert image == f"{BASE}{rendition.url}"
    assert (int(props["og:image:width"]), int(props["og:image:height"])) == (rendition.width, rendition.height)
    assert props["og:image:alt"] == story.lead_alt and props["og:image:type"] == "image/jpeg"

    twitter = {m.get("name"): m.get("content") for m in tree.xpath("//head/meta[starts-with(@name, 'twitter:')]")}
    assert twitter["twitter:card"] == "summary_large_image"
    assert twitter["twitter:title"] == story.title and twitter["twitter:description"] == story.standfirst
    assert twitter["twitter:image"] == image and twitter["twitter:image:alt"] == story.lead_alt


def test_canonical_hreflang_and_description(client, story):
    for path, own in ((story.url, "/سياسة/البرلمان-يقر-قانون-الموازنة/"), ("/en" + story.url, "/en/سياسة/البرلمان-يقر-قانون-الموازنة/")):
        _r, _h, _j, _og, tree = page_data(client, path)
        (canonical,) = tree.xpath("//head/link[@rel='canonical']/@href")
        assert canonical.isascii() and unquote(canonical) == BASE + own
        alternates = {link.get("hreflang"): unquote(link.get("href")) for link in tree.xpath("//head/link[@rel='alternate'][@hreflang]")}
        assert alternates == {
            "ar": f"{BASE}/سياسة/البرلمان-يقر-قانون-الموازنة/",
            "en": f"{BASE}/en/سياسة/البرلمان-يقر-قانون-الموازنة/",
            "x-default": f"{BASE}/سياسة/البرلمان-يقر-قانون-الموازنة/",
        }
        for href in tree.xpath("//head/link[@rel='alternate'][@hreflang]/@href"):
            assert client.get(local_path(href)).status_code == 200
        (description,) = tree.xpath("//head/meta[@name='description']/@content")
        assert description == story.standfirst


def test_paginated_listings_keep_their_page_in_canonical_and_hreflang(client, make_story, settings):
    settings.AKHBAR_SECTION_PAGE_SIZE = 1
    for i in range(2):
        make_story(slug=f"خبر-{i}", image=False)
    _r, _h, _j, _og, tree = page_data(client, "/سياسة/?page=2")
    assert unquote(tree.xpath("//head/link[@rel='canonical']/@href")[0]) == f"{BASE}/سياسة/?page=2"
    hreflang = {link.get("hreflang"): unquote(link.get("href")) for link in tree.xpath("//head/link[@hreflang]")}
    assert hreflang["en"] == f"{BASE}/en/سياسة/?page=2"
    _r, _h, _j, _og, tree = page_data(client, "/سياسة/?page=1&utm_source=x")
    assert unquote(tree.xpath("//head/link[@rel='canonical']/@href")[0]) == f"{BASE}/سياسة/"


def test_tag_and_author_pages(client, story):
    tag = story.tags.get(name="الموازنة العامة")
    for path, kind, title in ((f"/tags/{tag.slug}/", "website", "الموازنة العامة"), ("/authors/سلمى-الراشد/", "profile", "سلمى الراشد")):
        _r, _h, _j, og, tree = page_data(client, path)
        props = dict(og)
        assert props["og:type"] == kind and props["og:title"] == title
        assert unquote(tree.xpath("//head/link[@rel='canonical']/@href")[0]) == BASE + path
        assert len(tree.xpath("//head/link[@hreflang]")) == 3


def test_home_has_website_with_search_action_and_publisher(client, story):
    _r, _h, jsonld, og, tree = page_data(client, "/")
    site = by_type(jsonld, "WebSite")
    assert site["url"] == f"{BASE}/" and site["name"] == "أخبار" and site["inLanguage"] == "ar"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{BASE}/search/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"
    org = by_type(jsonld, "NewsMediaOrganization")
    assert org["@id"] == site["publisher"]["@id"] and org["logo"]["width"] == LOGO["width"]
    props = dict(og)
    assert props["og:type"] == "website" and props["og:locale"] == "ar_AR"
    with Image.open(finders.find(LOGO_SQUARE["path"])) as image:
        assert image.size == (int(props["og:image:width"]), int(props["og:image:height"]))
    assert unquote(tree.xpath("//head/link[@rel='canonical']/@href")[0]) == f"{BASE}/"
    _r, _h, _j, og_en, tree_en = page_data(client, "/en/")
    assert dict(og_en)["og:locale"] == "en_US"
    assert tree_en.xpath("//head/link[@rel='canonical']/@href") == [f"{BASE}/en/"]


def test_json_ld_cannot_break_out_of_its_script_element(client, make_story):
    headline = 'هجوم </script><script>alert("x")</script> <!-- و & '
    article = make_story(title=headline, slug="عنوان-خطر", standfirst="</SCRIPT ><img src=x onerror=alert(1)> \u2028 سطر", image=False)
    response, html, jsonld, og, tree = page_data(client, article.url)
    assert "<script>alert" not in html and "<img src=x" not in html
    scripts = tree.xpath("//script")
    inline = [s for s in scripts if not s.get("src")]
    assert all(s.get("type") == "application/ld+json" for s in inline)  # no executable inline script (CSP)
    news = by_type(jsonld, "NewsArticle")
    assert news["headline"] == headline and news["description"].startswith("</SCRIPT >")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    element = json_ld({"text": "</script>"})
    assert element.count("</script>") == 1 and "\\u003C/script\\u003E" in element


def test_a_syndicated_story_may_point_to_its_original(client, make_story):
    article = make_story(
        slug="تقرير-منقول",
        source_kind=ArticlePage.SOURCE_SYNDICATED,
        source_name="صحيفة الشمال",
        source_url="https://north.example/تقارير/الميناء",
        source_licence="CC BY 4.0",
        canonical_is_source=True,
        image=False,
    )
    _r, _h, jsonld, og, tree = page_data(client, article.url)
    (canonical,) = tree.xpath("//head/link[@rel='canonical']/@href")
    assert canonical.isascii() and unquote(canonical) == "https://north.example/تقارير/الميناء"
    assert tree.xpath("//head/link[@hreflang]") == []
    news = by_type(jsonld, "NewsArticle")
    assert unquote(news["isBasedOn"]) == "https://north.example/تقارير/الميناء"
    assert unquote(dict(og)["og:url"]).endswith("/سياسة/تقرير-منقول/")
    # Without the licence flag the page stays its own canonical.
    article.canonical_is_source = False
    article.save_revision().publish()
    (canonical,) = page_data(client, article.url)[4].xpath("//head/link[@rel='canonical']/@href")
    assert unquote(canonical).endswith("/سياسة/تقرير-منقول/")


def test_canonical_to_source_needs_a_story_from_elsewhere(politics):
    from django.core.exceptions import ValidationError

    from tests.news.factories import ArticlePageFactory

    with pytest.raises(ValidationError) as err:
        politics.add_child(instance=ArticlePageFactory.build(canonical_is_source=True, slug="خبرنا"))
    assert "canonical_is_source" in err.value.message_dict


def test_story_without_named_author_or_image(client, make_story):
    article = make_story(slug="خبر-وكالة", byline="رويترز", image=False)
    news = by_type(page_data(client, article.url)[2], "NewsArticle")
    assert news["author"] == [{"@type": "Organization", "name": "رويترز"}]
    assert "image" not in news
    _r, _h, _j, og, tree = page_data(client, article.url)
    assert "og:image" not in dict(og)
    assert tree.xpath("//head/meta[@name='twitter:card']/@content") == ["summary"]


def test_first_figure_stands_in_for_a_missing_lead_image(client, make_story):
    from tests.news.factories import NewsImageFactory

    picture = NewsImageFactory(file__width=400, file__height=300)
    article = make_story(
        slug="خبر-بصورة-في-المتن",
        image=False,
        body=[{"type": "figure", "value": {"image": picture.pk, "alt_text": "سوق شعبي مزدحم", "decorative": False, "caption": "", "credit": "أ ف ب"}}],
    )
    news = by_type(page_data(client, article.url)[2], "NewsArticle")
    assert len(news["image"]) == 3
    og = dict(page_data(client, article.url)[3])
    assert og["og:image:alt"] == "سوق شعبي مزدحم"


def test_preview_of_an_unpublished_draft_renders(make_story):
    from akhbar.syndication.models import Correction

    draft = make_story(slug="مسودة-للمعاينة", live=False, first_published_at=None, image=False)
    draft.corrections.add(Correction(text="تصحيح في المعاينة"))
    response = draft.make_preview_request()
    assert response.status_code == 200
    html = response.content.decode()
    assert "تصحيح في المعاينة" in html
    news = next(i for i in extruct.extract(html, syntaxes=["json-ld"], uniform=False)["json-ld"] if i["@type"] == "NewsArticle")
    assert "datePublished" not in news and news["headline"] == draft.title


def test_site_wide_head_parts_follow_the_settings(client, home, settings):
    """The memoised site-wide parts (feeds, search path, logo URLs) are keyed on what they are made of."""
    settings.AKHBAR_BASE_URL = "https://first.example"
    first = client.get("/").content.decode()
    assert f'title="{settings.AKHBAR_SITE_NAME} (RSS)" href="https://first.example/' in first
    assert 'content="https://first.example/static/syndication/logo-square' in first
    settings.AKHBAR_BASE_URL = "https://second.example"
    settings.AKHBAR_SITE_NAME = "أخبار الثانية"
    second = client.get("/").content.decode()
    assert "first.example" not in second
    assert 'title="أخبار الثانية (RSS)" href="https://second.example/' in second
    assert 'content="https://second.example/static/syndication/logo-square' in second


def test_static_url_is_djangos_and_follows_the_storage(settings):
    from django.templatetags.static import static

    from akhbar.syndication import links

    assert links.static_url(LOGO["path"]) == static(LOGO["path"])
    settings.STATIC_URL = "/assets/"
    assert links.static_url(LOGO["path"]) == static(LOGO["path"]) and links.static_url(LOGO["path"]).startswith("/assets/")
