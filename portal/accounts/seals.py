"""Demo seals: a round red seal with the unit's name on the arc and a star, clearly a demo."""

import io
import math
import subprocess
from functools import lru_cache

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

SEAL_RED = (214, 0, 0, 235)
SIZE = 480
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
)


@lru_cache(maxsize=1)
def cjk_font_path():
    for path in FONT_CANDIDATES:
        try:
            open(path, "rb").close()
            return path
        except OSError:
            continue
    found = subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh-cn"], capture_output=True, text=True, check=False)
    if found.returncode == 0 and found.stdout:
        return found.stdout
    raise RuntimeError("未找到中文字体：请先运行 scripts/setup.sh 安装 fonts-wqy-zenhei。")


def _star_points(cx, cy, outer, inner):
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def _draw_arc_text(image, text, font, radius):
    """Place characters along the top arc, each rotated to stand on the circle."""
    centre = SIZE / 2
    span = min(250.0, 24.0 * len(text))
    step = span / max(len(text) - 1, 1)
    start = -90 - span / 2
    for index, char in enumerate(text):
        angle = start + index * step
        glyph = Image.new("RGBA", (90, 90), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((45, 45), char, font=font, fill=SEAL_RED, anchor="mm")
        glyph = glyph.rotate(-(angle + 90), resample=Image.BICUBIC)
        x = centre + radius * math.cos(math.radians(angle)) - 45
        y = centre + radius * math.sin(math.radians(angle)) - 45
        image.alpha_composite(glyph, (round(x), round(y)))


@lru_cache(maxsize=64)
def draw_demo_seal(unit_name):
    """Return PNG bytes of a demo seal for the unit."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((12, 12, SIZE - 12, SIZE - 12), outline=SEAL_RED, width=14)
    draw.polygon(_star_points(SIZE / 2, SIZE / 2, 70, 28), fill=SEAL_RED)
    font_path = cjk_font_path()
    name_size = 52 if len(unit_name) <= 12 else max(30, int(52 * 12 / len(unit_name)))
    _draw_arc_text(image, unit_name, ImageFont.truetype(font_path, name_size), SIZE / 2 - 70)
    ImageDraw.Draw(image).text(
        (SIZE / 2, SIZE / 2 + 120), "演示印章", font=ImageFont.truetype(font_path, 40), fill=SEAL_RED, anchor="mm"
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def give_demo_seal(unit):
    """Attach a generated demo seal to a unit that has none."""
    if unit.seal:
        return
    unit.seal.save(f"demo-{unit.code}.png", ContentFile(draw_demo_seal(unit.official_name)), save=False)
    unit.seal_is_demo = True
    unit.save(update_fields=["seal", "seal_is_demo"])
