"""`manage.py check --deploy`: the address printed in every PDF's QR code must be the public one."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


@register(Tags.security, deploy=True)
def public_address_for_qr_codes(app_configs, **kwargs):
    address = urlsplit(settings.PORTAL_BASE_URL or "")
    if address.scheme == "https" and address.hostname and address.hostname not in LOOPBACK:
        return []
    return [
        Error(
            f"PORTAL_BASE_URL（“{settings.PORTAL_BASE_URL}”）不是平台的公网 https 地址：PDF 材料每页的核验二维码"
            "和通知邮件中的链接都用这个地址，须设置为公众访问平台的地址，例如 https://zcsq.jiangsu.gov.cn。",
            id="applications.E001",
        )
    ]
