"""Search index tables (one row per live article) and term statistics.

``SearchDocument`` holds each live article's *analysed* text (stems separated
by single spaces, see :mod:`akhbar.search.analysis`). The full-text index is
built over these columns by the database itself:

* SQLite: the FTS5 virtual table ``search_fts`` (external content = this
  table, ``tokenize='ascii'`` so a token is exactly one analysed term), kept in
  sync by triggers;
* PostgreSQL: the narrow table ``search_match`` (id, date, section and two
  ``tsvector`` columns from ``to_tsvector('simple', ...)``, i.e. no further
  analysis) with GIN indexes, kept in sync by statement-level triggers.

They are created by migrations ``0002_fulltext`` and ``0003_match_table``. ``article_id`` is the
``ArticlePage`` primary key; it is not a foreign key so that the benchmark
can index corpus records without creating pages.
"""

from django.db import models


class SearchDocument(models.Model):
    """Analysed text of one live article. Written only by :mod:`akhbar.search.indexer`."""

    article_id = models.BigIntegerField(primary_key=True)
    section_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    title = models.TextField(default="", help_text="analysed headline (stems)")
    lead = models.TextField(default="", help_text="analysed kicker + standfirst")
    body = models.TextField(default="", help_text="analysed body, dateline, byline")
    head_keys = models.TextField(default="", help_text="name keys of the headline words, '|', of the lead words")
    body_keys = models.TextField(default="", help_text="name keys of the body words")
    # Term counts, so that ranking does not count the spaces of every candidate's text per search
    # (~1 ms for 250 candidates). NULL in a row written without them: ranking then counts.
    title_length = models.PositiveIntegerField(null=True, blank=True, help_text="number of terms in title")
    lead_length = models.PositiveIntegerField(null=True, blank=True, help_text="number of terms in lead")
    body_length = models.PositiveIntegerField(null=True, blank=True, help_text="number of terms in body")

    class Meta:
        db_table = "search_document"

    def __str__(self):
        return f"search document {self.article_id}"


class SearchTerm(models.Model):
    """Document frequency of an indexed term (a stem, or ``~`` + a name key).

    ``surface`` is one spelling of the term as seen in text (for "did you
    mean" suggestions). ``key`` is the name key of an Arabic stem itself
    (:func:`akhbar.search.analysis.name_key` of the stem; '' for name-key rows and
    non-Arabic terms): the stems sharing a skeleton are the indexed spellings a query
    word may be expanded to (:func:`akhbar.search.engine.prepare`).
    """

    term = models.CharField(primary_key=True, max_length=64)
    df = models.IntegerField(default=0)
    surface = models.CharField(max_length=64, blank=True, default="")
    key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        db_table = "search_term"
        indexes = [
            models.Index(fields=["key"], name="search_term_key", condition=~models.Q(key="")),
        ]


class SearchStats(models.Model):
    """Collection statistics for BM25: one row (``id=1``), updated with the index."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    documents = models.BigIntegerField(default=0)
    title_tokens = models.BigIntegerField(default=0)
    lead_tokens = models.BigIntegerField(default=0)
    body_tokens = models.BigIntegerField(default=0)

    class Meta:
        db_table = "search_stats"
