"""The admin dashboard panel: how many comments wait for moderation."""

from wagtail.admin.ui.components import Component

from .admin_views import queue_url
from .models import Comment


class ModerationQueuePanel(Component):
    name = "reader_comments_queue"
    template_name = "comments/admin/queue_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["pending"] = Comment.objects.filter(status=Comment.Status.PENDING).count()
        context["queue_url"] = queue_url()
        return context
