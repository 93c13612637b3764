"""The 专业化众创空间 package in the order of 通知二、申报材料 1–4 (PACKAGE_ORDER). 5, the 推荐函, is the
recommender's: its letter package puts it ahead of the applications, so it is not built here."""

from ...packages.assemble import Piece, Section
from ...packages.cover import cover_piece
from ...packages.dates import chinese_date
from .basic_info import FIELDS, MANAGEMENT_SYSTEMS, OTHER_SYSTEM
from .layout import value_text
from .materials import PACKAGE_ORDER
from .pledges import APPLICANT_PLEDGE, SUPERVISOR_PLEDGE

COVER_TITLE = "国家专业化众创空间备案申报书"
TITLES = {material.key: material.title for material in PACKAGE_ORDER}


def cover(application, paper, seal_uri, submitted_at):
    """The 运营主体 is the filing unit itself: its own seal goes on its row."""
    basic_info = paper["basic_info"]
    rows = [
        {"label": "众创空间名称", "value": basic_info.get("space_name", "") or application.name},
        {"label": "运 营 主 体", "value": basic_info.get("operator_name", ""), "stamp": True, "seal": seal_uri},
    ]
    return cover_piece(COVER_TITLE, rows, "", submitted_at)


# --- 1 基础信息表: 附件2's grid of six columns, row by row ----------------------------------------------------


def _label(text, span=1):
    return {"label": text, "span": span}


def _value(text, span=1):
    return {"value": text, "span": span}


def _boxes(options, span=1):
    """Tick boxes as on 附件2: options are (ticked, text, words filled in after it); ticked None: no box."""
    boxes = [{"box": t is not None, "ticked": bool(t), "text": x, "fill": f} for t, x, f in options]
    return {"boxes": boxes, "span": span}


def _text(data, key):
    return value_text(FIELDS[key], data.get(key))


def _yes_no(data, key):
    spec = FIELDS[key]
    answer = data.get(key)
    names = data.get(spec.names_key, "") if answer == "yes" else ""
    return [(answer == "yes", "是（填写详细名称）", names), (answer == "no", "否", "")]


def _natures(data):
    """附件2: □1、事业单位，2、企业（□国有、□民营），□3、投资机构，□4、高校，□5、其它社会组织 (企业 has no box)."""
    chosen = data.get("operator_nature")
    return [
        (chosen == "事业单位", "1、事业单位，", ""),
        (None, "2、企业（", ""),
        (chosen == "企业（国有）", "国有、", ""),
        (chosen == "企业（民营）", "民营），", ""),
        (chosen == "投资机构", "3、投资机构，", ""),
        (chosen == "高校", "4、高校，", ""),
        (chosen == "其它社会组织", "5、其它社会组织", ""),
    ]


def _management(data):
    ticked = data.get("management") or []
    options = []
    for value, label in MANAGEMENT_SYSTEMS:
        if value == OTHER_SYSTEM:
            other = data.get("management_other", "") if value in ticked else ""
            options.append((value in ticked, f"{label}：", other))
        else:
            options.append((value in ticked, label, ""))
    return options


def _pair_row(data, left, right):
    row = [_label(FIELDS[left].label), _value(_text(data, left), 2)]
    return row + [_label(FIELDS[right].label), _value(_text(data, right), 2)]


def basic_info_rows(data, seal):
    """附件2 as printed: every label in its place, the values beside them, the 运营主体 seal at （盖章）."""
    main_fields = FIELDS["main_fields"]
    rows = [
        [
            _label("众创空间名称"),
            _value(_text(data, "space_name"), 2),
            _label("成立时间"),
            _value(chinese_date(data.get("founded_on", "")), 2),
        ],
        [_label("运营主体名称"), {**_value(_text(data, "operator_name"), 5), "sealed": True, "seal": seal}],
        [_label("运营主体性质"), _boxes(_natures(data), 5)],
        _pair_row(data, "legal_representative", "legal_representative_phone"),
        _pair_row(data, "leader", "leader_mobile"),
        _pair_row(data, "contact", "contact_mobile"),
        _pair_row(data, "address", "email"),
        [
            _label("是否由高新技术企业或龙头骨干企业建立："),
            _boxes(_yes_no(data, "built_by_enterprise"), 2),
            _label("是否由高校建立："),
            _boxes(_yes_no(data, "built_by_university"), 2),
        ],
        [_label("是否由科研院所建立："), _boxes(_yes_no(data, "built_by_institute"), 5)],
        [_label(f"{main_fields.label}（{main_fields.help}）", 2), _value(_text(data, "main_fields"), 4)],
    ]
    for keys in (
        ("team_size", "team_college", "mentors"),
        ("site_area", "public_area", "angel_fund"),
        ("resident_projects", "resident_enterprises", "activities"),
    ):
        row = []
        for key in keys:
            row += [_label(FIELDS[key].label), {**_value(_text(data, key)), "number": True}]
        rows.append(row)
    rows += [
        [_label("是否建有线上服务平台", 2), _boxes(_yes_no(data, "has_online_platform"), 4)],
        [_label("是否建有公共技术服务平台", 2), _boxes(_yes_no(data, "has_tech_platform"), 4)],
        [_label("管理制度"), _boxes(_management(data), 5)],
    ]
    return rows


# --- 2 申报书: 附件3's outline, the cases numbered 案例一… -------------------------------------------------------

NUMERALS = "一二三四五六七八九十"


def case_heading(number):
    return f"案例{NUMERALS[number - 1] if number <= len(NUMERALS) else number}"


def declaration_chapters(paper):
    chapters = []
    for chapter in paper["chapters"]:
        items = []
        for item in chapter["items"]:
            entry = dict(item)
            if "cases" in item:
                entry["cases"] = [{"heading": case_heading(n), **case} for n, case in enumerate(item["cases"], start=1)]
            items.append(entry)
        chapters.append({**chapter, "items": items})
    return chapters


def _kind_label(kinds, key):
    return next((k.label for k in kinds if k.key == key), key)


def sections(application, paper, attachments, kinds, seals):
    def merged(a):
        return Piece(attachment=a, context={"kind": _kind_label(kinds, a.kind)})

    pieces = {
        "basic_info": [
            Piece(
                "programmes/zyhzckj/package_basic_info.html",
                {"title": TITLES["basic_info"], "rows": basic_info_rows(paper["basic_info"], seals["county_seal"])},
            )
        ],
        "declaration": [
            Piece(
                "programmes/zyhzckj/package_declaration.html",
                {
                    "title": TITLES["declaration"],
                    "name": paper["basic_info"].get("space_name", "") or application.name,
                    "chapters": declaration_chapters(paper),
                },
            )
        ],
        "applicant_pledge": [
            Piece(
                "programmes/zyhzckj/applicant_pledge.html",
                {
                    "pledge": APPLICANT_PLEDGE,
                    "seal_uri": seals["county_seal"] or "",
                    "date_text": seals["county_date"],
                },
            ),
            *(merged(a) for a in attachments if a.kind == APPLICANT_PLEDGE.key),
        ],
        "supervisor_pledge": [
            Piece(
                "programmes/zyhzckj/supervisor_pledge.html",
                {
                    "pledge": SUPERVISOR_PLEDGE,
                    "seal_uri": seals["city_seal"] or "",
                    "date_text": seals["city_date"],
                },
            )
        ],
    }
    return [Section(m.title, pieces[m.key]) for m in PACKAGE_ORDER if m.source != "letter"]
