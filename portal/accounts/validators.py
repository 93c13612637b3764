import io

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from portal.polyglots import contains_markup

SEAL_MAX_BYTES = 1024 * 1024
SEAL_MIN_SIDE = 200
SEAL_MAX_SIDE = 1200


def validate_seal_image(file):
    """A seal must be a transparent PNG of sane size: it is printed over signatures on PDFs."""
    if file.size > SEAL_MAX_BYTES:
        raise ValidationError("印章图片不能超过 1 MB。", code="seal_too_large")
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format, size, mode, info = image.format, image.size, image.mode, image.info
            image.verify()
    except Image.DecompressionBombError as exc:  # refused from the header, before any pixel is decoded
        raise ValidationError(
            "印章图片像素过多，边长须在 %(lo)s–%(hi)s 像素之间。",
            code="seal_too_many_pixels",
            params={"lo": SEAL_MIN_SIDE, "hi": SEAL_MAX_SIDE},
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        # ValueError: a text or colour-profile chunk that inflates beyond Pillow's limits
        raise ValidationError("无法识别的图片文件，请上传 PNG 格式的印章。", code="seal_not_image") from exc
    if image_format != "PNG":
        raise ValidationError(
            "印章必须是 PNG 格式（当前为 %(fmt)s）。", code="seal_not_png", params={"fmt": image_format}
        )
    width, height = size
    if not (SEAL_MIN_SIDE <= width <= SEAL_MAX_SIDE and SEAL_MIN_SIDE <= height <= SEAL_MAX_SIDE):
        raise ValidationError(
            "印章图片边长须在 %(lo)s–%(hi)s 像素之间（当前 %(w)s×%(h)s）。",
            code="seal_bad_size",
            params={"lo": SEAL_MIN_SIDE, "hi": SEAL_MAX_SIDE, "w": width, "h": height},
        )
    if mode not in ("RGBA", "LA") and "transparency" not in info:
        raise ValidationError("印章图片须为透明背景（带 Alpha 通道的 PNG）。", code="seal_not_transparent")
    # The same polyglot rule as for applications' attachments (reasons in portal/polyglots.py): seals are shown to
    # every signed-in user and printed into every PDF.
    if contains_markup(data):
        raise ValidationError("印章图片中夹带网页代码（HTML 或脚本），出于安全原因不予接收。", code="seal_markup")
