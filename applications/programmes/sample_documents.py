"""Stand-in documents (a drawn layout, a one-page policy PDF) for the sample applications of every programme."""

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from portal.accounts.seals import cjk_font_path


@lru_cache(maxsize=16)
def layout_png(title, colour=(70, 130, 180)):
    image = Image.new("RGB", (1200, 800), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(cjk_font_path(), 44)
    for i, (x, y) in enumerate([(80, 140), (460, 140), (840, 140), (80, 470), (460, 470)]):
        shade = tuple(min(255, c + 25 * i) for c in colour)
        draw.rectangle((x, y, x + 320, y + 260), fill=shade, outline=(40, 40, 40), width=3)
    draw.text((600, 70), title, font=font, fill=(20, 20, 20), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@lru_cache(maxsize=8)
def policy_pdf(title):
    from weasyprint import HTML  # noqa: PLC0415  (start-up cost: only the demo, tests and benchmarks make these)

    html = (
        '<html><body style=\'font-family: "AR PL SungtiL GB", "WenQuanYi Zen Hei"\'>'
        f"<h1 style='text-align:center'>{title}</h1><p>为推进众创社区建设，现就有关扶持政策通知如下。</p>"
        "<p>一、设立众创社区发展资金，对载体平台建设给予支持。</p><p>二、对入驻的科技型创业企业给予房租补贴。</p>"
        "</body></html>"
    )
    return HTML(string=html).write_pdf()
