"""Streaming, hardened reader for WordPress eXtended RSS (WXR 1.0 – 1.2).

``iter_wxr(path)`` yields the channel header first (:class:`Channel`), then
authors, terms and items in document order, clearing every element once it is
read so memory stays flat however large the file is (the only thing kept is
the element being read).

Hostile XML is refused before any content is read: a document that carries a
``<!DOCTYPE`` (and so may declare entities — "billion laughs" expansion bombs,
external entities reading ``file:///etc/passwd``, XXE over the network) raises
:class:`WxrSecurityError`. WordPress never writes a DOCTYPE. The parser is
also configured not to resolve entities, not to load DTDs and not to touch the
network (``resolve_entities=False, load_dtd=False, no_network=True``), so the
refusal does not rest on one check. ``huge_tree=True`` lifts libxml2's 10 MB
limit on one text node (a long post is legitimate); it is safe because no
entity can be declared.

Malformed XML raises :class:`WxrSyntaxError` with file, line and reason.

Namespaces are matched by URI, not by prefix: ``wp:`` is any
``http(s)://wordpress.org/export/<version>/`` namespace, whatever prefix the
file binds it to, and an element whose prefix is bound elsewhere (a
"hijacked" ``wp:``) is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

WP_NS = re.compile(r"^https?://wordpress\.org/export/\d+(\.\d+)*/?$")
EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/\d+(\.\d+)*/excerpt/?$")
CONTENT_NS = {"http://purl.org/rss/1.0/modules/content/"}
DC_NS = {"http://purl.org/dc/elements/1.1/"}


class WxrError(Exception):
    """Base class: the file cannot be imported at all. ``str(err)`` is the reason."""


class WxrSecurityError(WxrError):
    """The file declares a DOCTYPE / entities (entity bomb, XXE): refused unread."""


class WxrSyntaxError(WxrError):
    """The file is not well-formed XML. ``file``, ``line`` and ``reason`` say where and why."""

    def __init__(self, file: str, line: int | None, reason: str):
        self.file, self.line, self.reason = file, line, reason
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: malformed XML: {reason}")


class WxrFormatError(WxrError):
    """Well-formed XML that is not a WordPress export (no rss/channel)."""


class WxrVersionError(WxrFormatError):
    """The channel has no ``<wp:wxr_version>`` or one that is not ``<major>.<minor>``.

    WordPress's own importer refuses such a file ("This does not appear to be a
    WXR file, missing/invalid WXR version number"), and so does akhbar: a file
    without it is an RSS feed or a hand-edited export whose fields cannot be
    trusted. ``found`` is the text found (``""`` when the element is missing).
    """

    def __init__(self, file: str, found: str):
        self.file, self.found = file, found
        what = f"invalid WXR version {found!r}" if found else "missing WXR version (<wp:wxr_version>)"
        super().__init__(
            f"{file}: not a WordPress export: {what} in the channel header; "
            "WordPress writes 1.0, 1.1 or 1.2 there"
        )


@dataclass
class Channel:
    """The export's header: which site it comes from."""

    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""


#: A WXR version as WordPress's importer accepts it (``/^\d+\.\d+$/`` in its PHP parsers, where
#: ``\d`` is ASCII only: ``١.٢`` is refused there, and here).
WXR_VERSION = re.compile(r"[0-9]+\.[0-9]+")


def check_version(channel: Channel, file: str) -> None:
    """Raise :class:`WxrVersionError` unless ``channel.wxr_version`` is ``<digits>.<digits>``.

    Versions newer than 1.2 are accepted (WordPress only warns about them): the
    reader matches the ``wp:`` namespace by URI whatever its version.
    """
    if not WXR_VERSION.fullmatch(channel.wxr_version.strip()):
        raise WxrVersionError(file, channel.wxr_version.strip())


@dataclass
class WxrAuthor:
    login: str
    id: str = ""
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class WxrTerm:
    """A category, tag or other taxonomy term (``wp:category``, ``wp:tag``, ``wp:term``)."""

    taxonomy: str  # category, post_tag, post_format, nav_menu, ...
    slug: str  # as exported: percent-encoded for non-ASCII slugs
    name: str
    id: str = ""
    parent_slug: str = ""
    description: str = ""


@dataclass
class WxrComment:
    id: int
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = "1"
    type: str = ""
    parent: int = 0
    user_id: int = 0
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class WxrItem:
    """One ``<item>``: a post, page, attachment or other post type.

    ``line`` is where it starts in the file; ``post_id`` is ``None`` when the
    item has no WordPress id (it is then reported, not imported).
    """

    line: int = 0
    title: str = ""
    link: str = ""
    pub_date: str = ""
    creator: str = ""
    guid: str = ""
    description: str = ""
    content: str = ""
    excerpt: str = ""
    post_id: int | None = None
    post_date: str = ""
    post_date_gmt: str = ""
    post_modified: str = ""
    post_modified_gmt: str = ""
    comment_status: str = ""
    ping_status: str = ""
    post_name: str = ""
    status: str = ""
    post_parent: int = 0
    menu_order: int = 0
    post_type: str = ""
    post_password: str = ""
    is_sticky: bool = False
    attachment_url: str = ""
    #: ``(domain, nicename, name)`` of each ``<category>`` element, in order.
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    #: Post meta, first value of each key (WordPress allows repeats; see ``meta_all``).
    meta: dict[str, str] = field(default_factory=dict)
    meta_all: list[tuple[str, str]] = field(default_factory=list)
    comments: list[WxrComment] = field(default_factory=list)
    #: Raw bytes of the element, for change detection (digest).
    raw_size: int = 0
    digest: str = ""


def _ns_kind(tag: str, cache: dict = {}) -> tuple[str, str]:  # noqa: B006 - deliberate memo
    """``"{uri}local"`` → ``(kind, local)`` with kind in wp/excerpt/content/dc/''/other."""
    hit = cache.get(tag)
    if hit is not None:
        return hit
    if tag[:1] == "{":
        uri, local = tag[1:].split("}", 1)
        if WP_NS.match(uri):
            kind = "wp"
        elif EXCERPT_NS.match(uri):
            kind = "excerpt"
        elif uri in CONTENT_NS:
            kind = "content"
        elif uri in DC_NS:
            kind = "dc"
        else:
            kind = "other"
    else:
        kind, local = "", tag
    if len(cache) < 10_000:
        cache[tag] = (kind, local)
    return kind, local


def _text(elem) -> str:
    """All text of an element (CDATA included), stripped of surrounding whitespace."""
    if elem is None:
        return ""
    text = elem.text or ""
    if len(elem):  # mixed content: join descendants' text
        text = "".join(elem.itertext())
    return text.strip()


def _int(value: str, default: int | None = 0) -> int | None:
    value = (value or "").strip()
    return int(value) if re.fullmatch(r"-?\d{1,18}", value) else default


def _children(elem):
    """``(kind, local, child)`` for each element child (comments/PIs skipped)."""
    for child in elem:
        if isinstance(child.tag, str):
            kind, local = _ns_kind(child.tag)
            yield kind, local, child


def _read_author(elem) -> WxrAuthor | None:
    values = {local: _text(child) for kind, local, child in _children(elem) if kind == "wp"}
    login = values.get("author_login", "")
    if not login:
        return None
    return WxrAuthor(
        login=login,
        id=values.get("author_id", ""),
        email=values.get("author_email", ""),
        display_name=values.get("author_display_name", ""),
        first_name=values.get("author_first_name", ""),
        last_name=values.get("author_last_name", ""),
    )


def _read_term(elem, local: str) -> WxrTerm | None:
    values = {name: _text(child) for kind, name, child in _children(elem) if kind == "wp"}
    if local == "category":
        term = WxrTerm("category", values.get("category_nicename", ""), values.get("cat_name", ""), values.get("term_id", ""),
                       values.get("category_parent", ""), values.get("category_description", ""))
    elif local == "tag":
        term = WxrTerm("post_tag", values.get("tag_slug", ""), values.get("tag_name", ""), values.get("term_id", ""),
                       "", values.get("tag_description", ""))
    else:
        term = WxrTerm(values.get("term_taxonomy", ""), values.get("term_slug", ""), values.get("term_name", ""),
                       values.get("term_id", ""), values.get("term_parent", ""), values.get("term_description", ""))
    if not term.slug and not term.name:
        return None
    return term


def _read_meta(elem) -> tuple[str, str] | None:
    key = value = None
    for kind, local, child in _children(elem):
        if kind != "wp":
            continue
        if local == "meta_key" and key is None:
            key = _text(child)
        elif local == "meta_value" and value is None:
            value = child.text or ""
            if len(child):
                value = "".join(child.itertext())
    if not key:
        return None
    return key, value or ""


def _read_comment(elem) -> WxrComment | None:
    values: dict[str, str] = {}
    meta: dict[str, str] = {}
    for kind, local, child in _children(elem):
        if kind != "wp":
            continue
        if local == "commentmeta":
            pair = _read_meta(child)
            if pair:
                meta.setdefault(*pair)
        elif local not in values:
            values[local] = child.text or "" if local == "comment_content" and not len(child) else _text(child)
    comment_id = _int(values.get("comment_id", ""), None)
    if comment_id is None:
        return None
    return WxrComment(
        id=comment_id,
        author=values.get("comment_author", "").strip(),
        author_email=values.get("comment_author_email", "").strip(),
        author_url=values.get("comment_author_url", "").strip(),
        author_ip=values.get("comment_author_IP", "").strip(),
        date=values.get("comment_date", "").strip(),
        date_gmt=values.get("comment_date_gmt", "").strip(),
        content=values.get("comment_content", ""),
        approved=values.get("comment_approved", "1").strip(),
        type=values.get("comment_type", "").strip(),
        parent=_int(values.get("comment_parent", "")) or 0,
        user_id=_int(values.get("comment_user_id", "")) or 0,
        meta=meta,
    )


_ITEM_WP_FIELDS = {
    "post_date", "post_date_gmt", "post_modified", "post_modified_gmt", "comment_status", "ping_status",
    "post_name", "status", "post_type", "post_password", "attachment_url",
}


def read_item(elem) -> WxrItem:
    """Build a :class:`WxrItem` from an ``<item>`` element (first value of each field wins)."""
    item = WxrItem(line=elem.sourceline or 0)
    seen: set[str] = set()
    for kind, local, child in _children(elem):
        key = (kind, local)
        if kind == "" and local == "category":
            item.terms.append((child.get("domain", ""), child.get("nicename", ""), _text(child)))
            continue
        if kind == "wp" and local == "postmeta":
            pair = _read_meta(child)
            if pair:
                item.meta_all.append(pair)
                item.meta.setdefault(*pair)
            continue
        if kind == "wp" and local == "comment":
            comment = _read_comment(child)
            if comment:
                item.comments.append(comment)
            continue
        if key in seen:
            continue
        seen.add(key)
        if kind == "":
            if local == "title":
                item.title = _text(child)
            elif local == "link":
                item.link = _text(child)
            elif local == "pubDate":
                item.pub_date = _text(child)
            elif local == "guid":
                item.guid = _text(child)
            elif local == "description":
                item.description = _text(child)
        elif kind == "content" and local == "encoded":
            item.content = "".join(child.itertext()) if len(child) else (child.text or "")
        elif kind == "excerpt" and local == "encoded":
            item.excerpt = _text(child)
        elif kind == "dc" and local == "creator":
            item.creator = _text(child)
        elif kind == "wp":
            if local == "post_id":
                item.post_id = _int(_text(child), None)
            elif local == "post_parent":
                item.post_parent = _int(_text(child)) or 0
            elif local == "menu_order":
                item.menu_order = _int(_text(child)) or 0
            elif local == "is_sticky":
                item.is_sticky = _text(child) == "1"
            elif local in _ITEM_WP_FIELDS:
                setattr(item, local, _text(child))
    return item


def _clean_message(message: str) -> str:
    """libxml2's message without its trailing ", line N, column M" (the caller reports the line)."""
    first = (message or "").strip().splitlines()[0] if (message or "").strip() else ""
    first = re.sub(r",? line \d+, column \d+\s*$", "", first)
    return (first[:300] + "…" if len(first) > 300 else first) or "syntax error"


def _doctype_line(path: Path) -> int | None:
    """Line of the first ``<!DOCTYPE`` / ``<!ENTITY`` in the prolog (first 1 MB), for the error message."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    match = re.search(rb"<!(DOCTYPE|ENTITY)", head, re.IGNORECASE)
    return head[: match.start()].count(b"\n") + 1 if match else None


def iter_wxr(path: str | Path) -> Iterator[Channel | WxrAuthor | WxrTerm | WxrItem]:
    """Stream a WXR file: :class:`Channel` first, then authors, terms and items in file order.

    Raises :class:`WxrSecurityError` (DOCTYPE present), :class:`WxrSyntaxError`
    (not well-formed; may be raised after some records were yielded — callers
    that must not act on a broken file run :func:`scan` first) or
    :class:`WxrFormatError` (not an RSS/WXR document). The channel is yielded
    when its first author, term or item is reached (or at the end).
    """
    path = Path(path)
    channel = Channel()
    channel_sent = False
    # Only the elements the reader uses are reported to Python ("end" events
    # filtered by tag); the rest is parsed in C and freed with its record.
    wanted = ["{*}item", "{*}author", "{*}category", "{*}tag", "{*}term", "{*}title", "{*}link", "{*}description",
              "{*}language", "{*}wxr_version", "{*}base_site_url", "{*}base_blog_url", "{*}channel"]
    context = etree.iterparse(
        str(path),
        events=("end",),
        tag=wanted,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
        # recover=True only so that a namespace-URI complaint (libxml2 rejects
        # IRIs such as http://ëxämplë.com/ as namespace names, though XML allows
        # them) does not stop the import; every other error is fatal: see check().
        recover=True,
    )
    checked_root = False
    seen_errors = 0

    def check():
        nonlocal seen_errors
        log = context.error_log
        if len(log) == seen_errors:
            return
        for entry in list(log)[seen_errors:]:
            if entry.domain != etree.ErrorDomains.NAMESPACE and entry.level >= etree.ErrorLevels.ERROR:
                raise WxrSyntaxError(path.name, entry.line or None, _clean_message(entry.message))
        seen_errors = len(log)

    def check_root(elem):
        # The DTD (if any) is parsed before the root element, and no entity has
        # been expanded (resolve_entities=False): refuse the document here.
        tree = elem.getroottree()
        info = tree.docinfo
        if info.doctype or info.internalDTD is not None or info.externalDTD is not None or info.system_url:
            line = _doctype_line(path)
            raise WxrSecurityError(
                f"{path.name}{':' + str(line) if line else ''}: refused: the file declares a DOCTYPE "
                "(entity declarations can expand without bound or read local files — XXE). "
                "WordPress exports never contain one."
            )
        root = tree.getroot()
        if _ns_kind(root.tag)[1] not in ("rss", "channel"):
            raise WxrFormatError(f"{path.name}: not a WordPress export (root element <{etree.QName(root).localname}>)")

    try:
        for _event, elem in context:
            if not checked_root:
                checked_root = True
                check_root(elem)
            kind, local = _ns_kind(elem.tag)
            parent = elem.getparent()
            parent_local = _ns_kind(parent.tag)[1] if parent is not None and isinstance(parent.tag, str) else ""
            if parent_local != "channel":
                continue  # handled (or ignored) when its channel-level ancestor ends
            record = None
            if kind == "" and local == "item":
                record = read_item(elem)
            elif kind == "wp" and local == "author":
                record = _read_author(elem)
            elif kind == "wp" and local in ("category", "tag", "term"):
                record = _read_term(elem, local)
            elif kind == "" and local in ("title", "link", "description", "language"):
                if not getattr(channel, local):
                    setattr(channel, local, _text(elem))
            elif kind == "wp" and local in ("wxr_version", "base_site_url", "base_blog_url"):
                if not getattr(channel, local):
                    setattr(channel, local, _text(elem))
            # Free what has been read: this element and every earlier sibling.
            elem.clear(keep_tail=False)
            while elem.getprevious() is not None:
                del parent[0]
            if record is not None:
                check()
                if not channel_sent:
                    channel_sent = True
                    check_version(channel, path.name)
                    yield channel
                yield record
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else (exc.position[0] if getattr(exc, "position", None) else None)
        raise WxrSyntaxError(path.name, line, _clean_message(exc.msg or str(exc))) from None
    check()
    if not checked_root:
        raise WxrFormatError(f"{path.name}: empty document")
    if not channel_sent:
        check_version(channel, path.name)
        yield channel
