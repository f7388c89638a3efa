"""Ranking pieces that need no database: spelling similarity, scoring, diversification."""

from akhbar.search.query import parse_query
from akhbar.search.ranking import Collection, Row, Scored, diversify, score, similarity, variant_similarity


def test_similarity_folds_transliteration_letters():
    assert similarity("غوغل", "جوجل") == 1.0
    assert 0.8 < similarity("بلينك", "بلينكن") < 0.9
    assert similarity("نفط", "نفاي") == 0.5


def test_short_words_only_differ_in_vowels():
    assert variant_similarity("نفط", "نفت") == 0.0  # oil / denied
    assert variant_similarity("هيل", "هايل") == 0.75  # Haley / Hayley
    assert variant_similarity("غوغل", "جوجل") == 1.0


def _plan(raw, use_key=True):
    plan = parse_query(raw)
    for g in plan.groups:
        g.use_key = use_key
    return plan


STATS = Collection(n=1000, avg_len=100.0, df={"زوكربيرغ": 10, "فيسبوك": 100, "مدير": 300})


def test_exact_beats_variant_beats_nothing():
    plan = _plan("زوكربيرغ")
    exact = Row(1, "زوكربيرغ يتحدث", "", "", 0.0, "سكربرك تحدث", "", "")
    variant = Row(2, "زوكربرغ يتحدث", "", "", 0.0, "سكربرك تحدث", "", "")
    other = Row(3, "مدير يتحدث", "", "", 0.0, "مدر تحدث", "", "")
    s_exact, s_variant, s_other = (score(r, plan, STATS) for r in (exact, variant, other))
    assert s_exact.score > s_variant.score > 0 == s_other.score
    assert s_variant.variant and not s_exact.variant


def test_adjacent_words_in_the_headline_score_higher():
    plan = _plan("مدير فيسبوك", use_key=False)
    together = Row(1, "مدير فيسبوك يستقيل", "", "", 0.0)
    apart = Row(2, "مدير يستقيل من فيسبوك", "", "", 0.0)
    assert score(together, plan, STATS).score > score(apart, plan, STATS).score


def test_diversify_gives_variants_places_on_page_one():
    rows = [Scored(100 - i, Row(i, "", "", "", 0.0)) for i in range(15)]
    for s in rows[11:]:
        s.variant = True
    out = diversify(rows)
    assert [s.row.article_id for s in out[:10]].count(11) == 1
    assert sum(s.variant for s in out[:10]) == 3
    assert [s.row.article_id for s in out[:2]] == [0, 1]  # exact matches keep the first places
    assert len(out) == 15 and {s.row.article_id for s in out} == set(range(15))


def test_diversify_leaves_pages_without_variants_alone():
    rows = [Scored(100 - i, Row(i, "", "", "", 0.0)) for i in range(15)]
    assert diversify(rows) == rows


def test_expanded_variants_count_instead_of_a_crowded_key():
    plan = _plan("سيلتا")
    plan.groups[0].variants = {"سلتا": 0.8}
    stats = Collection(n=1000, avg_len=100.0, df={"سيلتا": 5, "سلتا": 5})
    variant = Row(1, "سلتا فيغو", "", "", 0.0, "سلت فكو", "", "")
    other = Row(2, "سلط تعلن", "", "", 0.0, "سلت علن", "", "")  # same skeleton, another word
    exact = Row(3, "سيلتا فيغو", "", "", 0.0, "سلت فكو", "", "")
    s_variant, s_other, s_exact = (score(r, plan, stats) for r in (variant, other, exact))
    assert s_exact.score > s_variant.score > 0 == s_other.score
    assert s_variant.variant
    plan.groups[0].variants = {}
    assert score(other, plan, stats).score > 0  # by the key alone سلط passes (similarity 0.6)


def _longest_run_naive(text: str, terms: list[str]) -> int:
    for size in range(len(terms), 1, -1):
        for start in range(0, len(terms) - size + 1):
            if " " + " ".join(terms[start : start + size]) + " " in text:
                return size
    return 0


def test_phrase_runs_checked_pair_first_match_every_run():
    """The pair-first search (``_run``) finds the same longest run as trying every run."""
    import itertools
    import random

    from akhbar.search.ranking import Needles, _run

    plan = _plan("مدير شركة فيسبوك يستقيل", use_key=False)
    terms = [g.term for g in plan.groups]
    needles = Needles(plan)
    rng = random.Random(4)
    vocabulary = terms + ["اخر", "قال"]
    cases = [" ".join(p) for p in itertools.permutations(terms)]
    cases += [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 9))) for _ in range(400)]
    for text in cases:
        padded = f" {text} "
        found = [f" {t} " in padded for t in terms]
        assert _run(padded.encode(), needles, found) == _longest_run_naive(padded, terms), text


def test_rows_from_str_and_from_bytes_score_the_same():
    plan = _plan("زوكربيرغ يتحدث")
    text = ("زوكربيرغ يتحدث", "", "قال زوكربيرغ", 0.0, "سكربرك تحدث", "", "كل سكربرك")
    as_str = score(Row(1, *text), plan, STATS).score
    as_bytes = score(Row(1, *(t.encode() if isinstance(t, str) else t for t in text)), plan, STATS).score
    assert as_str == as_bytes > 0
    assert Row(1, "", "", "", 0.0).lengths == (0, 0, 0) and Row(1, "ا ب", "", "ج", 0.0).lengths == (2, 0, 1)


def test_rows_from_the_index_score_as_rows_built_from_text():
    """``Row.from_index`` (padded fields and stored term counts, as the engine reads them) gives the
    constructor's row; a count stored as NULL (a row written without counts) is counted."""
    plan = _plan("زوكربيرغ يتحدث")
    title, lead, body = "زوكربيرغ يتحدث", "", "قال زوكربيرغ امس في مؤتمر"
    built = Row(1, title, lead, body, 5.0, "سكربرك تحدث", "", "قل سكربرك امس في ؤتمر")
    padded = [f" {t} ".encode() for t in (title, lead, body)]
    keys = ["سكربرك تحدث".encode(), b"", "قل سكربرك امس في ؤتمر".encode()]
    for lengths in [(2, 0, 5), (None, None, None), (2, None, 5)]:
        row = Row.from_index(1, *padded, lengths, 5.0, *keys)
        assert row.lengths == built.lengths == (2, 0, 5)
        assert row.fields() == built.fields()
        assert score(row, plan, STATS).score == score(built, plan, STATS).score > 0
