"""Draw the publisher logo used in structured data and share cards (Pillow).

``akhbar draw-logo`` writes ``static/syndication/logo.png`` (600×60, the
wide publisher logo of Google's article guidance: text on a plain
background, at most 600×60) and ``logo-square.png`` (512×512, for
``og:image`` of the home page and organisation logos). The committed files
were drawn with the site name «أخبار»; redraw them after renaming the site.

Arabic text needs a font with Arabic glyphs and Pillow built with libraqm
(shaping and right-to-left order); :func:`find_font` looks for Noto Kufi /
Naskh Arabic, as shipped by Debian's ``fonts-noto-core``.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from .structured import LOGO, LOGO_SQUARE

STATIC_DIR = Path(__file__).resolve().parent / "static"
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/noto/NotoKufiArabic-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf",
    "/usr/share/fonts/truetype/kacst/KacstNaskh.ttf",
]
INK = (140, 20, 30)  # the site's accent red
PAPER = (255, 255, 255)


def find_font(candidates=FONT_CANDIDATES) -> str:
    """Path of the first installed Arabic font; raises ``RuntimeError`` when none is."""
    for candidate in candidates:
        if Path(candidate).exists():
            return candidate
    raise RuntimeError("no Arabic font found: install fonts-noto-core")


def _fit_font(font_path: str, text: str, box: tuple[int, int]) -> ImageFont.FreeTypeFont:
    size = box[1]
    while size > 8:
        font = ImageFont.truetype(font_path, size, layout_engine=ImageFont.Layout.RAQM)
        left, top, right, bottom = font.getbbox(text, direction="rtl", language="ar")
        if right - left <= box[0] and bottom - top <= box[1]:
            return font
        size -= 2
    return ImageFont.truetype(font_path, size, layout_engine=ImageFont.Layout.RAQM)


def draw(text: str, size: tuple[int, int], *, padding: float = 0.12, background=PAPER, ink=INK, font_path: str | None = None) -> Image.Image:
    """``text`` centred on a ``size`` canvas, as large as fits within ``padding`` (fraction of each side)."""
    if not features.check("raqm"):
        raise RuntimeError("Pillow lacks libraqm: Arabic would be drawn unshaped")
    font_path = font_path or find_font()
    width, height = size
    box = (int(width * (1 - 2 * padding)), int(height * (1 - 2 * padding)))
    font = _fit_font(font_path, text, box)
    image = Image.new("RGB", size, background)
    canvas = ImageDraw.Draw(image)
    left, top, right, bottom = font.getbbox(text, direction="rtl", language="ar")
    x = (width - (right - left)) / 2 - left
    y = (height - (bottom - top)) / 2 - top
    canvas.text((x, y), text, font=font, fill=ink, direction="rtl", language="ar")
    return image


def draw_logos(text: str, out_dir: Path = STATIC_DIR / "syndication") -> list[Path]:
    """Write the wide and square logos for ``text``; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    wide = draw(text, (LOGO["width"], LOGO["height"]), padding=0.1)
    path = out_dir / Path(LOGO["path"]).name
    wide.save(path, "PNG", optimize=True)
    written.append(path)
    square = draw(text, (LOGO_SQUARE["width"], LOGO_SQUARE["height"]), padding=0.18, background=INK, ink=PAPER)
    path = out_dir / Path(LOGO_SQUARE["path"]).name
    square.save(path, "PNG", optimize=True)
    written.append(path)
    return written
