"""OpenSearch backend: query compilation always; indexing and search against a server when
``AKHBAR_OPENSEARCH_URL`` points at a reachable one (skipped otherwise)."""

import os
import urllib.request

import pytest

from akhbar.search import opensearch
from akhbar.search import query as q

URL = os.environ.get("AKHBAR_OPENSEARCH_URL", "")


def _reachable(url: str) -> bool:
    if not url:
        return False
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def test_compiles_the_same_expression_as_the_databases():
    plan = q.parse_query('"وزير الخارجية" بلينكن')
    plan.groups[2].use_key = True
    dsl = opensearch.compile_query(q.all_expression(plan))
    text = str(dsl)
    assert "'term': {'title': 'زير'}" in text and "'term': {'head_keys': 'بلنكن'}" in text
    assert "'match_phrase': {'body': 'زير خارج'}" in text
    assert list(dsl["bool"]) == ["filter"]


def test_index_settings_do_not_reanalyse():
    analyzer = opensearch.INDEX_SETTINGS["settings"]["analysis"]["analyzer"]["akhbar_terms"]
    assert analyzer == {"type": "custom", "tokenizer": "whitespace"}
    props = opensearch.INDEX_SETTINGS["mappings"]["properties"]
    assert all(props[f]["analyzer"] == "akhbar_terms" for f in ("title", "lead", "body", "head_keys", "body_keys"))


def test_not_configured_means_database_backend(settings, db):
    from akhbar.search.engine import backend_for

    settings.AKHBAR_OPENSEARCH_URL = ""
    assert not isinstance(backend_for(), opensearch.OpenSearchBackend)


@pytest.mark.skipif(not _reachable(URL), reason="no OpenSearch server: set AKHBAR_OPENSEARCH_URL to a reachable one")
@pytest.mark.django_db
def test_search_through_opensearch_matches_the_database(settings, stories):
    from akhbar.search.engine import search
    from akhbar.search.indexer import index_documents, source_for_page

    settings.AKHBAR_OPENSEARCH_URL = ""
    expected = {raw: search(raw).ids for raw in ("اسرائيل", "بلينكن", "أسعار الفائدة", '"وزير الخارجية"')}
    settings.AKHBAR_OPENSEARCH_URL = URL
    settings.AKHBAR_OPENSEARCH_INDEX = "akhbar-test"
    opensearch.ensure_index(recreate=True)
    index_documents([source_for_page(p) for p in (stories["a"], stories["b"], stories["c"], stories["d"], stories["e"])])
    try:
        for raw, ids in expected.items():
            assert search(raw).ids == ids, raw
    finally:
        opensearch.request("DELETE")
