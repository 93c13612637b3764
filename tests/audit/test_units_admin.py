"""Units the 系统管理员 registers in the admin site."""

from django.urls import reverse

from portal.accounts.models import Unit


def test_an_operator_registered_under_a_county_lies_in_its_city_and_zone(client, staff_sysadmin):
    """The 系统管理员 registers a 运营主体 (seed 003's applicant) under its county: city and zone follow."""
    client.force_login(staff_sysadmin)
    kunshan = Unit.objects.get(code="320583")
    response = client.post(
        reverse("admin:accounts_unit_add"),
        {
            "code": "OP-ADMIN-KS",
            "name": "昆山某孵化器有限公司",
            "kind": "operator",
            "parent": kunshan.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    operator = Unit.objects.get(code="OP-ADMIN-KS")
    assert (operator.city.code, operator.zone) == ("320500", "苏南")
