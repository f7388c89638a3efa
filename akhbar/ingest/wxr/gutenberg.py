"""The block editor's serialisation grammar (``parse_blocks`` in WordPress).

Posts written with the block editor store HTML interleaved with comment
delimiters::

    <!-- wp:image {"id":89} --><figure>...</figure><!-- /wp:image -->
    <!-- wp:separator /-->

:func:`parse_blocks` turns that into a tree of :class:`Block`. Text outside
any block (content from the classic editor) becomes a block with
``name=None`` ("freeform"). A closer without an opener is kept as text; an
opener without a closer ends at the end of the document.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

# WP_Block_Parser::next_token's pattern, with the same possessive attribute match.
TOKEN = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<namespace>[a-z][a-z0-9_-]*/)?(?P<name>[a-z][a-z0-9_-]*)\s+"
    r"(?P<attrs>\{(?:(?:[^}]+|\}+(?=\})|(?!\}\s+/?-->).)*+)?\}\s+)?(?P<void>/)?-->",
    re.S,
)


@dataclass
class Block:
    """A parsed block: ``name`` like ``core/paragraph`` (``None`` for freeform HTML).

    ``parts`` keeps the block's own HTML strings and its inner blocks in order.
    """

    name: str | None
    attrs: dict = field(default_factory=dict)
    parts: list = field(default_factory=list)

    @property
    def inner_blocks(self) -> list[Block]:
        return [p for p in self.parts if isinstance(p, Block)]

    @property
    def inner_html(self) -> str:
        """The block's own HTML, inner blocks left out."""
        return "".join(p for p in self.parts if isinstance(p, str))


def _attrs(raw: str | None) -> dict:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def parse_blocks(document: str) -> list[Block]:
    """Parse block-editor content into top-level blocks (see module doc)."""
    output: list[Block] = []
    stack: list[Block] = []
    pos = 0

    def add_html(html: str):
        if not html:
            return
        if stack:
            stack[-1].parts.append(html)
        elif html.strip():
            output.append(Block(None, {}, [html]))

    def add_block(block: Block):
        (stack[-1].parts if stack else output).append(block)

    for match in TOKEN.finditer(document):
        add_html(document[pos : match.start()])
        pos = match.end()
        name = (match.group("namespace") or "core/") + match.group("name")
        if match.group("closer"):
            if stack and stack[-1].name == name:
                add_block(stack.pop())
            elif any(b.name == name for b in stack):
                while stack and stack[-1].name != name:  # close unterminated inner blocks
                    add_block(stack.pop())
                add_block(stack.pop())
            else:
                add_html(match.group(0))  # stray closer: keep as text
        elif match.group("void"):
            add_block(Block(name, _attrs(match.group("attrs"))))
        else:
            stack.append(Block(name, _attrs(match.group("attrs"))))
    add_html(document[pos:])
    while stack:
        block = stack.pop()
        add_block(block)
    return output
