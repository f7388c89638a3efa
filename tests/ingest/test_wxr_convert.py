"""Post content → body blocks: wpautop, shortcodes, block editor, sanitising."""

import pytest

from akhbar.ingest.wxr.convert import Converter, ImageRef, embed_url
from akhbar.ingest.wxr.gutenberg import parse_blocks
from akhbar.ingest.wxr.wpautop import wpautop


class Resolver:
    """Attachments 1–99 exist; alt/credit only for odd ids."""

    def __init__(self):
        self.asked = []

    def image(self, attachment_id, src=""):
        self.asked.append((attachment_id, src))
        if attachment_id is None and src.endswith("known.jpg"):
            attachment_id = 42
        if attachment_id is None or attachment_id >= 100:
            return None
        odd = attachment_id % 2
        return ImageRef(image_id=1000 + attachment_id, attachment_id=attachment_id, alt=f"بديل {attachment_id}" if odd else "",
                        caption=f"تعليق {attachment_id}", credit="وكالة" if odd else "")

    def gallery_children(self):
        return [3, 5]


def convert(content, site="https://old.example", credit=""):
    converter = Converter(Resolver(), site, credit)
    return converter.convert(content), converter.stats


def types(blocks):
    return [b["type"] for b in blocks]


def test_wpautop_matches_wordpress():
    assert wpautop("سطر أول\nسطر ثان\n\nفقرة ثانية") == "<p>سطر أول<br />\nسطر ثان</p>\n<p>فقرة ثانية</p>\n"
    assert wpautop("<ul>\n<li>أ</li>\n</ul>\nبعد") == "<ul>\n<li>أ</li>\n</ul>\n<p>بعد</p>\n"
    assert wpautop("<pre>a\n\nb</pre>") == "<pre>a\n\nb</pre>\n" or "<pre>a\n\nb</pre>" in wpautop("<pre>a\n\nb</pre>")
    assert wpautop("<blockquote>قول</blockquote>") == "<blockquote><p>قول</p></blockquote>\n"


def test_classic_post_gets_paragraphs_lists_and_quotes():
    blocks, _ = convert("فقرة أولى.\nسطر.\n\n<strong>عريض</strong> و<em>مائل</em>\n\n<blockquote>اقتباس<cite>قائل</cite></blockquote>\n<ol><li>واحد</li><li>اثنان</li></ol>")
    assert types(blocks) == ["paragraph", "paragraph", "quote", "paragraph"]
    assert blocks[0]["value"].startswith("<p>فقرة أولى.<br>")
    assert blocks[1]["value"] == "<p><b>عريض</b> و<i>مائل</i></p>"
    assert blocks[2]["value"] == {"text": "اقتباس", "attribution": "قائل"}
    assert blocks[3]["value"] == "<ol><li>واحد</li><li>اثنان</li></ol>"


def test_caption_shortcode_becomes_figure_with_caption_and_credit():
    blocks, stats = convert('[caption id="attachment_7" align="alignright" width="300"]<a href="x.jpg"><img class="wp-image-7" src="https://old.example/wp-content/uploads/a.jpg" alt="نص بديل" /></a> تعليق الصورة[/caption]\n\nبعدها')
    assert types(blocks) == ["figure", "paragraph"]
    assert blocks[0]["value"] == {"image": 1007, "alt_text": "نص بديل", "decorative": False, "caption": "تعليق الصورة", "credit": "وكالة"}
    assert stats.figures == 1 and not stats.figures_missing_credit


def test_figure_without_alt_or_credit_takes_attachment_values_or_is_counted():
    blocks, stats = convert('<img class="wp-image-8" src="x.jpg">', credit="")
    assert blocks[0]["value"]["alt_text"] == "" and blocks[0]["value"]["decorative"] is False
    assert stats.figures_missing_alt == ["attachment 8"] and stats.figures_missing_credit == ["attachment 8"]
    blocks, stats = convert('<img class="wp-image-8" src="x.jpg">', credit="أرشيف الموقع")
    assert blocks[0]["value"]["credit"] == "أرشيف الموقع" and not stats.figures_missing_credit
    blocks, _ = convert('<img class="wp-image-9" src="x.jpg">')
    assert blocks[0]["value"]["alt_text"] == "بديل 9"  # from _wp_attachment_image_alt


def test_missing_image_is_left_out_and_reported():
    blocks, stats = convert('<p>قبل <img class="wp-image-500" src="gone.jpg"> بعد</p>')
    assert types(blocks) == ["paragraph"]
    assert stats.images_unavailable == ["attachment 500"]


def test_gallery_shortcode_with_ids_and_attached_children():
    blocks, _ = convert('[gallery ids="3,5" columns="2"]')
    assert types(blocks) == ["figure", "figure"]
    assert blocks[0]["value"]["caption"] == "تعليق 3"  # the attachment's caption
    blocks, _ = convert("[gallery]")
    assert [b["value"]["image"] for b in blocks] == [1003, 1005]


def test_unknown_shortcodes_stay_as_text_and_are_counted():
    blocks, stats = convert('قبل [contact-form-7 id="12"] بعد\n\n[su_note]ملاحظة[/su_note]')
    assert '[contact-form-7 id="12"]' in blocks[0]["value"]
    assert "ملاحظة" in blocks[1]["value"]
    assert stats.unknown_shortcodes == {"contact-form-7": 1, "su_note": 1}
    blocks, _ = convert("[[caption]] حرفياً")
    assert "[caption]" in blocks[0]["value"]


def test_lone_media_url_becomes_embed_but_other_urls_stay_text():
    blocks, stats = convert("قبل\n\nhttps://www.youtube.com/watch?v=abcdefghijk\n\nhttps://example.com/page")
    assert types(blocks) == ["paragraph", "embed", "paragraph"]
    assert blocks[1]["value"] == "https://www.youtube.com/watch?v=abcdefghijk"
    assert embed_url("https://www.youtube.com/embed/abcdefghijk") == "https://www.youtube.com/watch?v=abcdefghijk"
    assert embed_url("javascript:alert(1)") is None


def test_block_editor_blocks_map_to_our_blocks():
    content = """<!-- wp:paragraph --><p>فقرة <a href="https://old.example/2019/01/x/">داخلية</a></p><!-- /wp:paragraph -->
<!-- wp:heading --><h2>عنوان فرعي</h2><!-- /wp:heading -->
<!-- wp:image {"id":11} --><figure class="wp-block-image"><img src="https://old.example/wp-content/uploads/b.jpg" alt="" class="wp-image-11"/><figcaption>شرح</figcaption></figure><!-- /wp:image -->
<!-- wp:quote --><blockquote class="wp-block-quote"><p>قول</p><cite>فلان</cite></blockquote><!-- /wp:quote -->
<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>مقتطف</p><cite>علان</cite></blockquote></figure><!-- /wp:pullquote -->
<!-- wp:list --><ul><li>أ</li><li>ب</li></ul><!-- /wp:list -->
<!-- wp:table --><figure class="wp-block-table"><table><thead><tr><th>فريق</th><th>نقاط</th></tr></thead><tbody><tr><td>أ</td><td>3</td></tr></tbody></table><figcaption>الترتيب</figcaption></figure><!-- /wp:table -->
<!-- wp:separator --><hr class="wp-block-separator"/><!-- /wp:separator -->
<!-- wp:embed {"url":"https://www.youtube.com/watch?v=abcdefghijk","type":"video"} --><figure class="wp-block-embed"><div class="wp-block-embed__wrapper">https://www.youtube.com/watch?v=abcdefghijk</div></figure><!-- /wp:embed -->
<!-- wp:gallery {"ids":[3,5]} --><figure class="wp-block-gallery"><ul><li><figure><img class="wp-image-3" src="c.jpg"/><figcaption>أولى</figcaption></figure></li><li><figure><img class="wp-image-5" src="d.jpg"/></figure></li></ul></figure><!-- /wp:gallery -->
<!-- wp:more --><!--more--><!-- /wp:more -->
<!-- wp:latest-posts /-->
<!-- wp:acme/widget --><div>نص الودجة</div><!-- /wp:acme/widget -->"""
    blocks, stats = convert(content)
    assert types(blocks) == ["paragraph", "crosshead", "figure", "quote", "quote", "paragraph", "table", "separator", "embed", "figure", "figure", "paragraph"]
    assert blocks[0]["value"] == '<p>فقرة <a href="/2019/01/x/">داخلية</a></p>'  # old-site link made relative
    assert blocks[1]["value"] == "عنوان فرعي"
    assert blocks[2]["value"]["image"] == 1011 and blocks[2]["value"]["caption"] == "شرح" and blocks[2]["value"]["alt_text"] == "بديل 11"
    assert blocks[4]["value"] == {"text": "مقتطف", "attribution": "علان"}
    assert blocks[6]["value"]["data"] == [["فريق", "نقاط"], ["أ", "3"]]
    assert blocks[6]["value"]["first_row_is_table_header"] is True and blocks[6]["value"]["table_caption"] == "الترتيب"
    assert blocks[9]["value"]["caption"] == "أولى"
    assert stats.unknown_blocks == {"core/latest-posts": 1, "acme/widget": 1}
    assert "نص الودجة" in blocks[11]["value"]


def test_nested_blocks_are_flattened():
    content = """<!-- wp:columns --><div class="wp-block-columns"><!-- wp:column --><div class="wp-block-column"><!-- wp:paragraph --><p>يمين</p><!-- /wp:paragraph --></div><!-- /wp:column --><!-- wp:column --><div class="wp-block-column"><!-- wp:paragraph --><p>يسار</p><!-- /wp:paragraph --></div><!-- /wp:column --></div><!-- /wp:columns -->"""
    blocks, stats = convert(content)
    assert [b["value"] for b in blocks] == ["<p>يمين</p>", "<p>يسار</p>"]
    assert not stats.unknown_blocks


@pytest.mark.parametrize(
    "hostile",
    [
        '<p>نص<script>alert(1)</script></p>',
        '<p><img src=x onerror="alert(1)">نص</p>',
        '<p><a href="javascript:alert(1)">نص</a></p>',
        '<p style="background:url(javascript:alert(1))" onclick="x()">نص</p>',
        '<iframe src="https://evil.example/"></iframe><p>نص</p>',
        '<!-- wp:html --><svg onload="alert(1)"><p>نص</p></svg><!-- /wp:html -->',
    ],
)
def test_hostile_html_is_sanitised(hostile):
    blocks, stats = convert(hostile)
    html = " ".join(str(b["value"]) for b in blocks)
    for bad in ("script", "onerror", "javascript:", "onclick", "style=", "iframe", "onload", "evil.example"):
        assert bad not in html
    assert "نص" in html


def test_block_grammar_keeps_stray_closers_and_unclosed_blocks():
    blocks = parse_blocks("<!-- /wp:paragraph -->نص<!-- wp:paragraph --><p>بلا إغلاق</p>")
    assert all(b.name is None for b in blocks[:-1]) and any("نص" in b.inner_html for b in blocks[:-1])
    assert convert("<!-- /wp:paragraph -->نص")[0] == [{"type": "paragraph", "value": "<p>نص</p>"}]
    assert blocks[-1].name == "core/paragraph" and "بلا إغلاق" in blocks[-1].inner_html
