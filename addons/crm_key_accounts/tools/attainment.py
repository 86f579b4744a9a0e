"""A key-account plan's attainment: a rule without data (no database here).

Each objective's progress counts at most 100 % (an objective exceeded is met, it does not make up
for another one missed) and at least 0 % (a negative actual after credit notes is nothing done);
the capped progresses are averaged with the objectives' weights, 1 unless the plan sets others.
"""


def weighted_attainment(objectives):
    """The attainment (%) of ``objectives``, ``(progress, weight)`` pairs: the weighted average of
    the progresses capped to [0, 100]; 0 when there is no objective or every weight is 0."""
    total = sum(weight for _progress, weight in objectives)
    if not total:
        return 0.0
    return sum(min(max(progress, 0.0), 100.0) * weight for progress, weight in objectives) / total
