"""The publisher logos: committed PNGs of the documented sizes, and the drawing code that made them."""

import pytest
from django.contrib.staticfiles import finders
from PIL import Image, features

from akhbar.syndication.logo import FONT_CANDIDATES, draw
from akhbar.syndication.structured import LOGO, LOGO_SQUARE


@pytest.mark.parametrize("logo", [LOGO, LOGO_SQUARE])
def test_committed_logo_matches_its_declared_size(logo):
    path = finders.find(logo["path"])
    assert path, f"{logo['path']} missing: run `akhbar draw-logo`"
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (logo["width"], logo["height"])
        assert len(image.getcolors(maxcolors=100_000)) > 2  # text was drawn, not a blank canvas
    assert LOGO["width"] <= 600 and LOGO["height"] <= 60  # Google's wide publisher logo box


def test_draw_fits_arabic_text_in_the_canvas():
    import os

    if not features.check("raqm") or not any(os.path.exists(p) for p in FONT_CANDIDATES):
        pytest.skip("needs Pillow with libraqm and an Arabic font (fonts-noto-core)")
    image = draw("أخبار", (300, 40), padding=0.1)
    assert image.size == (300, 40)
    # ink stays inside the padding box
    ink = Image.eval(image.convert("L"), lambda v: 255 if v < 200 else 0).getbbox()
    assert ink and ink[0] >= 25 and ink[2] <= 275 and ink[1] >= 2 and ink[3] <= 38
