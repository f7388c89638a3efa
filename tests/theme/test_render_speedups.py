"""The uncached-render shortcuts give exactly what Wagtail and the templates give without them.

* Story cards reused per process (``akhbar.theme.cards``): a change to
  anything a card shows renders it again.
* Page URLs without ``reverse()`` (``UrlMixin``): same strings as Wagtail.
* The Wagtail site from the shared cache (``akhbar.news.sites``): same
  matching as Wagtail, and forgotten when a site changes.
* Memoised image filter specs and rendition URLs: same renditions and URLs.
"""

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page, Site

from akhbar.comments.models import Discussion
from akhbar.news.models import ArticlePage, HomePage
from akhbar.news.sites import match_site, site_for_request
from akhbar.theme import cards
from tests.news.factories import ArticlePageFactory, NewsImageFactory


@pytest.fixture(autouse=True)
def fresh_cards(settings):
    settings.AKHBAR_CARD_CACHE_ENTRIES = 4000  # the opt-in card cache is what these tests check
    cards.forget_cards()
    yield
    cards.forget_cards()


def card_html(article, request, **flags):
    template = engines["django"].from_string("{% load akhbar_tags %}{% card article " + " ".join(f"{k}={v}" for k, v in flags.items()) + " %}")
    return template.render({"article": article}, request)


def include_html(article, request, **flags):
    """The card as the templates rendered it before ``{% card %}``: a plain ``{% include %}``."""
    with_flags = " ".join(f"{k}={v}" for k, v in flags.items())
    template = engines["django"].from_string('{% include "news/includes/card.html" with article=article ' + with_flags + " %}")
    return template.render({"article": article}, request)


def card_of(pk):
    return ArticlePage.objects.cards().get(pk=pk)


@pytest.fixture
def pictured(politics):
    article = ArticlePageFactory(parent=politics, title="خبر بصورة", lead_image=NewsImageFactory(), lead_image_alt="وصف")
    article.save_revision().publish()
    return article


@pytest.mark.django_db
@pytest.mark.parametrize("flags", [{}, {"is_lead": "True", "show_section": "True"}, {"show_standfirst": "True", "heading": '"h2"', "eager": "True"}])
def test_card_tag_renders_what_the_include_rendered(rf, pictured, flags):
    request = rf.get("/")
    include_html(card_of(pictured.pk), request, **flags)  # renditions created once
    expected = include_html(card_of(pictured.pk), request, **flags)
    assert card_html(card_of(pictured.pk), request, **flags) == expected
    assert card_html(card_of(pictured.pk), request, **flags) == expected  # from the card cache
    assert len(cards._cards) == 1


@pytest.mark.django_db
def test_a_changed_card_is_rendered_again(rf, pictured):
    request = rf.get("/")
    card_html(card_of(pictured.pk), request)
    first = card_html(card_of(pictured.pk), request)
    Discussion.objects.update_or_create(page_id=pictured.pk, defaults={"approved_count": 3})
    counted = card_html(card_of(pictured.pk), request)
    assert counted != first and "card__comments" in counted
    article = ArticlePage.objects.get(pk=pictured.pk)
    article.title = "عنوان جديد للبطاقة"
    article.save_revision().publish()
    assert "عنوان جديد للبطاقة" in card_html(card_of(pictured.pk), request)
    with translation.override("en"):
        english = card_html(card_of(pictured.pk), request)
    assert english != card_html(card_of(pictured.pk), request)  # language is part of the key (dates, URL)


@pytest.mark.django_db
def test_cards_of_the_home_and_section_pages_are_kept(rf, pictured):
    """``cards_by_pk`` attaches renditions as ``prefetched_renditions``: such cards are cacheable too."""
    from akhbar.news.queries import cards_by_pk

    request = rf.get("/")
    include_html(card_of(pictured.pk), request)  # renditions created once
    expected = include_html(card_of(pictured.pk), request)
    assert card_html(cards_by_pk([pictured.pk])[0], request) == expected
    assert len(cards._cards) == 1
    assert card_html(cards_by_pk([pictured.pk])[0], request) == expected  # from the card cache
    assert len(cards._cards) == 1


@pytest.mark.django_db
def test_cards_without_prefetched_renditions_are_not_kept(rf, pictured):
    request = rf.get("/")
    article = ArticlePage.objects.select_related("lead_image").get(pk=pictured.pk)  # no renditions prefetch
    assert card_html(article, request) == include_html(ArticlePage.objects.get(pk=pictured.pk), request)
    assert len(cards._cards) == 0


@pytest.mark.django_db
def test_card_cache_can_be_switched_off(rf, pictured, settings):
    settings.AKHBAR_CARD_CACHE_ENTRIES = 0
    request = rf.get("/")
    card_html(card_of(pictured.pk), request)
    card_html(card_of(pictured.pk), request)
    assert len(cards._cards) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "en"])
def test_page_urls_are_wagtails(rf, home, politics, language):
    article = ArticlePageFactory(parent=politics, title="عنوان فيه: رموز & علامات (تجربة) 100%")
    pages = [home, politics, article]
    request = rf.get("/")
    with translation.override(language):
        for page in pages:
            assert page.get_url_parts(request) == Page.get_url_parts(page, request), page.url_path
            assert page.get_url(request) == Page.get_url(Page.objects.get(pk=page.pk), request)


@pytest.mark.django_db
def test_site_matching_follows_wagtail(home):
    other_root = Page.objects.get(depth=1)
    Site.objects.create(hostname="second.example", port=80, root_page=other_root, is_default_site=False)
    Site.objects.create(hostname="second.example", port=8080, root_page=home, is_default_site=False)
    Site.objects.create(hostname="third.example", port=8000, root_page=home, is_default_site=False)
    sites = list(Site.objects.all())
    factory = RequestFactory()
    for host in ["localhost", "second.example", "second.example:8080", "second.example:81", "third.example", "third.example:8000", "elsewhere.example"]:
        request = factory.get("/", HTTP_HOST=host)
        expected = Site._find_for_request(request)
        assert match_site(sites, host.partition(":")[0], int(request.get_port())) == expected, host
        assert site_for_request(request) == expected, host
        for port in (80, 8000, 8080, 81):  # the port Wagtail uses is the server's (SERVER_PORT), not the Host header's
            request = factory.get("/", HTTP_HOST=host, SERVER_PORT=str(port))
            assert site_for_request(request) == Site._find_for_request(request), (host, port)


@pytest.mark.django_db
def test_cached_site_and_home_page_are_forgotten_when_they_change(rf, home):
    request = rf.get("/")
    site = site_for_request(request)
    assert isinstance(site.root_page, HomePage)
    site_row = Site.objects.get(pk=site.pk)
    site_row.site_name = "اسم جديد"
    site_row.save()
    assert site_for_request(rf.get("/")).site_name == "اسم جديد"
    page = HomePage.objects.get()
    page.title = "الرئيسية الجديدة"
    page.save_revision().publish()
    assert site_for_request(rf.get("/")).root_page.title == "الرئيسية الجديدة"


@pytest.mark.django_db
def test_filter_specs_are_parsed_once_and_renditions_unchanged():
    from wagtail.images.models import Filter

    assert Filter("fill-64x36|format-webp").operations is Filter("fill-64x36|format-webp").operations
    image = NewsImageFactory()
    rendition = image.get_rendition("fill-64x36|format-webp")
    assert (rendition.width, rendition.height) == (64, 36)
    assert rendition.url == rendition.file.url


@pytest.mark.django_db
def test_rendition_urls_follow_media_url(settings):
    image = NewsImageFactory()
    rendition = image.get_rendition("width-50")
    assert rendition.url.startswith(settings.MEDIA_URL)
    settings.MEDIA_URL = "https://cdn.example/media/"
    rendition = type(rendition).objects.get(pk=rendition.pk)
    assert rendition.url.startswith("https://cdn.example/media/")


@pytest.mark.django_db
def test_a_moved_story_gets_a_card_with_its_new_url(rf, pictured, home):
    from akhbar.news.models import SectionPage

    request = rf.get("/")
    card_html(card_of(pictured.pk), request)
    before = card_html(card_of(pictured.pk), request)
    economy = SectionPage.objects.child_of(home).exclude(pk=pictured.section_id).first()
    ArticlePage.objects.get(pk=pictured.pk).move(economy, pos="last-child")
    moved = card_of(pictured.pk)
    after = card_html(moved, rf.get("/"))
    assert after != before and moved.get_url(request) in after
