"""ZIP entry names come from what applicants typed; none may climb out of its folder or make new ones."""

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.packages.build import zip_documents
from applications.packages.entry_names import clean_component, entry_name

HOSTILE = ["x/../../../../evil", "=HYPERLINK(1)/a", "..", "../", "a\\..\\b", "  .hidden", "C:\\Windows", "", "名\x00称"]


def assert_plain(component):
    assert component and component not in (".", "..")
    assert "/" not in component and "\\" not in component and ".." not in component
    assert not component.startswith(("=", "+", "@", ".", " "))


def test_hostile_names_become_one_plain_component():
    for name in HOSTILE:
        assert_plain(clean_component(name))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # timing never decides this test
@given(st.lists(st.text(max_size=200), min_size=1, max_size=3))
def test_every_entry_has_exactly_its_own_components(components):
    name = entry_name(*components)
    parts = name.split("/")
    assert len(parts) == len(components)
    for part in parts:
        assert_plain(part)


def test_the_city_zip_cleans_every_entry():
    archive = zip_documents([(f"01-{name}.pdf", b"%PDF") for name in HOSTILE])
    for info in zipfile.ZipFile(io.BytesIO(archive)).infolist():
        assert "/" not in info.filename and ".." not in info.filename and "\\" not in info.filename
