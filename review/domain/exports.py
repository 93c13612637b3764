"""A call's exports, written to disk as they are read: an Excel workbook (applications with every
field of the filing, scores per expert per criterion, the ranking) and a ZIP of the packages by city."""

import shutil
import tempfile
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from applications.models import Application, ApplicationPart, Endorsement, Package, SentLetter
from applications.packages.entry_names import entry_name
from applications.programmes import REGISTRY
from applications.status import VISIBLE_TO_PROVINCE, Status
from portal.accounts.models import Membership
from portal.accounts.roles import Role
from portal.calls.models import Aggregation
from portal.spreadsheets import safe_row

from ..models import Assignment, ExportJob, Purpose, Score
from .aggregation import applied_method, criterion_key, method_of
from .ranking import board, priorities_of, priority_key
from .rubric import rubric_for

CHUNK = 500
YES_NO = {"yes": "是", "no": "否"}


def as_number(value):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return int(number) if number == number.to_integral_value() else float(number)


def cell_value(column, value):
    if column.kind == "number":
        return as_number(value)
    if column.kind == "yesno":
        return YES_NO.get(value, value or None)
    return value if value not in ("", None) else None


def _chunks(ids):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _header(sheet, titles):
    """A bold header row that stays in view, each column wide enough for its title (a Chinese character is
    two widths) and for the names under it."""
    bold = Font(bold=True)
    cells = []
    for number, title in enumerate(titles, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = min(40, max(12, 2 * len(str(title)) + 2))
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
    sheet.freeze_panes = "A2"
    sheet.append(safe_row(cells))


def _filter(sheet, columns, rows):
    """An autofilter over the header and the rows written (set last: only now is the row count known)."""
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"


class Progress:
    """Reports a fraction of the whole job, at most once per chunk."""

    def __init__(self, job, steps):
        self.job, self.steps, self.done = job, max(steps, 1), 0

    def step(self, count=1):
        self.done += count
        ExportJob.objects.filter(pk=self.job.pk).update(progress=min(99, int(self.done * 100 / self.steps)))


def applications_sheet(workbook, call, ids, progress):
    programme = REGISTRY[call.programme.code]
    columns = programme.export_columns(call)
    flags = [p for p in priorities_of(call) if p.kind == "flag"]  # yes/no facts the province confirms
    sheet = workbook.create_sheet("申报信息")
    titles = ["申报编号", "名称", "设区市", "区域", "申报单位", "状态", "市级排序", *(p.label for p in flags)]
    titles += [c.header for c in columns]
    _header(sheet, titles)
    written = 0
    parts_needed = sorted({c.part for c in columns})
    for chunk in _chunks(ids):
        rows = Application.objects.filter(pk__in=chunk).order_by("filing_unit__city__code", "city_rank", "pk")
        rows = rows.values_list(
            "pk", "name", "filing_unit__city__name", "filing_unit__city__zone", "filing_unit__name", "status",
            "city_rank", *(p.value for p in flags),
        )  # fmt: skip
        parts = {}
        for application_id, key, data in ApplicationPart.objects.filter(
            application_id__in=chunk, key__in=parts_needed
        ).values_list("application_id", "key", "data"):
            parts[(application_id, key)] = data or {}
        for pk, name, city, zone, unit, status, rank, *flagged in rows:
            values = [
                cell_value(c, parts.get((pk, c.part), {}).get(c.key)) for c in columns
            ]  # fmt: skip
            marks = ["是" if value else "否" for value in flagged]
            sheet.append(safe_row([pk, name, city, zone, unit, Status(status).label, rank, *marks, *values]))
            written += 1
        progress.step(len(chunk))
    _filter(sheet, len(titles), written)


def scores_sheet(workbook, call, criteria, ids, progress):
    sheet = workbook.create_sheet("专家评分")
    titles = ["申报编号", "名称", "设区市", "评审专家", "专家工作单位", "状态"]
    titles += [f"{c.name}（满分{as_number(c.max_points)}，权重{as_number(c.weight)}）" for c in criteria]
    titles += ["加权总分", "提交时间", "评审意见"]
    _header(sheet, titles)
    employer = Membership.objects.filter(user=OuterRef("expert"), role=Role.EXPERT).order_by("pk")
    written = 0
    for chunk in _chunks(ids):
        assignments = (
            Assignment.objects.filter(application_id__in=chunk, purpose=Purpose.FILING)
            .annotate(
                city=F("application__filing_unit__city__name"),
                application_name=F("application__name"),
                employer=Subquery(employer.values("unit__name")[:1]),
            )
            .select_related("expert")
            .order_by("application__filing_unit__city__code", "application_id", "expert__username")
        )
        points = {}
        for assignment_id, criterion_id, value in Score.objects.filter(
            assignment__application_id__in=chunk, assignment__purpose=Purpose.FILING
        ).values_list("assignment_id", "criterion_id", "points"):
            points[(assignment_id, criterion_id)] = as_number(value)
        for a in assignments:
            sheet.append(
                safe_row(
                    [
                        a.application_id,
                        a.application_name,
                        a.city,
                        str(a.expert),
                        a.employer,
                        "已提交" if a.is_submitted else "未提交",
                        *[points.get((a.pk, c.pk)) for c in criteria],
                        as_number(a.total),
                        timezone.localtime(a.submitted_at).replace(tzinfo=None) if a.submitted_at else None,
                        a.comment or None,
                    ]
                )
            )
            written += 1
        progress.step(len(chunk))
    _filter(sheet, len(titles), written)


def ranking_sheet(workbook, call, criteria, progress):
    sheet = workbook.create_sheet("排名")
    priorities = priorities_of(call)
    method = method_of(call)
    applied = {
        applied_method(method, scored) for scored in board(call, criteria=criteria).values_list("scored", flat=True)
    }
    score_title = (
        f"汇总得分（{Aggregation(applied.pop()).label}）" if len(applied) == 1 else "汇总得分（方式见“汇总方式”列）"
    )
    titles = ["名次", "申报编号", "名称", "设区市", "区域", "市级排序", score_title, "汇总方式"]
    titles += [f"{c.name}平均分" for c in criteria]
    titles += ["已提交评分", "已分配专家", "最高与最低分差", "专家分歧大", "评分未齐"]
    titles += [f"优先：{p.label}" for p in priorities if p.kind != "criterion"] + ["状态"]
    _header(sheet, titles)
    position = 0
    rows = board(call, criteria=criteria).values(
        "pk", "name", "filing_unit__city__name", "filing_unit__city__zone", "city_rank", "score", "scored",
        "assigned", "spread", "disagreement", "missing_scores", "status",
        *[criterion_key(c) for c in criteria], *[priority_key(p) for p in priorities],
    )  # fmt: skip
    for position, row in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        sheet.append(
            safe_row([
                position, row["pk"], row["name"], row["filing_unit__city__name"], row["filing_unit__city__zone"],
                row["city_rank"], _rounded(row["score"]), Aggregation(applied_method(method, row["scored"])).label,
                *[_rounded(row[criterion_key(c)]) for c in criteria],
                row["scored"], row["assigned"], _rounded(row["spread"]),
                "是" if row["disagreement"] else "否", "是" if row["missing_scores"] else "否",
                *["是" if row[priority_key(p)] else "否" for p in priorities if p.kind != "criterion"],
                Status(row["status"]).label,
            ])
        )  # fmt: skip
        if position % CHUNK == 0:
            progress.step(CHUNK)
    _filter(sheet, len(titles), position)


def _rounded(value):
    return None if value is None else round(float(value), 2)


def write_workbook(job):
    call = job.call
    criteria = rubric_for(call)
    ids = list(
        Application.objects.filter(call=call, status__in=VISIBLE_TO_PROVINCE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    progress = Progress(job, 3 * len(ids))
    workbook = Workbook(write_only=True)
    applications_sheet(workbook, call, ids, progress)
    scores_sheet(workbook, call, criteria, ids, progress)
    ranking_sheet(workbook, call, criteria, progress)
    name = _store(f"exports/{call.pk}/申报汇总-{job.pk}.xlsx", workbook.save)
    return name, len(ids)


def write_packages_zip(job):
    """Every city's 推荐函 package and each recommended application's latest package, one folder a city."""
    call = job.call
    name = f"exports/{call.pk}/申报材料-{job.pk}.zip"
    sent_letters = list(
        SentLetter.objects.filter(
            endorsement__call=call, endorsement__level=Endorsement.Level.RECOMMENDATION, withdrawn_at__isnull=True
        )
        .select_related("endorsement__recommender_unit")
        .order_by("endorsement__recommender_unit__code", "number")
    )
    letters = _latest_ready(Package.objects.filter(letter__in=sent_letters), "letter_id")
    applications = list(
        Application.objects.filter(call=call, status__in=VISIBLE_TO_PROVINCE)
        .select_related("recommender_unit")
        .order_by("recommender_unit__code", "city_rank", "pk")
    )
    packages = _latest_ready(
        Package.objects.filter(application__in=applications, version_number__gt=0), "application_id"
    )
    progress = Progress(job, len(sent_letters) + len(applications))

    def write(path):
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
            for letter in sent_letters:
                folder = letter.endorsement.recommender_unit.name
                title = f"00-补充推荐函{letter.number}" if letter.supplementary else "00-推荐函"
                if letter.pk in letters:
                    _add(archive, letters[letter.pk].file, entry_name(folder, f"{title}及推荐材料.pdf"))
                progress.step()
            for application in applications:
                package = packages.get(application.pk)
                if package:
                    rank = f"{application.city_rank:02d}" if application.city_rank else "--"
                    entry = entry_name(application.recommender_unit.name, f"{rank}-{application.name}.pdf")
                    _add(archive, package.file, entry)
                progress.step()

    name = _store(name, write)
    return name, len(applications)


def _latest_ready(packages, key):
    latest = {}
    for package in packages.filter(state=Package.State.READY).order_by("created_at", "pk"):
        latest[getattr(package, key)] = package
    return latest


def _add(archive, field_file, arcname):
    with field_file.open("rb") as stored, archive.open(arcname, "w", force_zip64=True) as member:
        shutil.copyfileobj(stored, member, 1024 * 1024)


def _store(name, write):
    """Let `write(path)` write the export to a temporary file, then keep it in the media storage (the local
    folder or the object store); the name it is kept under."""
    with tempfile.TemporaryDirectory() as workdir:
        path = Path(workdir) / Path(name).name
        write(path)
        with path.open("rb") as written:
            return default_storage.save(name, File(written))


WRITERS = {ExportJob.Kind.WORKBOOK: write_workbook, ExportJob.Kind.PACKAGES: write_packages_zip}
