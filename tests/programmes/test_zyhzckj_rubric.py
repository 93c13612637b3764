"""The default rubric from 《工作指引》二、主要特征 and 三、基本条件."""

from decimal import Decimal

from applications.programmes.zyhzckj.eligibility import BASIC_CONDITIONS
from applications.programmes.zyhzckj.rubric import DEFAULT_RUBRIC
from review.models import Criterion

FEATURE_SENTENCES = [
    "一是拥有创新源头。",
    "二是资源共享基础好、水平高。",
    "三是产业整合能力强。",
    "四是孵化服务质量高。",
]


def test_points_sum_to_a_hundred():
    assert sum(points for _, _, points in DEFAULT_RUBRIC) == 100


def test_names_are_unique_and_fit_the_criterion_name():
    names = [name for name, _, _ in DEFAULT_RUBRIC]
    limit = Criterion._meta.get_field("name").max_length
    assert len(set(names)) == len(names)
    assert all(0 < len(name) <= limit for name in names)


def test_each_feature_has_its_own_line_quoting_the_guideline():
    descriptions = [description for _, description, _ in DEFAULT_RUBRIC]
    for sentence in FEATURE_SENTENCES:
        lines = [d for d in descriptions if sentence in d]
        assert len(lines) == 1 and lines[0].startswith("《工作指引》二、主要特征：“")


def test_every_basic_condition_is_quoted_in_exactly_one_line():
    descriptions = [description for _, description, _ in DEFAULT_RUBRIC]
    for condition in BASIC_CONDITIONS:
        quoted = f"{condition.number}是{condition.text}"
        assert len([d for d in descriptions if quoted in d]) == 1, condition.key


def test_points_are_positive_and_fit_the_criterion_field():
    field = Criterion._meta.get_field("max_points")
    for _, _, points in DEFAULT_RUBRIC:
        assert points > 0 and Decimal(points).as_tuple().exponent >= -field.decimal_places
