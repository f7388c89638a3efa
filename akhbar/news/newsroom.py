"""The newsroom's fixed structure: home page, default sections, roles and workflow.

``ensure_newsroom()`` is idempotent; it runs after every ``migrate`` so a fresh
database is a working newsroom, and it never overwrites an editor's changes
(it only creates what is missing).

Roles (Django groups, shown in Arabic in the admin):

* **Reporters** write drafts and submit them for review; cannot publish.
* **Editors** edit any story and review it; cannot publish.
* **Chief editors** publish, unpublish and schedule.

The workflow *Newsroom review* (editor review → chief editor sign-off) is
attached to the home page, so every story goes draft → review → publish.
"""

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

# Names are shown as they are in the (Arabic) admin: Reporters, Editors, Chief editors.
REPORTERS = "المراسلون"
EDITORS = "المحررون"
CHIEF_EDITORS = "رؤساء التحرير"
WORKFLOW_NAME = "مراجعة غرفة الأخبار"  # Newsroom review
REVIEW_TASK = "مراجعة المحرر"  # Editor review
SIGNOFF_TASK = "اعتماد رئيس التحرير"  # Chief editor sign-off


@dataclass(frozen=True)
class SectionSpec:
    title: str
    slug: str
    name_en: str
    corpus_labels: str
    sort_order: int


DEFAULT_SECTIONS = [
    SectionSpec("سياسة", "سياسة", "Politics", "politics", 10),
    SectionSpec("الشرق الأوسط", "الشرق-الأوسط", "Middle East", "middleEast", 20),
    SectionSpec("العالم", "العالم", "World", "internationalNews", 30),
    SectionSpec("اقتصاد", "اقتصاد", "Economy", "economy", 40),
    SectionSpec("رياضة", "رياضة", "Sport", "sport", 50),
    SectionSpec("ثقافة", "ثقافة", "Culture", "culture", 60),
    SectionSpec("علوم وتكنولوجيا", "علوم-وتكنولوجيا", "Science & Technology", "technology,science", 70),
    SectionSpec("منوعات", "منوعات", "Variety", "variety,misc", 80),
]


def ensure_newsroom_after_migrate(sender, app_config=None, using="default", **kwargs):
    """``post_migrate`` receiver: build the newsroom once the tables exist."""
    from django.contrib.auth.management import create_permissions

    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    ensure_newsroom()


@transaction.atomic
def ensure_newsroom():
    """Create the home page, site, default sections, groups and workflow if missing.

    Returns the ``HomePage``.
    """
    home = ensure_home()
    for spec in DEFAULT_SECTIONS:
        ensure_section(home, spec)
    groups = ensure_groups(home)
    ensure_workflow(home, groups)
    return home


def ensure_home():
    from django.conf import settings
    from wagtail.models import Page, Site

    from .models import HomePage

    home = HomePage.objects.first()
    if home is None:
        root = ensure_root()
        # Wagtail's migration leaves a plain "Welcome" page; the newsroom replaces it.
        for page in Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore"):
            page.delete()
        root.refresh_from_db()
        home = root.add_child(instance=HomePage(title=settings.AKHBAR_SITE_NAME, slug="home", live=True))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=settings.AKHBAR_SITE_NAME)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or settings.AKHBAR_SITE_NAME
        site.save()
    return home


def ensure_root():
    """The tree root, default locale and root collection (recreated after a database flush)."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    return root


def ensure_section(home, spec: SectionSpec):
    """Return the section with ``spec.slug`` under ``home``, creating it if missing."""
    from .models import SectionPage

    existing = SectionPage.objects.child_of(home).filter(slug=spec.slug).first()
    if existing:
        return existing
    section = SectionPage(
        title=spec.title,
        slug=spec.slug,
        name_en=spec.name_en,
        corpus_labels=spec.corpus_labels,
        sort_order=spec.sort_order,
        live=True,
        show_in_menus=True,
    )
    home.add_child(instance=section)
    return section


def _perm(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_groups(home) -> dict[str, Group]:
    """Create the three newsroom roles with their page and image permissions."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    page_perms = {
        REPORTERS: ["add_page"],
        EDITORS: ["add_page", "change_page"],
        CHIEF_EDITORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    }
    image_perms = {
        REPORTERS: ["add_newsimage", "choose_newsimage"],
        EDITORS: ["add_newsimage", "change_newsimage", "choose_newsimage"],
        CHIEF_EDITORS: ["add_newsimage", "change_newsimage", "choose_newsimage", "delete_newsimage"],
    }
    groups = {}
    root_collection = Collection.get_first_root_node()
    for name, codenames in page_perms.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.add(_perm("wagtailadmin", "access_admin"))
        group.permissions.add(*Permission.objects.filter(content_type__app_label="news", codename__in=["view_author", "add_author", "change_author"]))
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=_perm("wagtailcore", codename))
        for codename in image_perms[name]:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_perm("news", codename)
            )
    return groups


def ensure_workflow(home, groups: dict[str, Group]):
    """Attach *Newsroom review* (editor review, then chief-editor sign-off) to the home page."""
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if created:
        review, _ = GroupApprovalTask.objects.get_or_create(name=REVIEW_TASK)
        review.groups.set([groups[EDITORS], groups[CHIEF_EDITORS]])
        signoff, _ = GroupApprovalTask.objects.get_or_create(name=SIGNOFF_TASK)
        signoff.groups.set([groups[CHIEF_EDITORS]])
        WorkflowTask.objects.create(workflow=workflow, task=review, sort_order=0)
        WorkflowTask.objects.create(workflow=workflow, task=signoff, sort_order=1)
    if not WorkflowPage.objects.filter(page=home).exists():
        WorkflowPage.objects.create(page=home, workflow=workflow)
    return workflow
