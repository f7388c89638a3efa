"""Which original words a result page marks (``search.highlight``): the process-wide word index
gives the same answers as analysing each word, whenever the words were first seen."""

import threading

import pytest

from akhbar.search import highlight
from akhbar.search import query as q
from akhbar.search.analysis import WORD, analyze_word
from akhbar.search.highlight import WordIndex, matcher, snippet

TEXT = (
    "قالت الحكومة إن الحكومات العربية ستجتمع، وأكد وزير الخارجية بلينكن للحكوميين أن "
    "بلينكين زار القاهرة في 2018 وأن الحكم لم يتغير. ورئيس الحكومة قال: «حكومتنا باقية»."
)
WORDS = WORD.findall(TEXT)


@pytest.fixture(autouse=True)
def fresh_index(monkeypatch):
    """Each test starts with an empty index, as a new worker process does."""
    monkeypatch.setattr(highlight, "_index", WordIndex())


def _plan(raw: str, use_key: bool = False):
    plan = q.parse_query(raw)
    for g in plan.groups:
        g.use_key = use_key
    return plan


def _by_analysis(plan, words):
    """The answer word by word, from the analysis alone (the definition)."""
    terms = {g.term for g in plan.groups}
    return [any(term in terms for term, _key, _token in analyze_word(w)) for w in words]


@pytest.mark.parametrize("raw", ["الحكومة", "وزير الخارجية", "القاهرة 2018", "لا شيء هنا"])
def test_flags_are_the_analysis_whether_words_are_new_or_known(raw):
    plan = _plan(raw)
    expected = _by_analysis(plan, WORDS)
    assert matcher(plan).flags(WORDS) == expected  # every word new to the index
    assert matcher(plan).flags(WORDS) == expected  # every word known: answered from the index
    assert [matcher(plan)(w) for w in WORDS] == expected


def test_the_stem_marks_every_form_and_nothing_else():
    flags = matcher(_plan("الحكومة")).flags(WORDS)
    marked = {w for w, f in zip(WORDS, flags) if f}
    assert marked == {w for w in WORDS if any(t == "حكوم" for t, _k, _tok in analyze_word(w))}
    assert "الحكومة" in marked and "الحكم" not in marked


def test_another_spelling_by_name_key_is_marked_from_the_index():
    plan = _plan("بلينكن", use_key=True)
    first = matcher(plan).flags(WORDS)
    again = matcher(plan).flags(WORDS)  # now from the index's by_key
    assert first == again
    assert first[WORDS.index("بلينكين")] and first[WORDS.index("بلينكن")]


def test_a_matcher_answers_words_that_another_page_registered_after_it():
    plan = _plan("الحكومة")
    early = matcher(plan)  # made while the index is empty
    matcher(_plan("وزير")).flags(WORDS)  # another page registers every word
    assert early.flags(WORDS) == _by_analysis(plan, WORDS)


def test_a_full_index_is_replaced_and_pages_in_flight_keep_theirs(monkeypatch):
    monkeypatch.setattr(WordIndex, "MAX_WORDS", 5)
    plan = _plan("الحكومة")
    in_flight = matcher(plan)
    in_flight.flags(WORDS)  # fills the index past MAX_WORDS
    first = highlight._index
    assert highlight.word_index() is not first and len(highlight.word_index().serial) == 0
    assert in_flight.flags(WORDS) == matcher(plan).flags(WORDS) == _by_analysis(plan, WORDS)


def test_threads_registering_the_same_words_agree():
    plans = [_plan("الحكومة"), _plan("وزير الخارجية"), _plan("القاهرة")]
    words = WORDS * 50
    results, errors = {}, []

    def page(n):
        try:
            plan = plans[n % len(plans)]
            results[n] = (plan, matcher(plan).flags(words[n:] + words[:n]), words[n:] + words[:n])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=page, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for plan, flags, order in results.values():
        assert flags == _by_analysis(plan, order)


def test_snippet_marks_the_matching_words_of_the_best_window():
    html = snippet(["لا صلة", TEXT], _plan("الحكومة"))
    assert "<mark>الحكومة</mark>" in html and "<mark>الحكومات</mark>" in html
    assert "<mark>الحكم</mark>" not in html
