"""PAdES integrity signature of every final PDF, with the platform's own key and certificate.

This is an integrity signature: it proves the file is byte-for-byte what the portal produced. It is
not a GB/T 38540 electronic seal (that needs SM2 keys and a certificate from a licensed CA); the red
seal on the pages is the image of the unit's seal.
"""

import asyncio
import concurrent.futures
import datetime
import io
import re
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from pypdf import PdfReader

SIGNER_NAME = "众创社区申报评审平台完整性签名"


def key_paths():
    directory = Path(settings.SIGNING_DIR)
    return directory / "platform-key.pem", directory / "platform-cert.pem"


def retired_certificates():
    """Certificates replaced by a rotation: documents signed before it are still trusted."""
    return sorted((Path(settings.SIGNING_DIR) / "retired").glob("platform-cert-*.pem"))


def _retire(cert_path):
    retired = cert_path.parent / "retired"
    retired.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%f")
    (retired / f"platform-cert-{stamp}.pem").write_bytes(cert_path.read_bytes())


def create_signing_key(force=False):
    """Create the platform key and a self-signed certificate (10 years). Returns the certificate path.
    With force, the current certificate is kept among the retired ones before it is replaced."""
    key_path, cert_path = key_paths()
    if cert_path.exists() and not force:
        return cert_path
    if cert_path.exists():
        _retire(cert_path)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "江苏省推进大众创新创业联席会议办公室"),
            x509.NameAttribute(NameOID.COMMON_NAME, SIGNER_NAME),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_cert_sign=True,
                crl_sign=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return cert_path


def _signer():
    from pyhanko.sign import signers  # noqa: PLC0415  (start-up cost: pyHanko loads only where a PDF is signed or verified)

    key_path, cert_path = key_paths()
    if not cert_path.exists():
        create_signing_key()
    return signers.SimpleSigner.load(str(key_path), str(cert_path))


def outside_event_loop(function, *args):
    """pyHanko runs its own event loop; in a thread that already runs one (an async server, or the
    browser tests' Playwright loop) it must run on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def sign_pdf(data):
    return outside_event_loop(_sign_pdf, data)


def _sign_pdf(data):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: PLC0415  (start-up cost, as above)
    from pyhanko.sign import fields, signers  # noqa: PLC0415  (start-up cost, as above)

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name="PlatformIntegrity",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="完整性签名（非电子印章）",
        location="江苏省",
    )
    return signers.sign_pdf(writer, metadata, signer=_signer()).getvalue()


def signature_status(data):
    """{'intact', 'trusted', 'signer'} for the platform signature, or None when there is none."""
    return outside_event_loop(_signature_status, data)


def _signature_status(data):
    from pyhanko.keys import load_cert_from_pemder  # noqa: PLC0415  (start-up cost, as above)
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415  (start-up cost, as above)
    from pyhanko.sign.validation import validate_pdf_signature  # noqa: PLC0415  (start-up cost, as above)
    from pyhanko_certvalidator import ValidationContext  # noqa: PLC0415  (start-up cost, as above)

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception:  # not a PDF pyHanko can read: it carries no signature of ours
        return None
    if not signatures:
        return None
    _, cert_path = key_paths()
    roots = [cert_path, *retired_certificates()]
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(path)) for path in roots])
    status = validate_pdf_signature(signatures[0], context)
    return {
        "intact": status.intact and status.valid,
        "trusted": status.trusted,
        "signer": signer_in_chinese(status.signing_cert.subject.native),
    }


SUBJECT_LABELS = {
    "common_name": "名称",
    "organization_name": "单位",
    "organizational_unit_name": "部门",
    "locality_name": "市县",
    "state_or_province_name": "省份",
    "country_name": "国家",
}


def signer_in_chinese(subject):
    """名称：…，单位：…，国家：CN — the certificate subject as the verify page shows it."""
    return "，".join(f"{SUBJECT_LABELS.get(key, key)}：{value}" for key, value in subject.items())


FOOTER_CODE = re.compile(r"核验码\s*([A-Z0-9]{10})")


def footer_code(data):
    """The 核验码 printed on the first page's footer, or None."""
    try:
        text = PdfReader(io.BytesIO(data)).pages[0].extract_text() or ""
    except Exception:  # unreadable: it names no package
        return None
    found = FOOTER_CODE.search(text)
    return found.group(1) if found else None
