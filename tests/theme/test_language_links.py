"""The other-language link of every public page (``theme.context_processors.translated_url``)."""

import pytest
from django.urls import translate_url
from django.utils import translation

from akhbar.theme.context_processors import translated_url

PATHS = ["/", "/en/", "/search/?q=%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D8%A9&page=2", "/سياسة/خبر/", "/en/search/", "/no/such/page/?x=<1>", "/feed/"]


@pytest.mark.parametrize("active", ["ar", "en"])
@pytest.mark.parametrize("target", ["ar", "en"])
def test_translated_url_is_djangos_translate_url(active, target):
    with translation.override(active):
        for path in PATHS:
            expected = translate_url(path, target)
            assert translated_url(path, target) == expected
            assert translated_url(path, target) == expected  # memoised answer


def test_translated_url_follows_the_script_prefix():
    from django.urls import get_script_prefix, set_script_prefix

    before = get_script_prefix()
    try:
        first = translated_url("/search/", "en")
        set_script_prefix("/news/")
        assert translated_url("/search/", "en") == translate_url("/search/", "en") != first
    finally:
        set_script_prefix(before)
