"""``akhbar.theme.card_html`` writes exactly what ``news/includes/card.html`` renders."""

import itertools

import pytest
from django.db import connection
from django.template import Context, engines
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from akhbar.comments.models import Discussion
from akhbar.news.models import ArticlePage
from akhbar.theme import card_html, cards
from akhbar.theme.card_html import render
from tests.news.factories import ArticlePageFactory, NewsImageFactory

FLAG_SETS = [
    dict(zip(("is_lead", "show_section", "show_standfirst", "heading", "eager"), values))
    for values in itertools.product([False, True], [False, True], [False, True], ["", "h2"], [False, True])
]


def template_html(article, request, **flags):
    """``card.html`` through the template engine (what ``{% card %}`` rendered before ``card_html``)."""
    template = engines["django"].engine.get_template(cards.CARD_TEMPLATE)
    return template.render(Context({"article": article, "request": request, **flags}))


def site_request(rf):
    """A request whose Wagtail site is already found (as ``SiteMiddleware`` does), so only card queries count."""
    from wagtail.models import Site

    request = rf.get("/")
    Site.find_for_request(request)
    return request


@pytest.fixture
def stories(politics):
    pictured = ArticlePageFactory(
        parent=politics, title="خبر <بصورة> & رمز", standfirst=" ".join(["كلمة"] * 60), lead_image=NewsImageFactory(), lead_image_alt="وصف"
    )
    pictured.save_revision().publish()
    plain = ArticlePageFactory(parent=politics, title="خبر بلا صورة", standfirst="مقدمة قصيرة")
    plain.save_revision().publish()
    Discussion.objects.create(page=plain, approved_count=3)
    return [pictured.pk, plain.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "en"])
def test_python_card_equals_the_template(rf, stories, language, settings):
    settings.AKHBAR_CARD_CACHE_ENTRIES = 0
    request = rf.get("/")
    with translation.override(language):
        for pk in stories:
            article = ArticlePage.objects.cards().select_related("section").get(pk=pk)
            template_html(article, request)  # renditions made once
            for flags in FLAG_SETS:
                article = ArticlePage.objects.cards().select_related("section").get(pk=pk)
                expected = template_html(article, request, **flags)
                assert card_html.render(article, request, **flags) == expected, flags


@pytest.mark.django_db
def test_an_overridden_card_template_is_used(rf, stories, settings, tmp_path):
    (tmp_path / "news" / "includes").mkdir(parents=True)
    (tmp_path / "news" / "includes" / "card.html").write_text("<p>{{ article.title }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    settings.AKHBAR_CARD_CACHE_ENTRIES = 0
    article = ArticlePage.objects.cards().get(pk=stories[1])
    html = engines["django"].from_string("{% load akhbar_tags %}{% card article %}").render({"article": article, "request": rf.get("/")})
    assert html == "<p>خبر بلا صورة</p>"


def test_card_rendition_specs_are_the_cards_pictures():
    from akhbar.news.renditions import CARD_RENDITION_SPECS

    used = {spec for variant in (card_html._LEAD, card_html._EAGER, card_html._LAZY) for spec in card_html._specs(variant[0])}
    assert used == set(CARD_RENDITION_SPECS)


@pytest.mark.django_db
def test_listing_cards_prefetch_only_card_renditions(rf, stories):
    from akhbar.news.queries import cards_by_pk

    article = ArticlePage.objects.cards().get(pk=stories[0])
    template_html(article, rf.get("/"), is_lead=True)  # card renditions made
    article.lead_image.get_rendition("fill-1200x675")  # a share-card size of the same image
    with CaptureQueriesContext(connection) as queries:
        card = cards_by_pk([stories[0]])[0]
    assert len(queries) == 2  # the card, its renditions
    specs = {r.filter_spec for r in card.lead_image.prefetched_renditions}
    assert specs and "fill-1200x675" not in specs
    assert all(r.image is card.lead_image for r in card.lead_image.prefetched_renditions)
    request = site_request(rf)
    with CaptureQueriesContext(connection) as queries:
        html = render(card, request, is_lead=True)  # from the attached renditions, alt text from the image
    assert [q["sql"] for q in queries.captured_queries] == [] and "<picture>" in html


@pytest.mark.django_db
def test_attach_card_renditions_same_image_on_several_cards(rf, stories):
    from akhbar.news.queries import cards_by_pk

    first = ArticlePage.objects.get(pk=stories[0])
    second = ArticlePage.objects.get(pk=stories[1])
    second.lead_image = first.lead_image
    second.save_revision().publish()
    for pk in stories[:2]:
        template_html(ArticlePage.objects.cards().get(pk=pk), rf.get("/"))
    cards = cards_by_pk(stories[:2])
    assert cards[0].lead_image is not cards[1].lead_image
    assert [len(c.lead_image.prefetched_renditions) for c in cards] == [len(cards[0].lead_image.prefetched_renditions)] * 2
    request = site_request(rf)
    with CaptureQueriesContext(connection) as queries:
        htmls = [render(c, request) for c in cards]
    assert len(queries) == 0 and all("<picture>" in h for h in htmls)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "specs",
    [
        ["format-avif|fill-320x180", "format-avif|fill-480x270", "format-webp|fill-320x180", "format-webp|fill-480x270",
         "format-jpeg|fill-320x180", "format-jpeg|fill-480x270"],
        ["format-webp|fill-320x180", "format-jpeg|fill-320x180"],  # one size: srcset is the bare URL
        ["format-png|fill-320x180", "format-gif|fill-320x180", "format-webp|fill-320x180"],  # gif is the fallback
    ],
)
def test_picture_html_equals_wagtail_picture(specs):
    from django.utils.safestring import mark_safe
    from wagtail.images.models import Picture

    image = NewsImageFactory(title="صورة", description='وصف "مقتبس" & <رمز>')
    renditions = image.get_renditions(*specs)
    for attrs in (
        {"sizes": mark_safe("(max-width: 40rem) 100vw, 22rem"), "alt": mark_safe(""), "loading": mark_safe("lazy")},
        {"class": 'a"b', "data-x": "<&>", "hidden": True, "draggable": False, "title": None},  # no alt: the image's, escaped
    ):
        assert card_html.picture_html(renditions, dict(attrs)) == Picture(renditions, dict(attrs)).__html__()


@pytest.mark.django_db
def test_picture_html_leaves_one_format_to_wagtail():
    image = NewsImageFactory()
    assert card_html.picture_html(image.get_renditions("fill-320x180", "fill-480x270"), {}) is None


@pytest.mark.django_db
def test_prefetched_renditions_match_wagtails_choice():
    from wagtail.images.models import Filter

    image = NewsImageFactory()
    specs = card_html._specs(card_html._EAGER[0])
    made = image.get_renditions(*specs)
    image = type(image).objects.get(pk=image.pk)
    image.prefetched_renditions = list(image.renditions.all())
    found = card_html.prefetched_renditions(image, specs)
    assert list(found) == specs and {s: r.file.name for s, r in found.items()} == {s: r.file.name for s, r in made.items()}
    for spec in specs:  # the focal point key is Wagtail's
        assert found[spec].focal_point_key == Filter(spec=spec).get_cache_key(image)


@pytest.mark.django_db
def test_prefetched_renditions_leave_the_unusual_cases_to_wagtail():
    image = NewsImageFactory()
    specs = card_html._specs(card_html._EAGER[0])
    image.get_renditions(*specs)
    image = type(image).objects.get(pk=image.pk)
    assert card_html.prefetched_renditions(image, specs) is None  # not prefetched
    image.prefetched_renditions = list(image.renditions.all())
    assert card_html.prefetched_renditions(image, specs + ["fill-100x100"]) is None  # one missing
    assert card_html.prefetched_renditions(image, ["fill-320x180|preserve-svg"]) is None
    image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = 10, 10, 20, 20
    assert card_html.prefetched_renditions(image, specs) is None  # moved focal point: renditions to remake
    html = card_html.picture(image, card_html._EAGER)  # Wagtail's path makes them
    assert "<picture>" in html and image.renditions.count() == 2 * len(specs)
