"""The files of the 2017 notice as upload kinds: the 证明文件 附件2 一 asks for, 申报材料 5 空间规划 and 6 支持政策."""

from ..base import AttachmentKind as A

ATTACHMENT_KINDS = (
    A(
        "foundation_evidence",
        "建设基础证明文件",
        accepts=("pdf",),
        help="附件2 一、建设基础及特色定位：阐述现有条件和基础所需的相关证明文件（扫描为 PDF，可上传多份）。",
    ),
    A("spatial_layout", "空间布局图", help="众创社区概念性规划中的空间布局图。"),
    A("functional_layout", "功能布局图"),
    A("project_sketch", "项目示意图"),
    A("site_photos", "实景图", required=False, help="已开工的须提供实景图。"),
    A("plan_conformity", "规划符合性证明", required=False, help="符合本地区土地利用总体规划和城市总体规划的证明材料。"),
    A("support_policy", "支持政策文件", accepts=("pdf",), help="所在地政府支持众创社区建设的扶持举措或政策意见。"),
    A("governance_documents", "管理体制设立文件", accepts=("pdf",), help="众创社区管理体制机制设立的相关文件。"),
)
