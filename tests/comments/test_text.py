"""Cleaning, folding, links and rendering of comment text (akhbar.comments.text)."""

import unicodedata

import pytest

from akhbar.comments.text import (
    LINK_REL,
    UnreadableText,
    check_readable,
    clean_body,
    clean_email,
    clean_name,
    find_links,
    fingerprint,
    fold,
    render_body,
)

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_text_is_stored_in_nfc():
    decomposed = "e\u0301te\u0301"  # é as e + combining acute
    assert clean_body(decomposed) == unicodedata.normalize("NFC", decomposed)
    assert unicodedata.is_normalized("NFC", clean_name("Jose\u0301"))


@pytest.mark.parametrize("control", list(BIDI_CONTROLS))
def test_bidi_embeddings_overrides_and_isolates_are_removed(control):
    assert control not in clean_name(f"adm{control}in")
    assert control not in clean_body(f"تعليق {control}evil{control} هنا")


def test_bidi_marks_stay_in_bodies_but_not_in_names():
    assert "\u200f" in clean_body("السعر 100\u200f$ فقط")
    assert "\u200f" not in clean_name("سارة\u200f")
    assert "\u061c" not in clean_name("\u061cسارة")


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u2062", "\u180e", "\u3164", "\u115f", "\u2800"])
def test_zero_width_and_invisible_characters_are_removed(invisible):
    assert clean_name(f"ad{invisible}min") == "admin"
    assert clean_body(f"كل{invisible}مة") == "كلمة"


def test_name_made_only_of_invisibles_becomes_empty():
    assert clean_name("\u200b\u3164\u2800 \u202e") == ""


def test_zwj_survives_inside_emoji_sequences_only():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_body(f"عائلة {family}") == f"عائلة {family}"
    assert "\u200d" not in clean_body("ad\u200dmin")


def test_zwnj_survives_between_letters_only():
    persian = "می\u200cخواهم"
    assert clean_body(persian) == persian
    assert "\u200c" not in clean_name("\u200cسارة")


def test_flag_tag_sequence_is_kept_and_stray_tags_removed():
    england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert clean_body(england) == england
    assert clean_body("a\U000e0041b") == "ab"


def test_combining_mark_pileups_are_capped_but_arabic_vowels_kept():
    vowelled = "مُحَمَّدٌ"
    assert clean_name(vowelled) == unicodedata.normalize("NFC", vowelled)
    zalgo = "Z" + "\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309" * 5
    cleaned = clean_body(zalgo)
    assert len(cleaned) <= 1 + 4
    assert clean_body("\u0301\u0302 كلمة") == "كلمة"


def test_controls_are_removed_and_line_ends_normalised():
    assert clean_body("a\x07b\x1b[31mc") == "ab[31mc"
    assert clean_body("one\r\ntwo\rthree\u2028four") == "one\ntwo\nthree\nfour"
    assert clean_body("a\n\n\n\n\nb") == "a\n\nb"
    assert clean_body("  line   \n") == "line"


def test_names_are_one_line_with_single_spaces():
    assert clean_name("  سارة \n\t أحمد\u00a0\u3000 ") == "سارة أحمد"


def test_emails_are_lowercased_and_stripped():
    assert clean_email("  Sara@Example.ORG ") == "sara@example.org"


@pytest.mark.parametrize(("value", "code"), [("a\x00b", "nul"), ("\ufffd", "invalid_utf8")])
def test_nul_and_undecodable_bytes_are_reported(value, code):
    with pytest.raises(UnreadableText) as err:
        check_readable(value)
    assert err.value.code == code


def test_fold_unifies_arabic_letter_forms_case_and_lookalikes():
    assert fold("أحمد") == fold("احمد") == fold("إحمد") == fold("آحمد")
    assert fold("مُحَمَّد") == fold("محمد")
    assert fold("ســـلام") == fold("سلام")
    assert fold("مدرسة") == fold("مدرسه")
    assert fold("على") == fold("علي")
    assert fold("SPAM") == fold("ѕраm") == fold("ＳＰＡＭ") == "spam"
    assert fold("٣٤٥") == "345"


def test_fingerprint_ignores_spacing_case_punctuation_and_diacritics():
    assert fingerprint("Buy   NOW!!") == fingerprint("buy now")
    assert fingerprint("مُحَمَّد رسول") == fingerprint("محمد  رسول.")
    assert fingerprint("a\u200bb") == fingerprint("ab")
    assert fingerprint("one text") != fingerprint("another text")


def test_links_found_with_trailing_punctuation_trimmed():
    text = "انظر https://example.com/a_(b)، و www.example.org/x. وأيضا (http://x.test/y)."
    assert find_links(text) == ["https://example.com/a_(b)", "www.example.org/x", "http://x.test/y"]
    assert find_links("javascript:alert(1) data:text/html,x ftp://x.org") == []
    assert find_links("http://localhost/ and https:// and http://[::1") == []


def test_render_escapes_everything_and_links_with_nofollow_ugc():
    html = render_body('<b>hi</b> & "q" https://example.com/?a=1&b=2\nline\n\npara')
    assert "<b>" not in html and "&lt;b&gt;hi&lt;/b&gt;" in html
    assert f'<a href="https://example.com/?a=1&amp;b=2" rel="{LINK_REL}" dir="ltr">' in html
    assert "line<br>" not in html.split("</a>")[0]
    assert html.count("<p>") == 2 and "<br>line" in html


def test_render_makes_www_links_https_and_shortens_long_labels():
    html = render_body("www.example.com/" + "x" * 100)
    assert 'href="https://www.example.com/' in html
    assert "\u2026</a>" in html


def test_render_never_produces_markup_from_quotes_in_urls():
    html = render_body("http://example.com/\"onmouseover=\"alert(1)")
    assert "onmouseover=" in html  # shown as text
    assert '"onmouseover' not in html and 'href="http://example.com/"' in html
