"""Named permission predicates. Views, templates ({% has_perm %}) and tests all ask these."""

import rules

from .roles import APPLICANT_ROLES, Role


def _role_predicate(*roles):
    @rules.predicate(name=f"has_role_{'_or_'.join(roles)}")
    def has_role(user):
        return user.is_authenticated and user.has_role(*roles)

    return has_role


is_applicant = _role_predicate(*APPLICANT_ROLES)
is_applicant_head = _role_predicate(Role.APPLICANT_HEAD)
is_recommender = _role_predicate(Role.RECOMMENDER)
is_province_admin = _role_predicate(Role.PROVINCE)
is_expert = _role_predicate(Role.EXPERT)
is_sysadmin = _role_predicate(Role.SYSADMIN)
is_auditor = _role_predicate(Role.AUDITOR)

rules.add_perm("dashboards.view_county", is_applicant)
rules.add_perm("dashboards.view_city", is_recommender)
rules.add_perm("dashboards.view_province", is_province_admin)
rules.add_perm("review.view_expert_dashboard", is_expert)
# 三权分立: the 审计管理员 owns the audit log; the 省级管理员 may read it; the 系统管理员, who manages
# the accounts being audited, may not. Only the 审计管理员 takes rows out of the system.
rules.add_perm("audit.view_log", is_province_admin | is_auditor)
rules.add_perm("audit.export_log", is_auditor)
rules.add_perm("system.view_status", is_sysadmin | is_province_admin)
