"""Fixtures for search tests: a few articles with known text, indexed through the real signals."""

import datetime as dt

import pytest
from django.utils import timezone

from akhbar.news.models import ArticleAuthor, SectionPage
from tests.news.factories import ArticlePageFactory, AuthorFactory


def make_article(section, title, standfirst="مقدمة قصيرة.", body="", when=None, **extra):
    """An indexed, live article; ``body`` is one paragraph of plain text."""
    when = when or timezone.now()
    blocks = [{"type": "paragraph", "value": f"<p>{body}</p>"}] if body else []
    return ArticlePageFactory(
        parent=section,
        title=title,
        standfirst=standfirst,
        body=blocks,
        first_published_at=when,
        last_published_at=when,
        published_at=when,
        **extra,
    )


@pytest.fixture
def economy(home):
    return SectionPage.objects.child_of(home).get(slug="اقتصاد")


@pytest.fixture
def stories(politics, economy):
    """Five stories that exercise variants, names, phrases and filters."""
    now = timezone.now()
    a = make_article(
        politics,
        "إسرائيل تعلن إغلاق المعابر مع قطاع غزة",
        "قررت الحكومة الإسرائيلية إغلاق المعابر حتى إشعار آخر.",
        "وقال وزير الخارجية الأمريكي أنتوني بلينكن إن بلاده تتابع الوضع.",
        when=now - dt.timedelta(days=3),
    )
    b = make_article(
        politics,
        "بلينكين يزور القاهرة لبحث الهدنة",
        "وصل وزير الخارجية إلى القاهرة في زيارة تستمر يومين.",
        "التقى الوزير بنظيره المصري في مقر الوزارة.",
        when=now - dt.timedelta(days=2),
    )
    c = make_article(
        economy,
        "أسعار النفط ترتفع مع تراجع المخزونات الأمريكية",
        "ارتفعت أسعار الخام في تعاملات اليوم.",
        "وقالت مصادر في السوق إن المدرسة الاقتصادية تتوقع استمرار الصعود في ٢٠١٨.",
        when=now - dt.timedelta(days=1),
    )
    d = make_article(
        economy,
        "البنك المركزي يبقي على أسعار الفائدة",
        "قرر البنك المركزي الإبقاء على الفائدة دون تغيير.",
        "الخارجية لم تعلق. وزير المالية قال إن القرار متوقع.",
        when=now - dt.timedelta(hours=5),
    )
    e = make_article(
        politics,
        "غوغل تواجه غرامة أوروبية جديدة",
        "فرضت المفوضية الأوروبية غرامة على الشركة.",
        "وقالت المفوضية إن غوغل استغلت موقعها.",
        when=now - dt.timedelta(hours=1),
    )
    author = AuthorFactory(name="سارة الأحمد")
    ArticleAuthor.objects.create(page=b, author=author, sort_order=0)
    c.tags.add("نفط")
    c.save()
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "author": author}
