"""Wagtail admin screens that are not plain model listings: one-click moderation,
comment switches of articles and sections, and readers' data requests.
"""

import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import pgettext_lazy
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from . import actions
from .models import Comment, Discussion
from .queries import discussion_state

MODERATION_ACTIONS = {
    "approve": (actions.approve_comments, gettext_lazy("Comment published.")),
    "reject": (actions.reject_comments, gettext_lazy("Comment rejected.")),
    "spam": (actions.mark_spam, gettext_lazy("Comment marked as spam.")),
    "pending": (lambda ids, user: actions.set_status(ids, Comment.Status.PENDING, user), gettext_lazy("Comment moved back to the queue.")),
}


#: URL name of the moderation queue (the ``Comment`` snippet listing).
QUEUE_URL_NAME = "wagtailsnippets_comments_comment:list"


def queue_url() -> str:
    return reverse(QUEUE_URL_NAME)


class ModerateView(View):
    """``POST /admin/reader-comments/moderate/<pk>/<action>/``: approve, reject, spam or re-queue one comment."""

    def post(self, request, pk, action):
        if not request.user.has_perm("comments.change_comment"):
            raise PermissionDenied
        if action not in MODERATION_ACTIONS:
            raise Http404("unknown moderation action")
        comment = get_object_or_404(Comment, pk=pk)
        function, message = MODERATION_ACTIONS[action]
        function([comment.pk], request.user)
        messages.success(request, message)
        return redirect(get_valid_next_url_from_request(request) or queue_url())


class SwitchForm(forms.Form):
    mode = forms.ChoiceField(label=pgettext_lazy("reader comments", "Comments"), choices=Discussion.Mode.choices, widget=forms.RadioSelect)


class SwitchView(WagtailAdminTemplateMixin, FormView):
    """Open, close or reset comments on one article or a whole section."""

    template_name = "comments/admin/switch.html"
    form_class = SwitchForm
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("comments.change_discussion"):
            raise PermissionDenied
        from akhbar.news.models import ArticlePage, SectionPage

        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        if not isinstance(self.page, (ArticlePage, SectionPage)):
            raise Http404("comments are switched on articles and sections only")
        self.is_article = isinstance(self.page, ArticlePage)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Comments on this page")

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_initial(self):
        row = Discussion.objects.filter(page_id=self.page.pk).first()
        return {"mode": row.mode if row else Discussion.Mode.DEFAULT}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = self.page
        context["is_article"] = self.is_article
        context["state"] = discussion_state(self.page) if self.is_article else None
        context["queue_url"] = queue_url() + f"?article={self.page.pk}&status=all" if self.is_article else None
        return context

    def form_valid(self, form):
        actions.set_comment_switch(self.page, form.cleaned_data["mode"], self.request.user)
        messages.success(self.request, _("Comment setting saved."))
        return redirect(get_valid_next_url_from_request(self.request) or reverse("reader_comments:switch", args=[self.page.pk]))


class SwitchListView(WagtailAdminTemplateMixin, TemplateView):
    """Articles and sections whose comments were opened or closed by hand."""

    template_name = "comments/admin/switch_list.html"
    header_icon = "comment"
    page_title = gettext_lazy("Comment switches")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("comments.view_discussion"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = (
            Discussion.objects.exclude(mode=Discussion.Mode.DEFAULT)
            .select_related("page", "changed_by")
            .order_by("-changed_at")[:500]
        )
        context["rows"] = rows
        return context


class DataRequestForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Reader's email address"), max_length=254)


class DataRequestView(WagtailAdminTemplateMixin, FormView):
    """A reader's data request: find, export (JSON) or erase everything stored for an email address.

    Every step is a POST, so addresses never appear in URLs or access logs.
    """

    template_name = "comments/admin/data_request.html"
    form_class = DataRequestForm
    header_icon = "comment"
    page_title = gettext_lazy("Readers' data requests")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("comments.handle_data_request"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        step = self.request.POST.get("step", "find")
        if step == "export":
            data = actions.export_commenter(email)
            response = HttpResponse(
                json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
            )
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            response["Content-Disposition"] = f'attachment; filename="comment-data-{stamp}.json"'
            response["Cache-Control"] = "private, no-store"
            return response
        if step == "erase" and self.request.POST.get("confirm") == "yes":
            report = actions.erase_commenter(
                email, include_blocklist=self.request.POST.get("include_blocklist") == "on", user=self.request.user
            )
            messages.success(
                self.request,
                ngettext(
                    "Erased %(count)d comment and its history.",
                    "Erased %(count)d comments and their history.",
                    report.comments,
                )
                % {"count": report.comments},
            )
            return redirect(reverse("reader_comments:data_requests"))
        comments = actions.comments_of(email)
        context = self.get_context_data(form=form)
        context.update(
            {
                "email": email,
                "found": comments.count(),
                "published": comments.filter(status=Comment.Status.APPROVED).count(),
                "blocklisted": actions.BlockedTerm.objects.filter(kind="email", value__iexact=email).exists(),
                "confirming_erase": step == "erase",
            }
        )
        return self.render_to_response(context)
