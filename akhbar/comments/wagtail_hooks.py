"""Reader comments in the Wagtail admin.

Menu "Reader comments": the moderation queue (pending comments first; approve,
reject, mark as spam, edit, delete, one by one or in bulk), the blocklist,
the comment switches and readers' data requests. Articles and sections get a
"Comments" button that opens their switch, and articles a link to their
comments in the queue.
"""

from urllib.parse import quote

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.utils.translation import ngettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from . import actions, admin_views
from .models import BlockedTerm, Comment

Status = Comment.Status


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, except that nobody creates comments in the admin (readers write them)."""

    def user_has_permission(self, user, action):
        if action in ("add", "copy"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Comment, CommentPermissionPolicy(Comment), exact_class=True)


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=pgettext_lazy("reader comments", "Status"),
        choices=[("all", pgettext_lazy("reader comments", "All"))] + list(Status.choices),
        method="filter_status",
        empty_label=None,
    )
    article = django_filters.NumberFilter(field_name="article_id", label=_("Article (page ID)"))

    class Meta:
        model = Comment
        fields = ["status", "article"]

    def filter_status(self, queryset, name, value):
        return queryset if value in ("", "all") else queryset.filter(status=value)


def moderation_button(comment, action, label, icon, next_url, *, primary=False):
    """A button that POSTs to the one-click moderation view (Wagtail's ``w-action`` controller adds the CSRF token)."""
    url = reverse("reader_comments:moderate", args=[comment.pk, action]) + f"?next={next_url}"
    button = Button(
        label,
        icon_name=icon,
        attrs={
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": url,
            "aria-label": f"{label}: {comment}",
        },
        classname="button button-small button-secondary" if primary else "",
        priority=1 if primary else 5,
    )
    if primary:
        button.allow_in_dropdown = False
    return button


class CommentIndexView(IndexView):
    """The moderation queue: comments awaiting moderation unless another status is chosen."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("article")

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if "status" not in kwargs["data"]:
            data = kwargs["data"].copy()
            data["status"] = Status.PENDING
            kwargs["data"] = data
        return kwargs

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if not self.request.user.has_perm("comments.change_comment"):
            return buttons
        next_url = quote(self.request.get_full_path(), safe="")
        if instance.status != Status.APPROVED:
            buttons.append(moderation_button(instance, "approve", pgettext_lazy("reader comments", "Approve"), "check", next_url, primary=True))
        if instance.status != Status.REJECTED:
            buttons.append(moderation_button(instance, "reject", pgettext_lazy("reader comments", "Reject"), "cross", next_url))
        if instance.status != Status.SPAM:
            buttons.append(moderation_button(instance, "spam", _("Mark as spam"), "warning", next_url))
        if instance.status != Status.PENDING:
            buttons.append(moderation_button(instance, "pending", _("Back to the queue"), "undo", next_url))
        return buttons


class CommentEditView(EditView):
    """Editing goes through ``actions.edit_comment`` (cleaned like reader input; the cache is told)."""

    def save_instance(self):
        return actions.edit_comment(
            self.form.instance, name=self.form.cleaned_data["name"], body=self.form.cleaned_data["body"], user=self.request.user
        )


def _article_title(comment):
    return comment.article.title


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("Moderation queue")
    menu_name = "comment-queue"
    url_prefix = "reader-comments/queue"
    base_url_path = "reader-comments/queue"
    index_view_class = CommentIndexView
    edit_view_class = CommentEditView
    filterset_class = CommentFilterSet
    search_fields = ["name", "body", "email"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "name", "email", "body", "status", "flags", "article", "parent", "created_at", "moderated_at",
        "moderated_by", "edited_at", "ip_address",
    ]
    list_display = [
        "__str__",
        Column("article", label=pgettext_lazy("reader comments", "Article"), accessor=_article_title),
        StatusTagColumn("status", label=pgettext_lazy("reader comments", "Status"), accessor="get_status_display", primary=lambda c: c.status == Status.APPROVED),
        Column("flags", label=_("Moderation notes")),
        DateColumn("created_at", label=pgettext_lazy("reader comments", "Posted"), sort_key="created_at"),
    ]


class BlockedTermViewSet(SnippetViewSet):
    model = BlockedTerm
    icon = "warning"
    menu_label = _("Blocklist")
    menu_name = "comment-blocklist"
    url_prefix = "reader-comments/blocklist"
    base_url_path = "reader-comments/blocklist"
    list_display = ["value", "kind", "action", "note", "updated_at"]
    list_filter = ["kind", "action"]
    search_fields = ["value", "note"]
    copy_view_enabled = False


class ReaderCommentToolsViewSet(ViewSet):
    """URLs of the admin screens in ``admin_views``."""

    name = "reader_comments"
    url_prefix = "reader-comments"
    icon = "comment"

    def get_urlpatterns(self):
        return [
            path("data-requests/", admin_views.DataRequestView.as_view(), name="data_requests"),
            path("switches/", admin_views.SwitchListView.as_view(), name="switches"),
            path("switch/<int:page_id>/", admin_views.SwitchView.as_view(), name="switch"),
            path("moderate/<int:pk>/<str:action>/", admin_views.ModerateView.as_view(), name="moderate"),
        ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class ReaderCommentsGroup(ViewSetGroup):
    menu_label = _("Reader comments")
    menu_icon = "comment"
    menu_name = "reader-comments"
    menu_order = 250
    submenu_hook = "register_reader_comments_menu_item"
    items = (CommentViewSet, BlockedTermViewSet)


@hooks.register("register_admin_viewset")
def register_reader_comments():
    return [ReaderCommentsGroup(), ReaderCommentToolsViewSet()]


@hooks.register("register_reader_comments_menu_item")
def switches_menu_item():
    return PermissionMenuItem(
        _("Comment switches"), reverse("reader_comments:switches"), icon_name="comment", order=30,
        permission="comments.view_discussion", name="comment-switches",
    )


@hooks.register("register_reader_comments_menu_item")
def data_requests_menu_item():
    return PermissionMenuItem(
        _("Readers' data requests"), reverse("reader_comments:data_requests"), icon_name="user", order=40,
        permission="comments.handle_data_request", name="comment-data-requests",
    )


# --- bulk actions on the queue ------------------------------------------------------


class CommentStatusBulkAction(SnippetBulkAction):
    """Approve, reject or mark as spam every selected comment.

    "Select all" in the listing means every comment awaiting moderation.
    """

    models = [Comment]
    template_name = "comments/admin/confirm_bulk_status.html"
    new_status = None
    #: ``ngettext_lazy(singular, plural, "count")``: what the editor reads after the action.
    success_message = None
    classes = set()

    def check_perm(self, obj):
        return self.request.user.has_perm("comments.change_comment")

    def get_all_objects_in_listing_query(self, parent_id):
        return Comment.objects.filter(status=Status.PENDING).values_list("pk", flat=True)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        changed = actions.set_status([obj.pk for obj in objects], cls.new_status, user)
        return changed, 0

    def get_execution_context(self):
        return {"user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_label"] = self.display_name
        context["new_status"] = self.new_status
        return context

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.success_message % {"count": num_parent_objects}


class ApproveBulkAction(CommentStatusBulkAction):
    display_name = pgettext_lazy("reader comments", "Approve")
    action_type = "approve"
    aria_label = _("Approve selected comments")
    action_priority = 10
    new_status = Status.APPROVED
    success_message = ngettext_lazy("%(count)d comment published.", "%(count)d comments published.", "count")


class RejectBulkAction(CommentStatusBulkAction):
    display_name = pgettext_lazy("reader comments", "Reject")
    action_type = "reject"
    aria_label = _("Reject selected comments")
    action_priority = 20
    new_status = Status.REJECTED
    success_message = ngettext_lazy("%(count)d comment rejected.", "%(count)d comments rejected.", "count")


class SpamBulkAction(CommentStatusBulkAction):
    display_name = _("Mark as spam")
    action_type = "spam"
    aria_label = _("Mark selected comments as spam")
    action_priority = 25
    new_status = Status.SPAM
    success_message = ngettext_lazy("%(count)d comment marked as spam.", "%(count)d comments marked as spam.", "count")


for _action in (ApproveBulkAction, RejectBulkAction, SpamBulkAction):
    hooks.register("register_bulk_action", _action)


@hooks.register("register_log_actions")
def register_comment_log_actions(actions_registry):
    actions_registry.register_action("comments.approve", _("Publish comment"), _("Comment published"))
    actions_registry.register_action("comments.reject", _("Reject comment"), _("Comment rejected"))
    actions_registry.register_action("comments.spam", _("Mark comment as spam"), _("Comment marked as spam"))
    actions_registry.register_action("comments.unpublish", _("Return comment to the queue"), _("Comment returned to the queue"))


# --- buttons on articles and sections ------------------------------------------------


def _comment_buttons(page, user, next_url=None):
    from akhbar.news.models import ArticlePage, SectionPage

    page_class = page.specific_class
    if page_class not in (ArticlePage, SectionPage):
        return []
    buttons = []
    if user.has_perm("comments.change_discussion"):
        url = reverse("reader_comments:switch", args=[page.pk])
        buttons.append(Button(_("Comments: open or close"), url, icon_name="comment", priority=80))
    if page_class is ArticlePage and user.has_perm("comments.view_comment"):
        url = f"{admin_views.queue_url()}?article={page.pk}&status=all"
        buttons.append(Button(_("Reader comments"), url, icon_name="comment", priority=81))
    return buttons


@hooks.register("register_page_header_buttons")
def page_header_comment_buttons(page, user, view_name, next_url=None):
    return _comment_buttons(page, user, next_url)


@hooks.register("register_page_listing_more_buttons")
def page_listing_comment_buttons(page, user, next_url=None):
    return _comment_buttons(page, user, next_url)


@hooks.register("construct_homepage_panels")
def add_queue_panel(request, panels):
    if request.user.has_perm("comments.change_comment"):
        from .admin_panels import ModerationQueuePanel

        panels.append(ModerationQueuePanel())
