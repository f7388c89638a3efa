"""Generate a WordPress export (WXR 1.2) of N posts from the Arabic news corpus, for the import benchmark.

    python bench/wxr/make_wxr.py --posts 20000 --out /tmp/akhbar-bench-20000.xml

Posts take their title, body, date, section and outlet from the corpus
(``../shared/data/arabic-news``; articles are reused with new ids when N is
larger than the corpus). Like a real news site's export: categories (one
child category per section), tags from the articles' hashtags, one author per
outlet, a mix of block-editor (3 in 4) and classic-editor posts, threaded
comments (0–4 per post, some pending or spam), every 50th post sticky, a few
drafts and scheduled posts. The output goes to /tmp: it is third-party text
and is never committed.
"""

import argparse
import json
import random
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.paths import CORPUS_DIR  # noqa: E402

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>موقع أخبار تجريبي</title><link>https://bench.example/news</link><language>ar</language>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://bench.example/news</wp:base_site_url><wp:base_blog_url>https://bench.example/news</wp:base_blog_url>
"""
SECTIONS = {"politics": "سياسة", "middleEast": "الشرق الأوسط", "internationalNews": "العالم", "economy": "اقتصاد", "sport": "رياضة",
            "culture": "ثقافة", "technology": "تكنولوجيا", "science": "علوم", "variety": "منوعات", "misc": "منوعات"}
HASHTAG = re.compile(r"#([\w\u0600-\u06ff]{2,40})")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cdata(text: str) -> str:
    """CDATA section; characters XML 1.0 forbids (control characters in the corpus) are dropped, as a real export must."""
    return "<![CDATA[" + _NOT_XML.sub("", text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def slug(text: str) -> str:
    words = re.sub(r"[^\w\s-]", "", text).split()
    return quote("-".join(words)[:60].strip("-").lower(), safe="-").lower()


def articles():
    files = sorted(CORPUS_DIR.glob("*.jsonl"))
    if not files:
        sys.exit(f"corpus not found in {CORPUS_DIR}")
    while True:
        for file in files:
            with open(file, encoding="utf-8") as handle:
                for line in handle:
                    if line.strip():
                        yield json.loads(line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    out = args.out or Path(f"/tmp/akhbar-bench-{args.posts}.xml")
    rng = random.Random(args.seed)
    with open(out, "w", encoding="utf-8") as w:
        w.write(HEAD)
        outlets = ["Al Arabiya", "BBC Arabic", "CNN Arabic", "France 24 Arabic", "Sky News Arabia"]
        for i, outlet in enumerate(outlets, 1):
            w.write(f"<wp:author><wp:author_id>{i}</wp:author_id><wp:author_login>{cdata(slug(outlet))}</wp:author_login>"
                    f"<wp:author_email>{cdata(f'desk{i}@bench.example')}</wp:author_email><wp:author_display_name>{cdata(outlet)}</wp:author_display_name></wp:author>\n")
        term = 1
        cats = {}
        for label, name in SECTIONS.items():
            if name in cats:
                continue
            cats[name] = (slug(name), term)
            w.write(f"<wp:category><wp:term_id>{term}</wp:term_id><wp:category_nicename>{cdata(slug(name))}</wp:category_nicename>"
                    f"<wp:category_parent>{cdata('')}</wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n")
            term += 1
            child = f"تقارير {name}"
            w.write(f"<wp:category><wp:term_id>{term}</wp:term_id><wp:category_nicename>{cdata(slug(child))}</wp:category_nicename>"
                    f"<wp:category_parent>{cdata(slug(name))}</wp:category_parent><wp:cat_name>{cdata(child)}</wp:cat_name></wp:category>\n")
            term += 1
        comment_id = 1
        source = articles()
        for n in range(1, args.posts + 1):
            a = next(source)
            post_id = 1000 + n
            title = a["title"].strip() or f"خبر {n}"
            paragraphs = [p.strip() for p in re.split(r"\n+", a["body"]) if p.strip()]
            if n % 4:
                content = "\n\n".join(f"<!-- wp:paragraph -->\n<p>{p.replace('<', '&lt;')}</p>\n<!-- /wp:paragraph -->" for p in paragraphs)
                if n % 10 == 0:
                    content += "\n\n<!-- wp:heading -->\n<h2>خلفية</h2>\n<!-- /wp:heading -->\n\n<!-- wp:list -->\n<ul><li>نقطة أولى</li><li>نقطة ثانية</li></ul>\n<!-- /wp:list -->"
            else:
                content = "\n\n".join(p.replace("<", "&lt;") for p in paragraphs)
            date = datetime.fromisoformat(a["date"].replace("Z", "+00:00")).replace(tzinfo=None) + timedelta(minutes=n % 60)
            local = date + timedelta(hours=3)
            status = "draft" if n % 97 == 0 else "future" if n % 211 == 0 else "publish"
            if status == "future":
                date, local = datetime(2031, 1, 1) + timedelta(hours=n), datetime(2031, 1, 1, 3) + timedelta(hours=n)
            section = SECTIONS.get(a.get("section") or "misc", "منوعات")
            cat_slug, _ = cats[section]
            terms = f'<category domain="category" nicename="{cat_slug}">{cdata(section)}</category>'
            if n % 5 == 0:
                child = f"تقارير {section}"
                terms += f'<category domain="category" nicename="{slug(child)}">{cdata(child)}</category>'
            for tag in list(dict.fromkeys(HASHTAG.findall(a["body"])))[:4]:
                terms += f'<category domain="post_tag" nicename="{slug(tag)}">{cdata(tag.replace("_", " "))}</category>'
            comments = []
            for k in range(rng.choice([0, 0, 1, 2, 4])):
                parent = comments[-1][0] if comments and k % 2 else 0
                approved = rng.choice(["1", "1", "1", "0", "spam"])
                comments.append((comment_id, parent, approved))
                comment_id += 1
            comment_xml = "".join(
                f"<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author>{cdata('قارئ ' + str(cid))}</wp:comment_author>"
                f"<wp:comment_author_email>{cdata(f'r{cid}@bench.example')}</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url>"
                f"<wp:comment_author_IP>{cdata('192.0.2.1')}</wp:comment_author_IP><wp:comment_date>{cdata(str(local + timedelta(hours=1)))}</wp:comment_date>"
                f"<wp:comment_date_gmt>{cdata(str(date + timedelta(hours=1)))}</wp:comment_date_gmt><wp:comment_content>{cdata('تعليق على الخبر رقم ' + str(n))}</wp:comment_content>"
                f"<wp:comment_approved>{cdata(ap)}</wp:comment_approved><wp:comment_type>{cdata('comment')}</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>"
                f"<wp:comment_user_id>0</wp:comment_user_id></wp:comment>"
                for cid, parent, ap in comments
            )
            post_slug = f"{slug(title)}-{n}"
            w.write(
                f"<item><title>{cdata(title)}</title><link>https://bench.example/news/{local:%Y/%m}/{post_slug}/</link>"
                f"<dc:creator>{cdata(slug(a.get('source') or outlets[0]))}</dc:creator><guid isPermaLink=\"false\">https://bench.example/news/?p={post_id}</guid>"
                f"<description></description><content:encoded>{cdata(content)}</content:encoded><excerpt:encoded>{cdata(a.get('summary', '') if n % 3 == 0 else '')}</excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{cdata(str(local))}</wp:post_date><wp:post_date_gmt>{cdata(str(date) if status != 'draft' else '0000-00-00 00:00:00')}</wp:post_date_gmt>"
                f"<wp:post_modified>{cdata(str(local))}</wp:post_modified><wp:post_modified_gmt>{cdata(str(date))}</wp:post_modified_gmt>"
                f"<wp:comment_status>open</wp:comment_status><wp:ping_status>open</wp:ping_status><wp:post_name>{cdata(post_slug)}</wp:post_name>"
                f"<wp:status>{cdata(status)}</wp:status><wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order><wp:post_type>{cdata('post')}</wp:post_type>"
                f"<wp:post_password>{cdata('')}</wp:post_password><wp:is_sticky>{int(n % 50 == 0)}</wp:is_sticky>{terms}{comment_xml}</item>\n"
            )
        w.write("</channel></rss>\n")
    print(out, out.stat().st_size, "bytes", comment_id - 1, "comments")


if __name__ == "__main__":
    main()
