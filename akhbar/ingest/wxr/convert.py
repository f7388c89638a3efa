"""WordPress post content → ``ArticleBodyBlock`` stream data.

Two editors, one output:

* **Classic editor** HTML is stored without paragraphs; :func:`wpautop` adds
  them as WordPress does on display, after the known shortcodes were taken
  out (``[caption]`` → figure with caption and credit, ``[gallery]`` → one
  figure per image, ``[embed]`` and a lone media URL on its own line → embed).
* **Block editor** content (``<!-- wp:... -->``) is parsed with
  :mod:`.gutenberg`; each block maps to our blocks (paragraph, heading →
  crosshead, image → figure, quote and pullquote → quote, gallery → figures,
  embed, list → paragraph list, table, separator). Container blocks
  (columns, group, cover, media-text ...) are flattened.

Everything is sanitised with nh3 (an allowlist: no script, style, event
handler, ``javascript:`` URL or iframe survives) before it is read, and each
paragraph is sanitised again with the rich-text allowlist. Unknown
shortcodes are left in place as plain text; unknown blocks keep their text.
Both are counted in :class:`ConvertStats` so the report can list them.

Images are resolved through a :class:`MediaResolver` (the importer's; a
dry run uses one that creates nothing).
"""

from __future__ import annotations

import html as html_lib
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

import nh3
from lxml import html as lxml_html

from .gutenberg import Block, parse_blocks
from .wpautop import wpautop

URL_SCHEMES = {"http", "https", "mailto", "tel"}
#: Tags allowed through the first, structural sanitising pass.
STRUCT_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "cite", "q", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "figure", "figcaption", "img", "a", "b", "strong",
    "i", "em", "u", "s", "del", "ins", "sup", "sub", "small", "mark", "code", "pre", "kbd", "abbr", "time", "span", "div",
    "section", "article", "aside", "header", "footer", "main", "center", "iframe", "address", "details", "summary",
}
STRUCT_ATTRS = {
    "a": {"href", "title"},
    "img": {"src", "alt", "class", "width", "height", "data-id", "title"},
    "iframe": {"src", "title"},
    "div": {"class"},
    "figure": {"class"},
    "ul": {"class"},
    "ol": {"start", "reversed"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite"},
}
#: What a paragraph (Wagtail rich text, ``PARAGRAPH_FEATURES``) may contain.
RICH_TAGS = {"p", "b", "i", "a", "br", "ul", "ol", "li", "sup", "sub"}
RICH_ATTRS = {"a": {"href"}}
DROPPED_TAGS = re.compile(r"<(script|style|iframe|object|embed|video|audio|form|input|button|select|textarea|svg|math|canvas)\b", re.I)
INLINE_MAP = {"strong": "b", "b": "b", "em": "i", "i": "i", "sup": "sup", "sub": "sub"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
CONTAINERS = {"div", "section", "article", "aside", "header", "footer", "main", "center", "details", "address", "summary", "dl", "dd", "dt"}
WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
#: Shortcodes WordPress core (or ubiquitous plugins) register; handled below.
KNOWN_SHORTCODES = {"caption", "wp_caption", "gallery", "embed"}
SHORTCODE = re.compile(
    r"\[(\[?)([A-Za-z][\w-]*)(?![\w-])([^\]/]*(?:/(?!\])[^\]/]*)*?)(?:(/)\]|\](?:([^\[]*(?:\[(?!/\2\])[^\[]*)*)\[/\2\])?)(\]?)",
    re.S,
)
SHORTCODE_ATTR = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*\'([^\']*)\'|([\w-]+)\s*=\s*([^\s\'"]+)')
#: Blocks whose saved HTML alone says everything (no attributes needed to convert them).
SIMPLE_BLOCKS = {"core/paragraph", "core/heading", "core/list", "core/separator", "core/quote", "core/table"}
LONE_URL = re.compile(r"^(\s*)(https?://[^\s<>\"]+)(\s*)$", re.M)


@dataclass
class ImageRef:
    """An image the importer can use: ``image_id`` (0 in a dry run) and its metadata."""

    image_id: int
    attachment_id: int | None = None
    alt: str = ""
    caption: str = ""
    credit: str = ""


class MediaResolver(Protocol):
    def image(self, attachment_id: int | None, src: str = "") -> ImageRef | None: ...

    def gallery_children(self) -> list[int]: ...


@dataclass
class ConvertStats:
    """What the conversion did that the report should tell."""

    unknown_blocks: Counter = field(default_factory=Counter)
    unknown_shortcodes: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    figures: int = 0
    figures_missing_alt: list[str] = field(default_factory=list)
    figures_missing_credit: list[str] = field(default_factory=list)
    images_unavailable: list[str] = field(default_factory=list)
    embeds: int = 0


def sanitize_rich(html: str) -> str:
    """The rich-text allowlist (second pass, on each paragraph)."""
    return nh3.clean(html, tags=RICH_TAGS, attributes=RICH_ATTRS, url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)


def text_of(html: str) -> str:
    """Plain text of an HTML fragment: tags removed, entities decoded, spaces collapsed."""
    cleaned = nh3.clean(html or "", tags=set(), clean_content_tags={"script", "style"}, strip_comments=True)
    return " ".join(html_lib.unescape(cleaned).split())


def shortcode_attrs(text: str) -> dict[str, str]:
    """``id="attachment_5" align=left`` → ``{"id": "attachment_5", "align": "left"}`` (``shortcode_parse_atts``)."""
    attrs = {}
    for match in SHORTCODE_ATTR.finditer(text or ""):
        if match.group(1):
            attrs[match.group(1).lower()] = match.group(2)
        elif match.group(3):
            attrs[match.group(3).lower()] = match.group(4)
        else:
            attrs[match.group(5).lower()] = match.group(6)
    return attrs


def embed_url(url: str) -> str | None:
    """The URL to store in an embed block when ``url`` belongs to a known oEmbed provider.

    Player URLs (``youtube.com/embed/ID``, ``player.vimeo.com/video/ID``) are
    turned into the page URL the provider's oEmbed endpoint accepts. Nothing
    is fetched: the embed is resolved when the page is first shown.
    """
    url = html_lib.unescape((url or "").strip())
    if not re.match(r"^https?://", url) or len(url) > 2000:
        return None
    parts = urlsplit(url)
    host = parts.netloc.lower()
    match = re.match(r"^/embed/([\w-]{6,})", parts.path)
    if match and host.endswith(("youtube.com", "youtube-nocookie.com")):
        return f"https://www.youtube.com/watch?v={match.group(1)}"
    match = re.match(r"^/video/(\d+)", parts.path)
    if match and host == "player.vimeo.com":
        return f"https://vimeo.com/{match.group(1)}"
    for pattern in _provider_patterns():
        if pattern.match(url):
            return url
    return None


_PATTERNS: list = []


def _provider_patterns():
    if not _PATTERNS:
        from wagtail.embeds.oembed_providers import all_providers

        for provider in all_providers:
            for pattern in provider.get("urls", []):
                _PATTERNS.append(re.compile(pattern))
    return _PATTERNS


class Converter:
    """Converts the content of one post. Create one per post (it carries the stats).

    ``site_base`` (``https://example.com/news``) makes links to the old site
    site-relative (``/news/2018/...``) so that they reach the redirects once
    the domain points to akhbar; ``default_credit`` fills figures that have
    none (empty: leave empty and count them).
    """

    def __init__(self, resolver: MediaResolver, site_base: str = "", default_credit: str = ""):
        self.resolver = resolver
        self.stats = ConvertStats()
        self.default_credit = default_credit
        self.token = secrets.token_hex(6)
        self.placeholders: dict[str, list[dict]] = {}
        base = urlsplit(site_base or "")
        self.site_host = base.netloc.lower()

    # ------------------------------------------------------------------ entry
    def convert(self, content: str) -> list[dict]:
        """Return stream data (``[{"type": ..., "value": ...}]``) for ``content``."""
        content = (content or "").replace("\x00", "")
        if "<!-- wp:" in content:
            blocks = []
            pending: list[str] = []  # consecutive simple blocks are sanitised and walked together
            for block in parse_blocks(content):
                if block.name in SIMPLE_BLOCKS and not block.inner_blocks:
                    pending.append(block.inner_html)
                    continue
                if pending:
                    blocks.extend(self.html("\n".join(pending)))
                    pending = []
                blocks.extend(self.block(block))
            if pending:
                blocks.extend(self.html("\n".join(pending)))
        else:
            blocks = self.classic(content)
        return [b for b in blocks if b]

    # --------------------------------------------------------- block editor
    def block(self, block: Block) -> list[dict]:
        name = block.name
        if name is None or name in ("core/freeform", "core/shortcode"):
            return self.classic(block.inner_html)
        short = name.split("/", 1)[1] if name.startswith("core/") else name
        if name.startswith("core-embed/") or short == "embed":
            url = block.attrs.get("url") or text_of(block.inner_html)
            return self.embed_or_link(url)
        if short in ("paragraph", "heading", "list", "quote", "pullquote", "table", "image", "html", "cover", "media-text"):
            hint = block.attrs.get("id") if short == "image" else None
            if short in ("list", "quote", "pullquote") and block.inner_blocks:
                # WordPress 6 nests list items / quote paragraphs as inner blocks: rebuild the HTML.
                return self.html(_flatten_html(block), attachment_hint=hint)
            return self.html(block.inner_html, attachment_hint=hint)
        if short == "gallery":
            if block.inner_blocks:
                caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>\s*</figure>\s*$", block.inner_html, re.S)
                out = [b for inner in block.inner_blocks for b in self.block(inner)]
                if caption and text_of(caption.group(1)):
                    out.append(self.paragraph_from_text(text_of(caption.group(1))))
                return out
            ids = [i for i in block.attrs.get("ids", []) if isinstance(i, int)]
            if ids and "<img" not in block.inner_html:
                return [f for i in ids if (f := self.figure_for(i, "", gallery=True))]
            return self.html(block.inner_html)
        if short == "separator":
            return [{"type": "separator", "value": None}]
        if short in ("more", "nextpage", "spacer"):
            return []
        if short in ("code", "preformatted", "verse"):
            text = _pre_text(block.inner_html)
            return [self.paragraph_from_text(text, keep_lines=True)] if text.strip() else []
        if block.inner_blocks:  # containers: columns, group, cover, media-text, buttons ...
            if short not in ("columns", "column", "group", "cover", "media-text", "buttons", "button", "row", "stack"):
                self.stats.unknown_blocks[name] += 1
            out = []
            for part in block.parts:
                out.extend(self.block(part) if isinstance(part, Block) else self.html(part))
            return out
        if short in ("button", "video", "audio", "file"):
            if short in ("video", "audio"):
                self.stats.dropped[short] += 1
            return self.html(block.inner_html)
        self.stats.unknown_blocks[name] += 1
        return self.html(block.inner_html)  # keep its text (safe), if it has any

    # ------------------------------------------------------- classic editor
    def classic(self, content: str) -> list[dict]:
        content = self.take_shortcodes(content)
        content = LONE_URL.sub(self._lone_url, content)
        return self.html(wpautop(content))

    def _placeholder(self, blocks: list[dict]) -> str:
        key = f"{self.token}-{len(self.placeholders)}"
        self.placeholders[key] = blocks
        return f'\n\n<div class="akhbar-ph-{key}"></div>\n\n'

    def _lone_url(self, match) -> str:
        url = embed_url(match.group(2))
        if not url:
            return match.group(0)
        self.stats.embeds += 1
        return self._placeholder([{"type": "embed", "value": url}])

    def take_shortcodes(self, content: str) -> str:
        """Replace known shortcodes by placeholders; count unknown ones (left as text)."""

        def replace(match):
            if match.group(1) == "[" and match.group(6) == "]":  # [[escaped]] is literal text
                return match.group(0)[1:-1]
            name = match.group(2).lower()
            attrs = shortcode_attrs(match.group(3))
            inner = match.group(5) or ""
            if name in ("caption", "wp_caption"):
                return self._placeholder(self.caption_shortcode(attrs, inner))
            if name == "gallery":
                return self._placeholder(self.gallery_shortcode(attrs))
            if name == "embed":
                return self._placeholder(self.embed_or_link(inner.strip() or attrs.get("src", "")))
            self.stats.unknown_shortcodes[name] += 1
            return match.group(0)

        if "[" not in content:
            return content
        return SHORTCODE.sub(replace, content)

    def caption_shortcode(self, attrs: dict, inner: str) -> list[dict]:
        fragment = lxml_html.fragment_fromstring(nh3.clean(inner, tags=STRUCT_TAGS, attributes=STRUCT_ATTRS, url_schemes=URL_SCHEMES, link_rel=None) or " ", create_parent="div")
        img = next(fragment.iter("img"), None)
        caption = attrs.get("caption", "")
        if img is not None:
            # The caption is the shortcode's text once the image (and its link) is taken out.
            holder = img.getparent() if img.getparent() is not None and img.getparent().tag == "a" and img.getparent() is not fragment else img
            holder.drop_tree() if holder is not fragment else None
            caption = caption or " ".join(fragment.text_content().split())
        match = re.match(r"attachment_(\d+)$", attrs.get("id", ""))
        hint = int(match.group(1)) if match else None
        if img is None:
            return [self.paragraph_from_text(caption)] if caption else []
        figure = self.figure_from_img(img, caption=caption, attachment_hint=hint)
        return [figure] if figure else []

    def gallery_shortcode(self, attrs: dict) -> list[dict]:
        raw = attrs.get("ids") or attrs.get("include") or ""
        ids = [int(x) for x in re.findall(r"\d+", raw)]
        if not ids:
            ids = self.resolver.gallery_children()
        return [f for i in ids if (f := self.figure_for(i, "", gallery=True))]

    # -------------------------------------------------------------- HTML walk
    def html(self, html: str, attachment_hint=None) -> list[dict]:
        """Sanitise an HTML fragment and turn its top-level structure into blocks."""
        if not html or not html.strip():
            return []
        for match in DROPPED_TAGS.finditer(html):
            self.stats.dropped[match.group(1).lower()] += 1
        clean = nh3.clean(
            html,
            tags=STRUCT_TAGS,
            attributes=STRUCT_ATTRS,
            url_schemes=URL_SCHEMES,
            link_rel=None,
            strip_comments=True,
            clean_content_tags={"script", "style", "textarea", "select", "option"},
        )
        if not clean.strip():
            return []
        root = lxml_html.fragment_fromstring(clean, create_parent="div")
        self._hint = attachment_hint
        out: list[dict] = []
        self.walk(root, out)
        return out

    def walk(self, container, out: list[dict]):
        buffer: list = []  # inline nodes / text of the paragraph being built

        def flush():
            if buffer:
                html = "".join(self.inline(n) if not isinstance(n, str) else html_lib.escape(n, quote=False) for n in buffer)
                buffer.clear()
                if html.strip() and html.replace("<br/>", "").strip():
                    out.append(self.paragraph(f"<p>{html.strip()}</p>"))

        if container.text:
            buffer.append(container.text)
        for node in container:
            tag = node.tag if isinstance(node.tag, str) else ""
            tail = node.tail
            if tag in INLINE_MAP or tag in ("a", "span", "u", "s", "del", "ins", "small", "mark", "code", "kbd", "abbr", "time", "q", "cite", "br"):
                if tag != "br" and any(True for _ in node.iter("img")):
                    flush()
                    self.with_images(node, out)
                else:
                    buffer.append(node)
            else:
                flush()
                self.block_element(node, tag, out)
            if tail:
                buffer.append(tail)
        flush()

    def block_element(self, node, tag: str, out: list[dict]):
        classes = node.get("class", "")
        if "akhbar-ph-" in classes:
            key = classes.split("akhbar-ph-", 1)[1].split()[0]
            out.extend(self.placeholders.pop(key, []))
            return
        if tag == "p":
            if any(True for _ in node.iter("img")):
                self.with_images(node, out)
            else:
                html = self.inline_children(node)
                if html.strip():
                    out.append(self.paragraph(f"<p>{html.strip()}</p>"))
        elif tag in HEADINGS:
            text = " ".join(node.text_content().split())
            if text:
                out.append({"type": "crosshead", "value": text[:255]})
        elif tag == "blockquote":
            out.append(self.quote(node)) if " ".join(node.text_content().split()) else None
        elif tag in ("ul", "ol"):
            if any(True for _ in node.iter("img")):
                for img in list(node.iter("img")):
                    figure = self.figure_from_img(img, caption=_figcaption_near(img))
                    if figure:
                        out.append(figure)
            else:
                html = self.list_html(node)
                if html:
                    out.append(self.paragraph(html))
        elif tag == "table":
            table = self.table(node)
            if table:
                out.append(table)
        elif tag == "figure":
            self.figure_element(node, out)
        elif tag == "img":
            figure = self.figure_from_img(node, attachment_hint=self._hint)
            if figure:
                out.append(figure)
        elif tag == "hr":
            out.append({"type": "separator", "value": None})
        elif tag == "pre":
            text = node.text_content()
            if text.strip():
                out.append(self.paragraph_from_text(text, keep_lines=True))
        elif tag == "iframe":
            url = embed_url(node.get("src", ""))
            if url:
                self.stats.embeds += 1
                out.append({"type": "embed", "value": url})
        elif tag in ("li", "figcaption", "caption", "thead", "tbody", "tfoot", "tr", "td", "th") or tag in CONTAINERS or tag:
            self.walk(node, out)

    def figure_element(self, node, out: list[dict]):
        classes = node.get("class", "")
        imgs = list(node.iter("img"))
        if "wp-block-embed" in classes:
            wrapper = " ".join(node.text_content().split())
            urls = re.findall(r"https?://\S+", wrapper)
            if urls:
                out.extend(self.embed_or_link(urls[0]))
                return
        if len(imgs) == 1:
            caption_el = next(node.iter("figcaption"), None)
            caption = " ".join(caption_el.text_content().split()) if caption_el is not None else ""
            figure = self.figure_from_img(imgs[0], caption=caption, attachment_hint=self._hint)
            if figure:
                out.append(figure)
            return
        if len(imgs) > 1:
            for img in imgs:
                figure = self.figure_from_img(img, caption=_figcaption_near(img))
                if figure:
                    out.append(figure)
            return
        quote = next(node.iter("blockquote"), None)
        if quote is not None:
            out.append(self.quote(quote))
            return
        table = next(node.iter("table"), None)
        if table is not None:
            block = self.table(table, caption_el=next(node.iter("figcaption"), None))
            if block:
                out.append(block)
            return
        self.walk(node, out)

    def with_images(self, node, out: list[dict]):
        """A paragraph holding images: the figures, then the text without them."""
        imgs = list(node.iter("img"))
        text_first = bool((node.text or "").strip()) and node.tag != "img"
        figures = []
        for img in imgs:
            figure = self.figure_from_img(img, attachment_hint=self._hint if len(imgs) == 1 else None)
            if figure:
                figures.append(figure)
            holder = img
            parent = img.getparent()
            if parent is not None and parent.tag == "a" and not " ".join(parent.text_content().split()) and len(parent) == 1:
                holder = parent
            if holder is node:
                continue
            holder.drop_tree()
        html = self.inline_children(node) if node.tag in ("p", "div") else self.inline(node)
        paragraph = self.paragraph(f"<p>{html.strip()}</p>") if html.replace("<br/>", "").strip() else None
        if paragraph and text_first:
            out.append(paragraph)
        out.extend(figures)
        if paragraph and not text_first:
            out.append(paragraph)

    # ------------------------------------------------------------- elements
    def inline(self, node) -> str:
        """Serialise an inline element with only rich-text tags (others unwrapped)."""
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "br":
            return "<br/>"
        inner = self.inline_children(node)
        if tag in INLINE_MAP and inner.strip():
            name = INLINE_MAP[tag]
            return f"<{name}>{inner}</{name}>"
        if tag == "a" and node.get("href") and inner.strip():
            href = self.local_href(node.get("href"))
            return f'<a href="{html_lib.escape(href, quote=True)}">{inner}</a>'
        return inner

    def inline_children(self, node) -> str:
        parts = [html_lib.escape(node.text or "", quote=False)]
        for child in node:
            if isinstance(child.tag, str):
                if child.tag in ("ul", "ol"):
                    parts.append(self.list_html(child))
                else:
                    parts.append(self.inline(child))
            parts.append(html_lib.escape(child.tail or "", quote=False))
        return "".join(parts)

    def list_html(self, node) -> str:
        items = []
        for li in node:
            if isinstance(li.tag, str) and li.tag == "li":
                inner = self.inline_children(li).strip()
                if inner:
                    items.append(f"<li>{inner}</li>")
        if not items:
            return ""
        tag = "ol" if node.tag == "ol" else "ul"
        return f"<{tag}>{''.join(items)}</{tag}>"

    def local_href(self, href: str) -> str:
        """Links to the old site become site-relative so they reach the redirects."""
        href = href.strip()
        if self.site_host:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https") and parts.netloc.lower() == self.site_host:
                return (parts.path or "/") + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        return href

    def paragraph(self, html: str) -> dict:
        return {"type": "paragraph", "value": sanitize_rich(html)}

    def paragraph_from_text(self, text: str, keep_lines: bool = False) -> dict:
        if keep_lines:
            lines = [html_lib.escape(line, quote=False) for line in text.strip("\n").split("\n")]
            return self.paragraph("<p>" + "<br/>".join(lines) + "</p>")
        return self.paragraph(f"<p>{html_lib.escape(text, quote=False)}</p>")

    def quote(self, node) -> dict:
        attribution = ""
        for cite in list(node.iter("cite")):
            attribution = attribution or " ".join(cite.text_content().split())
            cite.drop_tree()
        paragraphs = [" ".join(p.text_content().split()) for p in node.iter("p")]
        text = "\n".join(p for p in paragraphs if p) or " ".join(node.text_content().split())
        return {"type": "quote", "value": {"text": text, "attribution": attribution[:255]}}

    def table(self, node, caption_el=None) -> dict | None:
        rows, header_row, header_col = [], False, True
        caption = node.find("caption")
        caption_text = " ".join((caption if caption is not None else caption_el).text_content().split()) if (caption is not None or caption_el is not None) else ""
        for tr in node.iter("tr"):
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            if not cells:
                continue
            if not rows:
                parent = tr.getparent()
                header_row = (parent is not None and parent.tag == "thead") or all(c.tag == "th" for c in cells)
            header_col = header_col and cells[0].tag == "th"
            rows.append([" ".join(c.text_content().split()) for c in cells])
        if not rows:
            return None
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        if len(rows) > 1 and header_row:
            header_col = header_col and all(True for _ in rows)
        return {
            "type": "table",
            "value": {
                "data": rows,
                "first_row_is_table_header": header_row,
                "first_col_is_header": header_col and not header_row,
                "table_caption": caption_text[:255],
            },
        }

    def embed_or_link(self, url: str) -> list[dict]:
        url = (url or "").strip()
        target = embed_url(url)
        if target:
            self.stats.embeds += 1
            return [{"type": "embed", "value": target}]
        if re.match(r"^https?://", url):
            self.stats.unknown_blocks["embed (unknown provider)"] += 1
            safe = html_lib.escape(url, quote=True)
            return [self.paragraph(f'<p><a href="{safe}">{safe}</a></p>')]
        return []

    # --------------------------------------------------------------- figures
    def figure_from_img(self, img, caption: str = "", attachment_hint=None) -> dict | None:
        src = img.get("src", "")
        attachment_id = attachment_hint if isinstance(attachment_hint, int) else None
        if attachment_id is None:
            match = WP_IMAGE_CLASS.search(img.get("class", ""))
            if match:
                attachment_id = int(match.group(1))
            elif (img.get("data-id") or "").isdigit():
                attachment_id = int(img.get("data-id"))
        alt = " ".join((img.get("alt") or "").split())
        return self.figure_for(attachment_id, src, caption=caption, alt=alt)

    def figure_for(self, attachment_id, src: str, caption: str = "", alt: str = "", gallery: bool = False) -> dict | None:
        ref = self.resolver.image(attachment_id, src)
        label = f"attachment {attachment_id}" if attachment_id else (src or "image")
        if ref is None:
            self.stats.images_unavailable.append(label)
            return None
        self.stats.figures += 1
        alt = alt or ref.alt
        if gallery and not caption:
            caption = ref.caption
        credit = ref.credit or self.default_credit
        if not alt:
            self.stats.figures_missing_alt.append(label)
        if not credit:
            self.stats.figures_missing_credit.append(label)
        return {
            "type": "figure",
            "value": {"image": ref.image_id, "alt_text": alt[:500], "decorative": False, "caption": caption[:1000], "credit": credit[:255]},
        }


def _flatten_html(block: Block) -> str:
    """A block's full HTML with its inner blocks' HTML put back in place."""
    return "".join(_flatten_html(p) if isinstance(p, Block) else p for p in block.parts)


def _figcaption_near(img) -> str:
    """The caption of a gallery image: the ``figcaption`` of its own ``figure``/``li``."""
    parent = img.getparent()
    while parent is not None and parent.tag not in ("figure", "li"):
        parent = parent.getparent()
    if parent is None:
        return ""
    caption = next(parent.iter("figcaption"), None)
    return " ".join(caption.text_content().split()) if caption is not None else ""


def _pre_text(html: str) -> str:
    html = re.sub(r"<br\s*/?>", "\n", html or "", flags=re.I)
    cleaned = nh3.clean(html, tags=set(), strip_comments=True)
    return html_lib.unescape(cleaned).strip("\n")


def excerpt_text(excerpt: str, limit: int = 600) -> str:
    """A standfirst from a WordPress excerpt: plain text, at most ``limit`` characters."""
    text = text_of(excerpt)
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    return text


def first_sentences(text: str, limit: int = 300) -> str:
    """The first sentence(s) of ``text`` within ``limit`` characters, cut between words."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.!؟?])\s", text)
    out = ""
    for sentence in sentences:
        if len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    return out or text[:limit].rsplit(" ", 1)[0] + "…"


def plain_title(title: str) -> str:
    """A headline from a WordPress title: tags stripped, entities decoded, spaces collapsed."""
    return text_of(title)


def query_post_id(url: str) -> int | None:
    """``https://site/?p=12`` → 12."""
    values = parse_qs(urlsplit(url).query)
    for key in ("p", "page_id", "attachment_id"):
        if values.get(key, [""])[0].isdigit():
            return int(values[key][0])
    return None


__all__ = ["Converter", "ConvertStats", "ImageRef", "embed_url", "excerpt_text", "first_sentences", "plain_title", "sanitize_rich", "text_of"]
