"""Search results over fixtures: the same tests run on SQLite and on PostgreSQL (DATABASE_URL)."""

import datetime as dt

import pytest
from django.utils import timezone

from akhbar.search import query as q
from akhbar.search.engine import Filters, PostgresBackend, SQLiteBackend, backend_for, search
from akhbar.search.models import SearchDocument, SearchStats, SearchTerm

from .conftest import make_article

pytestmark = pytest.mark.django_db


def ids(raw, **kwargs):
    return search(raw, **kwargs).ids


def test_every_live_article_is_indexed(stories):
    assert SearchDocument.objects.count() == 5
    assert SearchStats.objects.get().documents == 5
    assert SearchTerm.objects.get(term="غز").df == 1  # غزة → light10 stem


@pytest.mark.parametrize(
    "typed",
    ["اسرائيل", "إسرائيل", "إِسْرَائِيل", "والمعابر", "اغلاق المعابر", "قطاع غزه", "إسرائیل"],
)
def test_orthographic_variants_find_the_story(stories, typed):
    assert ids(typed)[0] == stories["a"].pk


def test_digits_in_any_script(stories):
    assert ids("2018")[:1] == [stories["c"].pk]
    assert ids("٢٠١٨")[:1] == [stories["c"].pk]


def test_name_variant_is_found_whichever_spelling_is_typed(stories):
    # a spells بلينكن (in its body), b spells بلينكين (in its headline)
    for typed in ("بلينكن", "بلينكين"):
        assert set(ids(typed)[:2]) == {stories["a"].pk, stories["b"].pk}


def test_exact_spelling_ranks_before_another_spelling(politics):
    variant = make_article(politics, "مؤتمر صحفي في العاصمة", body="وقال زوكربرغ إن الشركة ستتعاون.")
    exact = make_article(politics, "مؤتمر صحفي في المدينة", body="وقال زوكربيرغ إن الشركة ستتعاون.")
    assert ids("زوكربيرغ") == [exact.pk, variant.pk]
    assert ids("زوكربرغ") == [variant.pk, exact.pk]


def test_variants_are_not_drowned(politics):
    """Twelve stories use the typed spelling: the one with another spelling still reaches page one."""
    now = timezone.now()
    for n in range(12):
        make_article(politics, f"تقرير رقم {n}", body="وقال زوكربيرغ إن الشركة ستتعاون.", when=now - dt.timedelta(minutes=n))
    other = make_article(politics, "تقرير آخر", body="وقال زوكربرغ إن الشركة ستتعاون.", when=now - dt.timedelta(days=9))
    assert other.pk in ids("زوكربيرغ")


def test_transliterated_brand_name(stories):
    assert ids("جوجل")[:1] == [stories["e"].pk]


def test_headline_match_ranks_above_body_match(stories):
    # "أسعار" is in c's and d's headlines; "الفائدة" only in d's headline and standfirst
    assert ids("أسعار الفائدة")[0] == stories["d"].pk
    assert ids("الخارجية")[0] in (stories["a"].pk, stories["b"].pk)


def test_phrase_search_needs_adjacent_words(stories):
    # "وزير الخارجية" adjacent in a and b; d has both words apart
    loose = set(ids("وزير الخارجية"))
    assert stories["d"].pk in loose
    phrase = set(ids('"وزير الخارجية"'))
    assert phrase == {stories["a"].pk, stories["b"].pk}


def test_stopwords_only_query_is_empty(stories):
    result = search("في من على")
    assert result.ids == [] and result.count == 0


def test_no_match(stories):
    assert search("زلزال").count == 0


def test_filters(stories, politics, economy):
    assert set(ids("أسعار", filters=Filters(section_id=economy.pk))) == {stories["c"].pk, stories["d"].pk}
    assert ids("أسعار", filters=Filters(section_id=politics.pk)) == []
    assert ids("القاهرة", filters=Filters(author_id=stories["author"].pk)) == [stories["b"].pk]
    tag = stories["c"].tags.get()
    assert ids("أسعار", filters=Filters(tag_id=tag.pk)) == [stories["c"].pk]
    today = timezone.localdate()
    recent = Filters(date_from=today - dt.timedelta(days=1))
    assert stories["a"].pk not in ids("وزير الخارجية", filters=recent)
    old = Filters(date_to=today - dt.timedelta(days=2))
    assert stories["e"].pk not in ids("غرامة", filters=old)


def test_sort_newest(stories):
    newest = ids("أسعار", sort="newest")
    assert newest == [stories["d"].pk, stories["c"].pk]
    with pytest.raises(ValueError):
        search("أسعار", sort="random")


def test_pagination_and_count(politics):
    now = timezone.now()
    for n in range(23):
        make_article(politics, f"قمة الدوحة الاقتصادية رقم {n}", when=now - dt.timedelta(minutes=n))
    first = search("قمة الدوحة", page=1)
    assert first.count == 23 and len(first.ids) == 10
    third = search("قمة الدوحة", page=3)
    assert len(third.ids) == 3
    everything = first.ids + search("قمة الدوحة", page=2).ids + third.ids
    assert len(set(everything)) == 23


def test_candidates_beyond_the_ranked_window_are_paged(politics, monkeypatch):
    from akhbar.search import engine

    monkeypatch.setattr(engine, "CANDIDATES", 5)
    now = timezone.now()
    for n in range(14):
        make_article(politics, f"انتخابات بلدية في المدينة {n}", when=now - dt.timedelta(minutes=n))
    pages = [search("انتخابات بلدية", page=p, per_page=4) for p in (1, 2, 3, 4)]
    seen = [i for p in pages for i in p.ids]
    assert pages[0].count == 14
    assert len(seen) == 14 and len(set(seen)) == 14


def test_backends_compile_the_same_expression():
    plan = q.parse_query('"وزير الخارجية" بلينكن')
    plan.groups[2].use_key = True
    expr = q.all_expression(plan)
    fts = SQLiteBackend(None).compile(expr)
    # light10 reads the و of وزير as "and": the stem is زير, on both sides
    assert '{title lead body} : "زير"' in fts and '{head_keys body_keys} : "بلنكن"' in fts
    assert '{title lead body} : "زير خارج"' in fts
    params = []
    sql = PostgresBackend(None).compile(expr, params)
    assert sql == "d.tsv @@ %s::tsquery" and len(params) == 1  # one GIN scan for the whole query
    assert "('زير' <-> 'خارج')" in params[0] and "'kبلنكن'" in params[0]
    head = PostgresBackend(None).compile(q.all_expression(plan, "title"), [])
    assert head.startswith("d.tsh @@")


def test_backend_for_this_database(db):
    from django.db import connection

    backend = backend_for()
    assert isinstance(backend, PostgresBackend if connection.vendor == "postgresql" else SQLiteBackend)


def test_hostile_query_text_is_harmless(stories):
    for raw in ['"', '" OR 1=1 --', "NEAR(a b)", "title:*", "{body}: x", "'; DROP TABLE search_document; --", "a" * 600]:
        search(raw)
    assert SearchDocument.objects.count() == 5


def _fillers(section, n, now):
    """``n`` unrelated stories (a small archive makes every word's share large)."""
    for i in range(n):
        make_article(section, f"أخبار محلية متنوعة رقم {i}", body="تقرير عن الطقس والمرور.", when=now - dt.timedelta(days=30 + i))


def test_name_whose_short_key_is_common_finds_its_other_spelling(politics):
    """هيلي / هايلي share the skeleton هل with أهل: the key is not matched on, the vocabulary is."""
    now = timezone.now()
    _fillers(politics, 20, now)
    family = make_article(politics, "أهل الضحايا يطالبون بالتحقيق", body="وقال أهل القرية إن الأهل ينتظرون.", when=now)
    short = make_article(politics, "هيلي تنتقد القرار", body="قالت نيكي هيلي في مجلس الأمن.", when=now - dt.timedelta(days=2))
    long = make_article(politics, "هايلي تزور المنطقة", body="وصلت نيكي هايلي إلى العاصمة.", when=now - dt.timedelta(days=3))
    for typed in ("هيلي", "هايلي"):
        found = ids(typed)
        assert set(found[:2]) == {short.pk, long.pk}, typed
        assert family.pk not in found


def test_name_key_crowded_by_a_common_word_keeps_the_other_spelling(politics, monkeypatch):
    """سيلتا / سلتا share the skeleton سلت with السلطة, whose newer stories fill the candidate window."""
    from akhbar.search import engine

    monkeypatch.setattr(engine, "CANDIDATES", 5)
    now = timezone.now()
    _fillers(politics, 40, now)
    for n in range(8):
        make_article(politics, f"السلطة تعلن إجراءات جديدة {n}", body="قالت السلطة إن القرار نهائي.", when=now - dt.timedelta(hours=n))
    exact = make_article(politics, "سيلتا فيغو يفوز", body="فاز فريق سيلتا فيغو.", when=now - dt.timedelta(days=5))
    other = make_article(politics, "سلتا فيغو يخسر", body="خسر فريق سلتا فيغو.", when=now - dt.timedelta(days=6))
    assert ids("سيلتا")[:2] == [exact.pk, other.pk]


def test_term_statistics_record_the_skeleton_of_arabic_stems(stories):
    from akhbar.search.indexer import term_key

    assert SearchTerm.objects.get(term="غز").key == "كس"  # غزة: stem غز, skeleton كس (غ→ك, ز→س)
    assert not SearchTerm.objects.filter(term__startswith="~").exclude(key="").exists()
    assert SearchTerm.objects.get(term="2018").key == ""
    assert term_key("بلينكن") == "بلنكن" and term_key("~بلنكن") == "" and term_key("google") == ""


def test_postgresql_match_table_follows_the_documents(stories):
    from django.db import connection

    from akhbar.search.indexer import remove_documents

    if connection.vendor != "postgresql":
        pytest.skip("search_match is PostgreSQL's (SQLite keeps FTS5 in step)")

    def match_rows():
        with connection.cursor() as cursor:
            cursor.execute("SELECT article_id, published_at FROM search_match ORDER BY article_id")
            return cursor.fetchall()

    documents = list(SearchDocument.objects.order_by("article_id").values_list("article_id", "published_at"))
    assert match_rows() == documents
    article = stories["c"]
    article.title = "أسواق الذهب تتراجع"
    article.save()  # re-indexed: the old vector goes, the new one comes
    assert ids("الذهب") == [article.pk]
    assert article.pk not in ids("النفط المخزونات")
    remove_documents([stories["e"].pk])
    assert [r[0] for r in match_rows()] == sorted(d[0] for d in documents if d[0] != stories["e"].pk)


def test_postgresql_candidate_queries_never_scan_search_match_sequentially(stories):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL planner setting")
    backend = backend_for()
    with backend.session():
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "off"
            plan = q.parse_query("إسرائيل المعابر")
            base, params = backend._base(q.relaxed_expression(plan), Filters())
            cursor.execute(f"EXPLAIN SELECT d.article_id {base}", params)
            assert "Seq Scan" not in "\n".join(r[0] for r in cursor.fetchall())


def test_optimize_index_runs_on_either_database(stories):
    from akhbar.search.indexer import optimize_index

    optimize_index()  # inside the test's transaction: ANALYZE only on PostgreSQL
    assert ids("إسرائيل")[0] == stories["a"].pk
