"""The streaming WXR reader: namespaces, CDATA, hostile and malformed XML."""

import pytest

from akhbar.ingest.wxr import phpserial
from akhbar.ingest.wxr.parse import (
    Channel,
    WxrAuthor,
    WxrItem,
    WxrSecurityError,
    WxrSyntaxError,
    WxrTerm,
    WxrVersionError,
    iter_wxr,
)
from tests.ingest.wxr_fixtures import Comment, Post, write, wxr

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&lol9;</title><wp:post_id>1</wp:post_id></item></channel></rss>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><item><title>x</title><content:encoded>&xxe;</content:encoded><wp:post_id>1</wp:post_id></item></channel></rss>
"""


def records(path):
    return list(iter_wxr(path))


def test_channel_authors_terms_items_in_order(tmp_path):
    post = Post(id=5, title="خبر", slug="%d8%ae%d8%a8%d8%b1", categories=[("cat", "قسم")], comments=[Comment(1), Comment(2, parent=1)])
    out = records(write(tmp_path, wxr([post], categories=[("cat", "قسم", "")], tags=[("t", "وسم")])))
    assert isinstance(out[0], Channel) and out[0].base_blog_url == "https://old.example"
    assert isinstance(out[1], WxrAuthor) and out[1].login == "editor"
    assert [type(r) for r in out[2:4]] == [WxrTerm, WxrTerm]
    item = out[-1]
    assert isinstance(item, WxrItem) and item.post_id == 5 and item.post_name == "%d8%ae%d8%a8%d8%b1"
    assert [c.parent for c in item.comments] == [0, 1]
    assert item.terms == [("category", "cat", "قسم")]


def test_billion_laughs_is_refused_before_expansion(tmp_path):
    with pytest.raises(WxrSecurityError) as err:
        records(write(tmp_path, BILLION_LAUGHS))
    assert "DOCTYPE" in str(err.value) and "bomb.xml" not in str(err.value)
    assert ":2:" in str(err.value)  # the line of the declaration


def test_external_entity_is_refused_and_never_read(tmp_path):
    with pytest.raises(WxrSecurityError) as err:
        records(write(tmp_path, XXE))
    assert "root:" not in str(err.value)
    assert "XXE" in str(err.value)


def test_malformed_xml_reports_file_line_and_reason(tmp_path):
    text = wxr([Post(id=1)]).replace("</channel>", "")
    with pytest.raises(WxrSyntaxError) as err:
        records(write(tmp_path, text, "broken.xml"))
    assert err.value.file == "broken.xml" and err.value.line and err.value.reason


def test_namespace_is_matched_by_uri_not_prefix(tmp_path):
    text = wxr([Post(id=7)]).replace("<item>", '<item xmlns:wp="http://attacker.example/">', 1)
    (item,) = [r for r in records(write(tmp_path, text)) if isinstance(r, WxrItem)]
    assert item.post_id is None  # its wp: fields are not WordPress's
    text = wxr([Post(id=8)]).replace('xmlns:wp="http://wordpress.org/export/1.2/"', 'xmlns:wp="https://wordpress.org/export/1.1/"')
    (item,) = [r for r in records(write(tmp_path, text)) if isinstance(r, WxrItem)]
    assert item.post_id == 8


def test_cdata_and_entities_in_content(tmp_path):
    post = Post(id=1, content="a ]]> b <p>&amp;</p>")
    (item,) = [r for r in records(write(tmp_path, wxr([post]))) if isinstance(r, WxrItem)]
    assert item.content == "a ]]> b <p>&amp;</p>"


def test_php_serialized_values_are_read_safely():
    data = phpserial.loads('a:2:{s:5:"title";s:10:"عنوان";i:0;b:1;}')
    assert data == {"title": "عنوان", 0: True}
    with pytest.raises(phpserial.PhpSerialError):
        phpserial.loads('O:8:"stdClass":0:{}')
    assert phpserial.maybe_loads("not serialised") == "not serialised"


MEASURE = """
import resource, sys
from akhbar.ingest.wxr.parse import iter_wxr
n = sum(1 for _ in iter_wxr(sys.argv[1]))
print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_parser_memory_does_not_grow_with_file_size(tmp_path):
    """Peak memory of a bare parse of 2,000 vs 20,000 items (each ~3 KB): flat, not ×10."""
    import subprocess
    import sys

    from tests.paths import REPO

    body = "<!-- wp:paragraph --><p>" + "نص " * 400 + "</p><!-- /wp:paragraph -->"
    peaks = []
    for n in (2000, 20000):
        path = tmp_path / f"many-{n}.xml"
        head, tail = wxr([Post(id=1, content=body, comments=[Comment(1)])]).split("<item>", 1)
        item = "<item>" + tail.rsplit("</item>", 1)[0] + "</item>"
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(head)
            for i in range(n):
                handle.write(item.replace("<wp:post_id>1</wp:post_id>", f"<wp:post_id>{i + 1}</wp:post_id>"))
            handle.write("</channel></rss>\n")
        out = subprocess.run([sys.executable, "-c", MEASURE, str(path)], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
        assert int(out[0]) == n + 2  # channel + author + items
        peaks.append(int(out[1]))
        size = path.stat().st_size
        path.unlink()
    assert size > 50_000_000
    assert peaks[1] < peaks[0] * 1.3, peaks


@pytest.mark.parametrize(
    ("version_tag", "found"),
    [("", ""), ("<wp:wxr_version>abc</wp:wxr_version>", "abc"), ("<wp:wxr_version>1.2.3</wp:wxr_version>", "1.2.3"),
     ("<wp:wxr_version>1</wp:wxr_version>", "1"), ("<wp:wxr_version></wp:wxr_version>", ""),
     ("<wp:wxr_version>١.٢</wp:wxr_version>", "١.٢")],
    ids=["missing", "letters", "three-parts", "major-only", "empty", "arabic-indic-digits"],
)
def test_missing_or_invalid_wxr_version_is_refused_like_wordpress(tmp_path, version_tag, found):
    text = wxr([Post(id=1, title="خبر")]).replace("<wp:wxr_version>1.2</wp:wxr_version>", version_tag)
    with pytest.raises(WxrVersionError) as err:
        records(write(tmp_path, text))
    assert err.value.found == found and err.value.file == "export.xml"
    assert "WXR version" in str(err.value)


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2", " 1.2 ", "2.0"])
def test_valid_wxr_versions_are_read(tmp_path, version):
    text = wxr([Post(id=1, title="خبر")]).replace("<wp:wxr_version>1.2</wp:wxr_version>", f"<wp:wxr_version>{version}</wp:wxr_version>")
    out = records(write(tmp_path, text))
    assert out[0].wxr_version == version.strip() and out[-1].post_id == 1


def test_version_is_checked_on_a_file_with_no_items(tmp_path):
    text = wxr([]).replace("<wp:wxr_version>1.2</wp:wxr_version>", "")
    with pytest.raises(WxrVersionError):
        records(write(tmp_path, text))
