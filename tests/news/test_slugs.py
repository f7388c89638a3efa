from urllib.parse import quote, unquote

import pytest

from akhbar.news.slugs import encoded_length, make_slug, with_suffix


def test_arabic_headline_keeps_letters_and_drops_punctuation():
    assert make_slug("قوات الشرعية تسيطر على الطريق!") == "قوات-الشرعية-تسيطر-على-الطريق"


def test_harakat_and_tatweel_do_not_change_the_slug():
    assert make_slug("مُحَمَّد يـزور القاهرة") == make_slug("محمد يزور القاهرة")


def test_latin_words_are_lowercased():
    assert make_slug("خطيبة خاشقجي لـCNN: التقينا") == "خطيبة-خاشقجي-لcnn-التقينا"


@pytest.mark.parametrize("length", [10, 81, 300, 2000])
def test_long_headlines_are_cut_between_words_within_limits(length):
    text = " ".join(["كلمة"] * length)
    slug = make_slug(text, max_chars=80, max_encoded=240)
    assert len(slug) <= 80 and encoded_length(slug) <= 240
    assert all(part == "كلمة" for part in slug.split("-"))


def test_single_long_word_is_cut_between_letters_never_inside_one():
    slug = make_slug("ب" * 500, max_chars=80, max_encoded=100)
    assert encoded_length(slug) <= 100
    assert unquote(quote(slug)) == slug  # valid UTF-8 round trip: no half letter
    assert set(slug) == {"ب"}


def test_suffix_keeps_the_limit():
    base = make_slug(" ".join(["كلمة"] * 100))
    suffixed = with_suffix(base, 12)
    assert suffixed.endswith("-12") and encoded_length(suffixed) <= 240


def test_empty_text_gives_empty_slug():
    assert make_slug("!!! ؟؟؟") == ""
