"""Sample reader comments on the demo stories (``akhbar load-demo-comments``); idempotent.

The commenters' addresses are under the reserved ``.example`` domain (RFC 2606),
so a search of the demo site's public pages for ``@readers.example`` must find nothing.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import actions
from .models import Comment

DEMO_DOMAIN = "readers.example"

#: (key, name, text, reply to key or None, published?)
DEMO_THREAD = [
    ("a", "سارة من الرياض", "تغطية متوازنة، شكرًا. هل من تفاصيل عن الجدول الزمني للاتفاق؟", None, True),
    ("b", "أحمد", "النص الكامل للبيان منشور على https://example.org/statement لمن يريد المقارنة.", "a", True),
    ("c", "Lina K.", "Thanks for linking the original statement — very useful.", "b", True),
    ("d", "مريم", "أتمنى لو ذُكرت آراء الخبراء الاقتصاديين أيضًا.", None, True),
    ("e", "قارئ جديد", "تعليقي الأول على الموقع، بانتظار الموافقة.", None, False),
]


@transaction.atomic
def load_demo_comments(articles=3) -> int:
    """Add the demo thread to the newest ``articles`` demo stories that have no demo comments yet.

    Returns the number of comments created.
    """
    from akhbar.news.models import ArticlePage

    created = 0
    stories = ArticlePage.objects.live().filter(external_id__startswith="demo:").order_by("-published_at")[:articles]
    for index, story in enumerate(stories):
        if Comment.objects.filter(article=story, email__endswith="@" + DEMO_DOMAIN).exists():
            continue
        by_key: dict[str, Comment] = {}
        start = (story.published_at or timezone.now()) + timedelta(minutes=20)
        for step, (key, name, text, reply_to, published) in enumerate(DEMO_THREAD):
            parent = by_key.get(reply_to)
            comment = Comment.objects.create(
                article=story, parent=parent, depth=parent.depth + 1 if parent else 0, name=name,
                email=f"{key}{index}.demo@{DEMO_DOMAIN}", body=text, created_at=start + timedelta(minutes=7 * step),
            )
            comment.thread_path = (parent.thread_path + "/" if parent else "") + Comment.path_segment(comment.pk)
            comment.save(update_fields=["thread_path"])
            if published:
                actions.approve_comments([comment.pk])
            by_key[key] = comment
            created += 1
    return created
