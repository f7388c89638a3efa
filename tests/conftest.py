"""Shared fixtures: the newsroom (built by post_migrate), sections, articles, users."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches

from akhbar.news.models import HomePage, SectionPage
from akhbar.news.newsroom import ensure_newsroom


@pytest.fixture(autouse=True)
def _clear_cache():
    for alias in caches:  # default, page cache ("edge"), renditions
        caches[alias].clear()
    yield
    for alias in caches:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _arabic_first():
    """Each test starts in Arabic: a request to /en/ leaves English active in the test thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def home(db):
    return HomePage.objects.get() if HomePage.objects.exists() else ensure_newsroom()


@pytest.fixture
def politics(home):
    return SectionPage.objects.child_of(home).get(slug="سياسة")


@pytest.fixture
def make_user(db, django_user_model):
    def make(username, group=None, **extra):
        user = django_user_model.objects.create_user(username=username, password="pw-" + username, **extra)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make
