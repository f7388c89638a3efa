import pytest

from akhbar.comments import actions
from akhbar.comments.models import Comment

from .conftest import post_comment


@pytest.mark.django_db
def test_post_then_approve_shows_comment(client, article):
    page = client.get(article.url)
    assert page.status_code == 200, page.content[:3000]
    html = page.content.decode()
    assert 'id="comment-form"' in html
    response = post_comment(client, article)
    assert response.status_code == 303, response.content.decode()[:5000]
    sent = client.get(response["Location"])
    assert "awaiting moderation" in sent.content.decode() or sent.status_code == 200
    comment = Comment.objects.get()
    assert comment.status == "pending"
    actions.approve_comments([comment.pk])
    html = client.get(article.url).content.decode()
    assert "تعليق مفيد على الخبر." in html
    assert "sara@example.org" not in html
