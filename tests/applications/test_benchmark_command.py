from django.core.management import call_command

from applications.models import Application, Package


def test_benchmark_measures_and_leaves_nothing_behind(tmp_path, capsys):
    before = (Application.objects.count(), Package.objects.count())
    report = tmp_path / "BENCHMARKS.md"
    call_command("benchmark_packages", runs=1, write=str(report))
    text = report.read_text(encoding="utf-8")
    assert "典型申报" in text and "设区市推荐材料" in text and "KiB" in text
    assert (Application.objects.count(), Package.objects.count()) == before
