import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from demo.data import seed_demo
from portal.accounts.models import Unit, User
from portal.accounts.seals import draw_demo_seal, give_demo_seal
from portal.accounts.validators import validate_seal_image


def _png(size=(400, 400), mode="RGBA", fmt="PNG"):
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 0, 0, 0) if mode == "RGBA" else (200, 0, 0)).save(buffer, format=fmt)
    return SimpleUploadedFile(f"seal.{fmt.lower()}", buffer.getvalue())


def test_demo_seal_is_a_valid_transparent_seal(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit = Unit.objects.get(code="320115")
    give_demo_seal(unit)
    unit.refresh_from_db()
    assert unit.seal_is_demo
    with unit.seal.open("rb") as handle:
        validate_seal_image(SimpleUploadedFile("seal.png", handle.read()))
        handle.seek(0)
        image = Image.open(handle)
        image.load()
    assert image.mode == "RGBA"
    # the corners are transparent, the ring is red
    assert image.getpixel((0, 0))[3] == 0
    red, green, blue, alpha = image.getpixel((image.width // 2, 14))
    assert red > 180 and green < 40 and alpha > 200


def test_demo_seal_is_not_regenerated_over_an_existing_one(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit = Unit.objects.get(code="320115")
    give_demo_seal(unit)
    first = unit.seal.name
    give_demo_seal(unit)
    assert unit.seal.name == first


def test_a_transparent_png_of_sane_size_is_accepted():
    validate_seal_image(_png())


@pytest.mark.parametrize(
    "upload, code",
    [
        (_png(fmt="JPEG", mode="RGB"), "seal_not_png"),
        (_png(mode="RGB"), "seal_not_transparent"),
        (_png(size=(50, 50)), "seal_bad_size"),
        (_png(size=(3000, 3000)), "seal_bad_size"),
        (SimpleUploadedFile("seal.png", b"%PDF-1.4 not an image"), "seal_not_image"),
        (SimpleUploadedFile("seal.png", b"\x89PNG" + b"0" * (1024 * 1024 + 1)), "seal_too_large"),
    ],
)
def test_bad_seal_images_are_refused_with_a_reason(upload, code):
    with pytest.raises(ValidationError) as refused:
        validate_seal_image(upload)
    assert refused.value.code == code


def test_drawn_seal_names_the_unit_size():
    png = draw_demo_seal("南京市江宁区人民政府")
    image = Image.open(io.BytesIO(png))
    assert image.size == (480, 480) and image.format == "PNG"


def test_seal_is_served_only_to_signed_in_users(client, people):
    unit = Unit.objects.get(code="320115")
    give_demo_seal(unit)
    url = f"/units/{unit.pk}/seal.png"
    assert client.get(url).status_code == 302
    client.force_login(people["expert"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get(f"/units/{Unit.objects.get(code='320583').pk}/seal.png").status_code == 404


def test_admin_marks_demo_seals(client):
    seed_demo()
    client.force_login(User.objects.get(username="sysadmin"))
    unit = Unit.objects.get(code="320115")
    page = client.get(f"/admin/accounts/unit/{unit.pk}/change/").content.decode()
    assert "演示印章，不具效力" in page
