"""``SearchTerm.key``: the name key of each Arabic stem, so that a query word can be expanded to
the indexed spellings that share its skeleton (``engine.prepare``). Existing rows are filled in."""

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    from akhbar.search.indexer import term_key

    SearchTerm = apps.get_model("search", "SearchTerm")
    db = schema_editor.connection.alias
    batch = []
    for row in SearchTerm.objects.using(db).only("term").iterator(chunk_size=5000):
        key = term_key(row.term)
        if key:
            row.key = key
            batch.append(row)
        if len(batch) == 5000:
            SearchTerm.objects.using(db).bulk_update(batch, ["key"])
            batch = []
    if batch:
        SearchTerm.objects.using(db).bulk_update(batch, ["key"])


class Migration(migrations.Migration):
    dependencies = [("search", "0003_match_table")]

    operations = [
        migrations.AddField(
            model_name="searchterm",
            name="key",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddIndex(
            model_name="searchterm",
            index=models.Index(condition=models.Q(("key", ""), _negated=True), fields=["key"], name="search_term_key"),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
