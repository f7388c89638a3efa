"""Demo photographs drawn with Pillow: simple scenes, deterministic per name."""

import hashlib
import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = (1600, 900)


def _palette(seed: int):
    rnd = random.Random(seed)
    base = rnd.random()
    def colour(shift, light):
        import colorsys
        r, g, b = colorsys.hls_to_rgb((base + shift) % 1.0, light, 0.55)
        return int(r * 255), int(g * 255), int(b * 255)
    return [colour(s, l) for s, l in ((0, 0.8), (0.05, 0.6), (0.5, 0.35), (0.55, 0.2), (0.1, 0.5))]


def draw_scene(name: str, kind: str = "city") -> bytes:
    """Return a JPEG (1600×900) of a drawn scene: ``city``, ``field``, ``sea``, ``hall`` or ``chart``."""
    seed = int(hashlib.sha256(name.encode()).hexdigest()[:8], 16)
    rnd = random.Random(seed)
    sky, mid, dark, darker, accent = _palette(seed)
    img = Image.new("RGB", SIZE, sky)
    d = ImageDraw.Draw(img)
    w, h = SIZE
    for y in range(h // 2):  # sky gradient
        t = y / (h / 2)
        d.line([(0, y), (w, y)], fill=tuple(int(sky[i] * (1 - t) + mid[i] * t) for i in range(3)))
    d.ellipse([w * 0.7, h * 0.08, w * 0.7 + 140, h * 0.08 + 140], fill=(255, 236, 170))
    if kind == "city":
        x = 0
        while x < w:
            bw, bh = rnd.randint(70, 180), rnd.randint(180, 560)
            d.rectangle([x, h - bh, x + bw, h], fill=darker if rnd.random() < 0.5 else dark)
            for wy in range(h - bh + 20, h - 20, 40):
                for wx in range(x + 12, x + bw - 20, 30):
                    if rnd.random() < 0.45:
                        d.rectangle([wx, wy, wx + 12, wy + 18], fill=(250, 220, 120))
            x += bw + rnd.randint(0, 14)
    elif kind == "field":
        d.rectangle([0, h * 0.55, w, h], fill=(70, 130, 60))
        d.rectangle([w * 0.1, h * 0.62, w * 0.9, h * 0.95], outline=(240, 240, 240), width=6)
        d.line([(w / 2, h * 0.62), (w / 2, h * 0.95)], fill=(240, 240, 240), width=6)
        d.ellipse([w / 2 - 90, h * 0.785 - 90, w / 2 + 90, h * 0.785 + 90], outline=(240, 240, 240), width=6)
    elif kind == "sea":
        for i in range(12):
            y = h * 0.5 + i * 38
            d.line([(x, y + 10 * math.sin(x / 60 + i)) for x in range(0, w + 20, 20)], fill=dark, width=8)
        d.polygon([(w * 0.3, h * 0.55), (w * 0.45, h * 0.55), (w * 0.42, h * 0.62), (w * 0.33, h * 0.62)], fill=darker)
    elif kind == "hall":
        d.rectangle([0, h * 0.6, w, h], fill=darker)
        for i in range(8):
            cx = w * (i + 0.5) / 8
            d.rectangle([cx - 30, h * 0.25, cx + 30, h * 0.6], fill=mid)
        d.rectangle([w * 0.35, h * 0.5, w * 0.65, h * 0.62], fill=accent)
    else:  # chart
        d.rectangle([0, 0, w, h], fill=(245, 245, 240))
        values = [rnd.randint(20, 90) for _ in range(12)]
        for i, v in enumerate(values):
            d.rectangle([120 + i * 115, h - 100 - v * 7, 200 + i * 115, h - 100], fill=dark)
        d.line([(100, h - 100), (w - 80, h - 100)], fill=(40, 40, 40), width=4)
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()
