"""Factories for news content (factory_boy + wagtail_factories)."""

import io

import factory
import wagtail_factories
from django.utils import timezone
from PIL import Image

from akhbar.news.models import ArticlePage, Author, NewsImage, SectionPage


def jpeg_bytes(size=(320, 180), colour=(120, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


class NewsImageFactory(wagtail_factories.ImageFactory):
    class Meta:
        model = NewsImage

    title = factory.Sequence(lambda n: f"صورة {n}")
    description = "مبنى حكومي أبيض تحت سماء زرقاء"
    credit = "مصوّر الاختبار / أخبار"
    file = factory.django.ImageField(width=320, height=180, color="blue")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"مراسل رقم {n}")


class SectionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SectionPage

    title = factory.Sequence(lambda n: f"قسم {n}")
    slug = factory.Sequence(lambda n: f"قسم-{n}")
    live = True


class ArticlePageFactory(wagtail_factories.PageFactory):
    """An article; pass ``parent=<SectionPage>``."""

    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"عنوان الخبر رقم {n}")
    slug = factory.Sequence(lambda n: f"خبر-{n}")
    standfirst = "مقدمة الخبر في جملة واحدة."
    body = factory.LazyFunction(lambda: [{"type": "paragraph", "value": "<p>فقرة أولى من متن الخبر.</p>"}])
    live = True
    first_published_at = factory.LazyFunction(timezone.now)
    last_published_at = factory.LazyAttribute(lambda o: o.first_published_at)
