import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StructBlockValidationError

from akhbar.news.blocks import FigureBlock
from akhbar.news.models import ArticlePage

from .factories import ArticlePageFactory, NewsImageFactory


@pytest.fixture
def image(db):
    return NewsImageFactory(description="", credit="")


def figure(image, **value):
    block = FigureBlock()
    data = {"image": image, "alt_text": "", "decorative": False, "caption": "", "credit": ""}
    data.update(value)
    return block, block.to_python({**data, "image": image.pk})


@pytest.mark.django_db
def test_figure_needs_alt_text_unless_decorative(image):
    block, value = figure(image, credit="رويترز")
    with pytest.raises(StructBlockValidationError) as err:
        block.clean(value)
    assert "alt_text" in err.value.block_errors
    block, value = figure(image, credit="رويترز", decorative=True)
    block.clean(value)
    block, value = figure(image, credit="رويترز", alt_text="طفل يحمل علمًا")
    block.clean(value)


@pytest.mark.django_db
def test_photo_figure_needs_a_credit(image):
    block, value = figure(image, alt_text="وصف")
    with pytest.raises(StructBlockValidationError) as err:
        block.clean(value)
    assert "credit" in err.value.block_errors
    image.credit = "أ ف ب"
    image.save()
    block, value = figure(image, alt_text="وصف")
    block.clean(value)  # the image's own credit counts


@pytest.mark.django_db
def test_decorative_figure_renders_empty_alt(image):
    block, value = figure(image, credit="رويترز", decorative=True, alt_text="ignored")
    html = block.render(value)
    assert 'alt=""' in html and "ignored" not in html


@pytest.mark.django_db
def test_translated_story_must_name_and_link_its_source(politics):
    article = ArticlePageFactory.build(source_kind=ArticlePage.SOURCE_TRANSLATION)
    with pytest.raises(ValidationError) as err:
        politics.add_child(instance=article)
    assert {"source_name", "source_url"} <= set(err.value.message_dict)


@pytest.mark.django_db
def test_lead_image_needs_alt_and_credit(politics, image):
    article = ArticlePageFactory.build(lead_image=image)
    with pytest.raises(ValidationError) as err:
        politics.add_child(instance=article)
    assert {"lead_image_alt", "lead_image"} <= set(err.value.message_dict)


@pytest.mark.django_db
def test_publishing_sets_section_and_dates(politics):
    article = ArticlePageFactory(parent=politics, live=False, first_published_at=None, last_published_at=None)
    assert article.published_at is None
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.section_id == politics.pk
    assert article.published_at == article.first_published_at
    assert article.updated_at >= article.published_at


@pytest.mark.django_db
def test_article_url_is_percent_encoded_arabic(politics):
    article = ArticlePageFactory(parent=politics, slug="زيارة-دولة")
    assert article.url == "/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/%D8%B2%D9%8A%D8%A7%D8%B1%D8%A9-%D8%AF%D9%88%D9%84%D8%A9/"


@pytest.mark.django_db
def test_over_long_slug_is_trimmed_between_words(politics):
    from akhbar.news.slugs import encoded_length

    article = ArticlePageFactory(parent=politics, slug="-".join(["كلمة"] * 60))
    assert encoded_length(article.slug) <= 240 and set(article.slug.split("-")) == {"كلمة"}


@pytest.mark.django_db
def test_page_urls_are_wagtails(rf, home, politics):
    """``UrlMixin.get_url``'s single-site path gives what Wagtail's ``Page.get_url`` gives."""
    from wagtail.models import Page, Site

    from tests.news.factories import ArticlePageFactory

    story = ArticlePageFactory(parent=politics, title="خبر عن 5G و«الأمم المتحدة»", slug="خبر-5g")
    for page in (home, politics, story):
        request = rf.get("/")
        assert page.get_url(request) == Page.get_url(page, request) == page.url
        assert page.get_url() == Page.get_url(page)
    other = Site.objects.create(hostname="other.example", root_page=politics, is_default_site=False)
    try:
        request = rf.get("/", HTTP_HOST="other.example")
        assert story.get_url(request) == Page.get_url(story, request)
        assert story.get_url(rf.get("/")) == Page.get_url(story, rf.get("/"))
    finally:
        other.delete()
