"""The plan a pilot is held to: the 分年度计划表 of its last filed version."""

from applications.domain.versions import latest_parts


def filed_plan(pilot):
    return latest_parts([pilot]).get(pilot.pk, {}).get("plan") or {}
