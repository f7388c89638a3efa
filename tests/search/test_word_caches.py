"""``trim_word_caches``: bulk writers keep the analyser's per-word caches bounded."""

from akhbar.search.analysis import analyze, analyze_word, trim_word_caches


def test_word_caches_are_emptied_only_above_the_limit():
    trim_word_caches(0)
    analyze("المدينة والمدن في الشرق الأوسط")
    size = analyze_word.cache_info().currsize
    assert size >= 4
    assert trim_word_caches(size) is False and analyze_word.cache_info().currsize == size
    assert trim_word_caches(size - 1) is True and analyze_word.cache_info().currsize == 0
    # still correct afterwards
    assert analyze("المدينة").terms == analyze("المدينة").terms
