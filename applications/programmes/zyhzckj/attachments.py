"""Uploads: 申报材料 3, the applicant's pledge, signed by the 运营主体法人 and sealed, as a scan."""

from ..base import AttachmentKind as A

ATTACHMENT_KINDS = (
    A(
        "applicant_pledge",
        "申报单位信用承诺书",
        accepts=("pdf",),
        help="附件4，运营主体法人签字或盖章、运营主体加盖公章后的扫描件。",
    ),
)
