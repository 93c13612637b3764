"""Automatic assignment of experts to applications: k distinct, eligible experts each, loads balanced,
fields matched where possible, random but reproducible from a stored seed.

Pure: it works on facts (review.domain.conflicts) and returns a plan; saving it is someone else's job.
"""

import random
from dataclasses import dataclass, field

from .conflicts import conflict_reason

MINIMUM_PER_APPLICATION = 3


@dataclass
class Plan:
    seed: int
    per_application: int
    assignments: dict = field(default_factory=dict)  # application id -> [expert ids]
    impossible: dict = field(default_factory=dict)  # application id -> reason

    def load(self):
        counts = {}
        for experts in self.assignments.values():
            for expert in experts:
                counts[expert] = counts.get(expert, 0) + 1
        return counts


def eligible_experts(application, experts):
    return [expert for expert in experts if conflict_reason(expert, application) is None]


def plan_assignment(applications, experts, per_application=MINIMUM_PER_APPLICATION, seed=0):
    """Most-constrained applications first; each takes the least-loaded eligible experts, preferring
    matching fields, ties broken by the seeded random order."""
    if per_application < MINIMUM_PER_APPLICATION:
        raise ValueError(f"每份申报至少分配 {MINIMUM_PER_APPLICATION} 位专家。")
    rng = random.Random(seed)
    experts = sorted(experts, key=lambda e: e.id)
    tiebreak = {expert.id: rng.random() for expert in experts}
    load = {expert.id: 0 for expert in experts}
    plan = Plan(seed=seed, per_application=per_application)
    candidates = {a.id: eligible_experts(a, experts) for a in applications}
    for application in sorted(applications, key=lambda a: (len(candidates[a.id]), a.id)):
        pool = candidates[application.id]
        if len(pool) < per_application:
            plan.impossible[application.id] = (
                f"符合回避规则的专家只有 {len(pool)} 位，少于每份申报所需的 {per_application} 位。"
            )
            continue
        ranked = sorted(pool, key=lambda e: (load[e.id], not (e.fields & application.fields), tiebreak[e.id]))
        chosen = [expert.id for expert in ranked[:per_application]]
        for expert_id in chosen:
            load[expert_id] += 1
        plan.assignments[application.id] = sorted(chosen)
    return plan
