"""Admin registration for news: authors are snippets editors can manage; the article list
(``article_listing.py``) and links to it from the page explorer."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Author, HomePage, SectionPage


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "role", "slug"]
    search_fields = ["name", "role"]


register_snippet(AuthorViewSet)


# --- The newsroom's article list (article_listing.py) ------------------------------------------------


@hooks.register("register_admin_viewset")
def register_article_listing():
    """The article list, and Wagtail's page views for articles with a section explorer that
    does not count every story (``SectionExplorerView``)."""
    from .article_listing import ArticleListingViewSet, ArticlePageViewSet

    return [ArticleListingViewSet(), ArticlePageViewSet()]


def _article_list_button(page, user, *, priority):
    """"Article list" for a section (filtered to it) or the home page (all articles), if the user may explore."""
    from .article_listing import EXPLORE_ACTIONS, _policy, listing_url

    if not _policy.user_has_any_permission(user, EXPLORE_ACTIONS):
        return None
    page_class = page.specific_class  # from the content type (cached): no query per row
    if page_class and issubclass(page_class, SectionPage):
        return Button(_("Articles of this section"), listing_url(section=page.pk), icon_name="doc-full-inverse", priority=priority)
    if page_class and issubclass(page_class, HomePage):
        return Button(_("Article list"), listing_url(), icon_name="doc-full-inverse", priority=priority)
    return None


@hooks.register("register_page_header_buttons")
def article_list_header_button(page, user, view_name=None, next_url=None):
    """In the explorer of a section (its header menu): the article list filtered to that section."""
    button = _article_list_button(page, user, priority=5)
    return [button] if button else []


@hooks.register("register_page_listing_more_buttons")
def article_list_row_button(page, user, next_url=None):
    """On each section's row of the home page's explorer: the same link."""
    button = _article_list_button(page, user, priority=5)
    return [button] if button else []
