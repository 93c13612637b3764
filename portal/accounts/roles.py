"""The roles a user can hold in a unit. A user may hold several, each in its own unit."""

from django.db import models


class Role(models.TextChoices):
    APPLICANT_CLERK = "applicant_clerk", "申报单位经办人"
    APPLICANT_HEAD = "applicant_head", "申报单位负责人"
    RECOMMENDER = "recommender", "推荐单位审核人"
    PROVINCE = "province", "省级管理员"
    EXPERT = "expert", "评审专家"
    SYSADMIN = "sysadmin", "系统管理员"
    AUDITOR = "auditor", "审计管理员"


APPLICANT_ROLES = (Role.APPLICANT_CLERK, Role.APPLICANT_HEAD)

# Which dashboard a role lands on, in the order a user with several roles is offered them.
DASHBOARD_FOR_ROLE = {
    Role.PROVINCE: "dashboards:province",
    Role.RECOMMENDER: "dashboards:city",
    Role.APPLICANT_HEAD: "dashboards:county",
    Role.APPLICANT_CLERK: "dashboards:county",
    Role.EXPERT: "review:expert_dashboard",
    Role.SYSADMIN: "admin:index",
    Role.AUDITOR: "audit_log",
}
