from django.core.management import call_command

from applications.models import Application, Package
from portal.benchmarks import read_section, replace_section


def test_benchmark_measures_and_leaves_nothing_behind(tmp_path, capsys):
    before = (Application.objects.count(), Package.objects.count())
    report = tmp_path / "BENCHMARKS.md"
    replace_section(report, "pages", "## 页面与导出规模基准\n\nkept as it was")
    call_command("benchmark_packages", runs=1, write=str(report))
    text = report.read_text(encoding="utf-8")
    assert "典型申报" in text and "设区市推荐材料" in text and "KiB" in text
    assert "典型申报" in read_section(report, "packages")
    assert read_section(report, "pages") == "## 页面与导出规模基准\n\nkept as it was"
    assert (Application.objects.count(), Package.objects.count()) == before
