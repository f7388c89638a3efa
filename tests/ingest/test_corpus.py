import json

import pytest

from akhbar.ingest.corpus import RecordError, load_corpus, parse_line, split_standfirst
from akhbar.news.models import ArticlePage, Author, SectionPage

from tests.paths import CORPUS_DIR


def record(**overrides):
    data = {
        "id": "t-1",
        "title": "وزير المالية يعلن خطة جديدة",
        "body": "الفقرة الأولى من الخبر.\n\nالفقرة الثانية من الخبر.\n\n#الاقتصاد_العربي في المقدمة",
        "section": "economy",
        "date": "2018-02-18T21:35:43+04:00",
        "source": "Sky News Arabia",
        "url": "https://www.skynewsarabia.com/business/1-%D8%AE%D8%A8%D8%B1",
        "summary": "ملخص مكتوب للخبر يختلف عن الفقرة الأولى.",
        "author": "القاهرة - أحمد الريدي",
    }
    data.update(overrides)
    return json.dumps(data, ensure_ascii=False)


def write(tmp_path, lines, name="a.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "line,reason",
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "not a JSON object"),
        (record(id=None), "missing id"),
        (record(title=""), "empty title"),
        (record(title=None), "missing title"),
        (record(body="  \n\n "), "empty body"),
        (record(date="yesterday"), "not ISO 8601"),
        (record(date="2018-02-18T21:35:43"), "no UTC offset"),
        (record(url="javascript:alert(1)"), "not http"),
        (record(title=5), "not a string"),
    ],
)
def test_malformed_records_are_rejected_with_a_reason(line, reason):
    with pytest.raises(RecordError, match=reason):
        parse_line(line)


def test_summary_copy_of_first_paragraph_moves_out_of_body():
    rec = parse_line(record(summary="الفقرة الأولى من الخبر."))
    standfirst, paragraphs = split_standfirst(rec)
    assert standfirst == "الفقرة الأولى من الخبر."
    assert paragraphs[0] == "الفقرة الثانية من الخبر."


def test_written_summary_is_the_standfirst_and_body_is_kept():
    rec = parse_line(record())
    standfirst, paragraphs = split_standfirst(rec)
    assert standfirst.startswith("ملخص مكتوب")
    assert len(paragraphs) == 3


@pytest.mark.django_db
def test_load_reports_bad_lines_and_loads_the_rest(tmp_path, home):
    path = write(
        tmp_path,
        [
            record(id="a"),
            "{broken",
            "",
            record(id="b", title="خبر ثان عن الرياضة", section="sport", author="لندن - رويترز"),
            record(id="a"),  # duplicate id in the same file
            record(id="c", body=""),
        ],
    )
    rejected = []
    report = load_corpus([path], on_reject=lambda f, n, r: rejected.append((f, n, r)))
    assert report.created == 2
    assert report.existing == 1
    assert [(n, r.split(" (")[0]) for _, n, r in rejected] == [(2, "invalid JSON"), (6, "empty body")]
    a = ArticlePage.objects.get(external_id="a")
    assert a.live and a.section.slug == "اقتصاد" and a.get_parent().specific == a.section
    assert a.dateline == "القاهرة"
    assert [link.author.name for link in a.article_authors.all()] == ["أحمد الريدي"]
    assert a.source_name == "سكاي نيوز عربية" and a.source_url.startswith("https://www.skynewsarabia.com/")
    assert a.standfirst.startswith("ملخص مكتوب")
    assert [b.block_type for b in a.body] == ["paragraph", "paragraph", "paragraph"]
    assert set(a.tags.names()) == {"الاقتصاد العربي"}
    assert a.published_at.isoformat() == "2018-02-18T17:35:43+00:00"
    b = ArticlePage.objects.get(external_id="b")
    assert b.section.slug == "رياضة" and b.byline == "رويترز" and b.dateline == "لندن"


@pytest.mark.django_db
def test_load_is_idempotent(tmp_path, home):
    path = write(tmp_path, [record(id="x1"), record(id="x2", title="عنوان آخر")])
    first = load_corpus([path])
    again = load_corpus([path])
    assert (first.created, again.created, again.existing) == (2, 0, 2)
    assert ArticlePage.objects.filter(external_id__in=["x1", "x2"]).count() == 2
    assert Author.objects.filter(name="أحمد الريدي").count() == 1


@pytest.mark.django_db
def test_same_headline_gets_distinct_slugs(tmp_path, home):
    path = write(tmp_path, [record(id="s1"), record(id="s2")])
    load_corpus([path])
    slugs = set(ArticlePage.objects.filter(external_id__in=["s1", "s2"]).values_list("slug", flat=True))
    assert len(slugs) == 2


@pytest.mark.django_db
def test_unknown_section_label_creates_a_section(tmp_path, home):
    path = write(tmp_path, [record(id="h1", section="health")])
    load_corpus([path])
    section = ArticlePage.objects.get(external_id="h1").section
    assert section.title == "health" and section.live
    assert SectionPage.objects.child_of(home).filter(pk=section.pk).exists()


@pytest.mark.django_db
def test_limit_reads_the_first_n_records(tmp_path, home):
    path = write(tmp_path, [record(id=f"l{i}", title=f"خبر {i}") for i in range(5)])
    report = load_corpus([path], limit=3)
    assert report.created == 3
    assert set(ArticlePage.objects.filter(external_id__startswith="l").values_list("external_id", flat=True)) == {"l0", "l1", "l2"}


@pytest.mark.django_db
def test_command_prints_rejections_with_line_numbers(tmp_path, home, capsys):
    from django.core.management import call_command

    path = write(tmp_path, [record(id="k1"), "not json at all"])
    call_command("load_corpus", str(path), "--no-progress")
    out, err = capsys.readouterr()
    assert "rejected a.jsonl line 2: invalid JSON" in err
    assert "created 1" in out


@pytest.mark.django_db
@pytest.mark.skipif(not CORPUS_DIR.exists(), reason=f"real corpus not found at {CORPUS_DIR}")
def test_real_corpus_sample_loads_cleanly(home):
    report = load_corpus([CORPUS_DIR / "articles-01.jsonl"], limit=60)
    assert report.created == 60 and not report.rejected
    article = ArticlePage.objects.exclude(external_id__startswith="demo:").order_by("pk").first()
    assert article.section is not None and article.standfirst and len(article.body) >= 1
