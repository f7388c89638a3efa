import pytest

from akhbar.ingest.bylines import parse_credit

CASES = [
    # text, dateline, reporters, agencies, outlets
    ("أبوظبي - سكاي نيوز عربية", "أبوظبي", [], [], ["سكاي نيوز عربية"]),
    ("القاهرة - أحمد الريدي", "القاهرة", ["أحمد الريدي"], [], []),
    ("القاهرة- أحمد الريدي", "القاهرة", ["أحمد الريدي"], [], []),
    ("القاهرة -أشرف عبد الحميد", "القاهرة", ["أشرف عبد الحميد"], [], []),
    ("القاهرة – خالد حسني", "القاهرة", ["خالد حسني"], [], []),
    ("دبي ـ العربية.نت", "دبي", [], [], ["العربية.نت"]),
    ("لندن - رويترز", "لندن", [], ["رويترز"], []),
    ("موسكو - د ب أ", "موسكو", [], ["د ب أ"], []),
    ("العربية.نت - إسلام سيف", "", ["إسلام سيف"], [], ["العربية.نت"]),
    ("العربية.نت، وكالات", "", [], ["وكالات"], ["العربية.نت"]),
    ("فرانس 24", "", [], [], ["فرانس 24"]),
    ("فرانس 24 / أ ف ب", "", [], ["أ ف ب"], ["فرانس 24"]),
    ("محجوبة كرم", "", ["محجوبة كرم"], [], []),
    ("علي آغا (تركيا) - رويترز", "علي آغا (تركيا)", [], ["رويترز"], []),
    ("كوالالمبور، طوكيو - رويترز", "كوالالمبور، طوكيو", [], ["رويترز"], []),
    ("بيروت -رويترز", "بيروت", [], ["رويترز"], []),
]


@pytest.mark.parametrize("text,dateline,reporters,agencies,outlets", CASES)
def test_credit_lines_split_into_dateline_and_byline(text, dateline, reporters, agencies, outlets):
    credit = parse_credit(text)
    assert (credit.dateline, credit.reporters, credit.agencies, credit.outlets) == (dateline, reporters, agencies, outlets)


@pytest.mark.parametrize("junk", [None, "", "   ", "30174026-20d9-40a2-9e04-5b63346a78a6", "----", "12345"])
def test_junk_credit_gives_nothing(junk):
    credit = parse_credit(junk)
    assert not (credit.dateline or credit.reporters or credit.agencies or credit.outlets)


def test_wire_story_is_flagged():
    assert parse_credit("لندن - رويترز").is_wire
    assert not parse_credit("القاهرة - أحمد الريدي").is_wire


def test_tatweel_inside_a_word_is_not_a_separator():
    credit = parse_credit("جـمال عبد الله")
    assert credit.reporters == ["جـمال عبد الله"]
