"""``news.from_db``: page and comment-switch rows become the same instances as through ``Model.__init__``."""

from contextlib import contextmanager

import pytest
from django.db.models import Model
from django.db.models.signals import post_init
from wagtail.models import Page

from akhbar.comments.models import Discussion
from akhbar.news import from_db
from akhbar.news.models import ArticlePage, NewsImage, SectionPage
from akhbar.news.models.images import NewsRendition
from akhbar.news.queries import cards_by_pk, live_articles_by_pk
from tests.news.factories import ArticlePageFactory, NewsImageFactory

pytestmark = pytest.mark.django_db


@contextmanager
def djangos_from_db():
    """Django's own ``from_db`` for the models ``from_db.install`` changed."""
    saved = {model: model.__dict__["from_db"] for model in (Page, Discussion, NewsImage, NewsRendition)}
    try:
        for model in saved:
            delattr(model, "from_db")
        yield
    finally:
        for model, method in saved.items():
            model.from_db = method


def _state(obj):
    values = {k: v for k, v in obj.__dict__.items() if k not in ("_state",)}
    return type(obj), values, obj._state.adding, obj._state.db


def _load(queryset_factory):
    fast = list(queryset_factory())
    with djangos_from_db():
        slow = list(queryset_factory())
    return fast, slow


@pytest.fixture
def stories(politics):
    image = NewsImageFactory()
    first = ArticlePageFactory(parent=politics, lead_image=image, standfirst="مقدمة")
    second = ArticlePageFactory(parent=politics)
    Discussion.objects.create(page=first)
    return [first, second]


@contextmanager
def inits():
    """The classes whose ``Model.__init__`` ran inside the block."""
    calls = []
    real = Model.__init__

    def counting(self, *args, **kwargs):
        calls.append(type(self))
        real(self, *args, **kwargs)

    Model.__init__ = counting
    try:
        yield calls
    finally:
        Model.__init__ = real


@contextmanager
def post_init_listener(model):
    """A ``post_init`` receiver for ``model`` inside the block; yields the pks it saw."""
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(listener, sender=model)
    try:
        yield seen
    finally:
        post_init.disconnect(listener, sender=model)


def test_the_fast_path_is_installed_and_taken(stories):
    assert Page.from_db.__func__ is from_db.fast_from_db
    assert ArticlePage.from_db.__func__ is from_db.fast_from_db
    with inits() as calls:
        list(ArticlePage.objects.filter(pk__in=[s.pk for s in stories]))
    assert ArticlePage not in calls  # built without __init__
    with inits() as calls:
        images = list(NewsImage.objects.all())
        list(NewsRendition.objects.all())
    assert NewsImage not in calls and NewsRendition not in calls  # only ImageField's own post_init listener
    assert images and images[0].decorative is False and images[0].contextual_alt_text is None  # AbstractImage.__init__'s


@pytest.fixture
def renditions(stories):
    image = stories[0].lead_image
    image.get_renditions("fill-80x60", "width-120|format-webp")
    return image


@pytest.mark.parametrize(
    "load",
    [
        lambda: NewsImage.objects.order_by("pk"),
        lambda: NewsRendition.objects.order_by("pk"),
        lambda: NewsRendition.objects.select_related("image").order_by("pk"),
        lambda: NewsImage.objects.only("id", "title", "file").order_by("pk"),  # dimensions deferred: Django's check runs
    ],
)
def test_images_and_renditions_are_the_same_instances(renditions, load):
    fast, slow = _load(load)
    assert fast and [_state(o) for o in fast] == [_state(o) for o in slow]
    for a, b in zip(fast, slow):
        assert (a.file.name, a.width, a.height) == (b.file.name, b.width, b.height)
        assert type(a.file) is type(b.file)  # the stored name becomes the same FieldFile on first access


def test_an_image_without_dimensions_gets_them_as_on_djangos_path(renditions):
    NewsImage.objects.filter(pk=renditions.pk).update(width=0)
    fast, slow = _load(lambda: NewsImage.objects.filter(pk=renditions.pk))
    assert fast[0].width == slow[0].width == renditions.width > 0  # read from the file by Django's code


def test_another_image_listener_sends_images_back_to_djangos_path(renditions):
    with post_init_listener(NewsImage) as seen, inits() as calls:
        list(NewsImage.objects.filter(pk=renditions.pk))
    assert seen == [renditions.pk] and NewsImage in calls


@pytest.mark.parametrize(
    "load",
    [
        lambda ids: ArticlePage.objects.filter(pk__in=ids).order_by("pk"),  # every column
        lambda ids: ArticlePage.objects.cards().prefetch_related(None).filter(pk__in=ids).order_by("pk"),  # deferred + joins
        lambda ids: ArticlePage.objects.only("title").filter(pk__in=ids).order_by("pk"),
        lambda ids: Page.objects.filter(pk__in=ids).order_by("pk"),
    ],
)
def test_same_instances_as_djangos_path(stories, load):
    ids = [s.pk for s in stories]
    fast, slow = _load(lambda: load(ids))
    assert [_state(o) for o in fast] == [_state(o) for o in slow]
    assert fast[0].get_deferred_fields() == slow[0].get_deferred_fields()


def test_related_objects_and_deferred_columns_behave(stories):
    card = [c for c in cards_by_pk([s.pk for s in stories]) if c.pk == stories[0].pk][0]
    assert card.lead_image.pk == stories[0].lead_image_id and card.lead_image.width > 0
    assert card.reader_discussion.page_id == card.pk
    assert "seo_title" in card.get_deferred_fields()
    assert card.seo_title == stories[0].seo_title  # loaded on access
    article = live_articles_by_pk([stories[0].pk])[0]
    assert list(article.body.raw_data) == list(stories[0].body.raw_data) and article.specific is article


def test_an_instance_built_fast_saves_as_an_update(stories):
    article = ArticlePage.objects.get(pk=stories[0].pk)
    assert article._state.adding is False and article._state.db == "default"
    article.standfirst = "مقدمة جديدة"
    article.save(update_fields=["standfirst"])
    assert ArticlePage.objects.get(pk=article.pk).standfirst == "مقدمة جديدة"
    assert ArticlePage.objects.count() == 2


def test_a_listener_sends_the_model_back_to_djangos_path(stories):
    with post_init_listener(ArticlePage) as seen:
        list(ArticlePage.objects.filter(pk=stories[0].pk))
    assert seen == [stories[0].pk]


def test_a_receiver_connected_later_is_heard_by_the_next_rows(stories):
    """The remembered signal state follows Django's receiver lists: built fast, then a ``pre_init``
    receiver connects (the next rows take Django's path), then it goes (fast again)."""
    from django.db.models.signals import pre_init

    list(ArticlePage.objects.filter(pk=stories[0].pk))  # state remembered
    seen = []

    def listener(sender, **kwargs):
        seen.append(sender)

    pre_init.connect(listener, sender=ArticlePage, weak=False)
    try:
        list(ArticlePage.objects.filter(pk=stories[0].pk))
    finally:
        pre_init.disconnect(listener, sender=ArticlePage)
    assert seen == [ArticlePage]
    with inits() as calls:
        list(ArticlePage.objects.filter(pk=stories[0].pk))
    assert ArticlePage not in calls


def test_a_section_without_its_id_uses_djangos_path(politics):
    with inits() as calls:
        section = SectionPage.objects.only("title").get(pk=politics.pk)  # "id" not selected
    assert SectionPage in calls and section.title == politics.title
