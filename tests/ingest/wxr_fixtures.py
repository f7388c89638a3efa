"""Small WXR documents built in code, one rule at a time (no third-party text)."""

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

NS = """xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/\""""


def cdata(text: str) -> str:
    return "<![CDATA[" + (text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Comment:
    id: int
    content: str = "تعليق"
    parent: int = 0
    approved: str = "1"
    author: str = "قارئ"
    email: str = "reader@example.test"
    ip: str = "192.0.2.7"
    type: str = "comment"
    date: str = "2020-01-02 13:00:00"
    date_gmt: str = "2020-01-02 10:00:00"
    url: str = "https://example.test/"

    def xml(self) -> str:
        return f"""<wp:comment><wp:comment_id>{self.id}</wp:comment_id><wp:comment_author>{cdata(self.author)}</wp:comment_author>
<wp:comment_author_email>{cdata(self.email)}</wp:comment_author_email><wp:comment_author_url>{cdata(self.url)}</wp:comment_author_url>
<wp:comment_author_IP>{cdata(self.ip)}</wp:comment_author_IP><wp:comment_date>{cdata(self.date)}</wp:comment_date>
<wp:comment_date_gmt>{cdata(self.date_gmt)}</wp:comment_date_gmt><wp:comment_content>{cdata(self.content)}</wp:comment_content>
<wp:comment_approved>{cdata(self.approved)}</wp:comment_approved><wp:comment_type>{cdata(self.type)}</wp:comment_type>
<wp:comment_parent>{self.parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>"""


@dataclass
class Post:
    id: int
    title: str = "عنوان"
    content: str = "<!-- wp:paragraph -->\n<p>نص الخبر.</p>\n<!-- /wp:paragraph -->"
    slug: str = ""
    status: str = "publish"
    type: str = "post"
    date: str = "2020-01-01 12:00:00"
    date_gmt: str = "2020-01-01 09:00:00"
    modified: str = ""
    modified_gmt: str = ""
    creator: str = "editor"
    excerpt: str = ""
    password: str = ""
    sticky: bool = False
    parent: int = 0
    menu_order: int = 0
    link: str = ""
    categories: list = field(default_factory=list)  # (nicename, name)
    tags: list = field(default_factory=list)  # (nicename, name)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)
    attachment_url: str = ""

    def xml(self, base: str) -> str:
        terms = "".join(f'<category domain="category" nicename="{escape(n)}">{cdata(t)}</category>' for n, t in self.categories)
        terms += "".join(f'<category domain="post_tag" nicename="{escape(n)}">{cdata(t)}</category>' for n, t in self.tags)
        meta = "".join(f"<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key><wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>" for k, v in self.meta.items())
        link = self.link or (f"{base}/{self.date[:4]}/{self.date[5:7]}/{self.slug}/" if self.slug else f"{base}/?p={self.id}")
        att = f"<wp:attachment_url>{cdata(self.attachment_url)}</wp:attachment_url>" if self.attachment_url else ""
        return f"""<item><title>{cdata(self.title)}</title><link>{escape(link)}</link><pubDate>Wed, 01 Jan 2020 09:00:00 +0000</pubDate>
<dc:creator>{cdata(self.creator)}</dc:creator><guid isPermaLink="false">{escape(base)}/?p={self.id}</guid><description></description>
<content:encoded>{cdata(self.content)}</content:encoded><excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>
<wp:post_id>{self.id}</wp:post_id><wp:post_date>{cdata(self.date)}</wp:post_date><wp:post_date_gmt>{cdata(self.date_gmt)}</wp:post_date_gmt>
<wp:post_modified>{cdata(self.modified or self.date)}</wp:post_modified><wp:post_modified_gmt>{cdata(self.modified_gmt or self.date_gmt)}</wp:post_modified_gmt>
<wp:comment_status>open</wp:comment_status><wp:ping_status>open</wp:ping_status><wp:post_name>{cdata(self.slug)}</wp:post_name>
<wp:status>{cdata(self.status)}</wp:status><wp:post_parent>{self.parent}</wp:post_parent><wp:menu_order>{self.menu_order}</wp:menu_order>
<wp:post_type>{cdata(self.type)}</wp:post_type><wp:post_password>{cdata(self.password)}</wp:post_password><wp:is_sticky>{int(self.sticky)}</wp:is_sticky>
{att}{terms}{meta}{"".join(c.xml() for c in self.comments)}</item>"""


def attachment(id: int, file: str, base: str = "https://old.example", parent: int = 0, alt: str = "", caption: str = "", credit_meta: str = "", title: str = "صورة") -> Post:
    meta = {"_wp_attached_file": file}
    if alt:
        meta["_wp_attachment_image_alt"] = alt
    if credit_meta:
        length = len(credit_meta.encode())
        meta["_wp_attachment_metadata"] = f'a:1:{{s:10:"image_meta";a:1:{{s:6:"credit";s:{length}:"{credit_meta}";}}}}'
    return Post(id=id, title=title, type="attachment", status="inherit", content="", excerpt=caption, parent=parent,
                slug=f"attachment-{id}", link=f"{base}/?attachment_id={id}", meta=meta,
                attachment_url=f"{base}/wp-content/uploads/{file}")


def wxr(items=(), *, base: str = "https://old.example", authors=(("editor", "محرر الموقع", "editor@example.test"),),
        categories=(), tags=(), title: str = "موقع قديم") -> str:
    """A WXR 1.2 document. ``categories``: (nicename, name, parent nicename); ``tags``: (slug, name)."""
    head = "".join(
        f"<wp:author><wp:author_id>{i + 1}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login><wp:author_email>{cdata(email)}</wp:author_email>"
        f"<wp:author_display_name>{cdata(name)}</wp:author_display_name><wp:author_first_name>{cdata('')}</wp:author_first_name><wp:author_last_name>{cdata('')}</wp:author_last_name></wp:author>"
        for i, (login, name, email) in enumerate(authors)
    )
    head += "".join(
        f"<wp:category><wp:term_id>{10 + i}</wp:term_id><wp:category_nicename>{cdata(n)}</wp:category_nicename>"
        f"<wp:category_parent>{cdata(p)}</wp:category_parent><wp:cat_name>{cdata(t)}</wp:cat_name></wp:category>"
        for i, (n, t, p) in enumerate(categories)
    )
    head += "".join(
        f"<wp:tag><wp:term_id>{100 + i}</wp:term_id><wp:tag_slug>{cdata(s)}</wp:tag_slug><wp:tag_name>{cdata(t)}</wp:tag_name></wp:tag>"
        for i, (s, t) in enumerate(tags)
    )
    body = "".join(item.xml(base) for item in items)
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" {NS}>
<channel><title>{cdata(title)}</title><link>{escape(base)}</link><language>ar</language><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{escape(base)}</wp:base_site_url><wp:base_blog_url>{escape(base)}</wp:base_blog_url>
{head}
{body}
</channel></rss>
"""


def write(tmp_path, text: str, name: str = "export.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
