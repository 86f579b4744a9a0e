"""The return of a relationship programme, and its free riders.

No database here. Each member is compared with his own baseline (the equal period before his
enrolment) and with the control group: the non-members of his segment (BCG quadrant and ABC
class at enrolment) over the same periods. What the members would have made without the
programme is their baseline grown by their control group's change; the incremental margin is
what they made beyond that, and the ROI sets it against the programme's cost:

    incremental = sum(member's margin - baseline margin x (1 + control change of his segment))
    ROI = (incremental - cost) / cost

A free rider (the casino's guest who would have come back anyway) was already a regular buyer at
enrolment, and neither his margin nor his purchase frequency rose beyond his control group's
change by more than the threshold.
"""

from typing import NamedTuple


class Sums(NamedTuple):
    """Margin and number of purchases before (baseline) and during the evaluation."""

    base_margin: float
    evaluation_margin: float
    base_orders: int
    evaluation_orders: int


def change(before, after):
    """Relative change from ``before`` to ``after``; 0 when there was nothing before."""
    return (after - before) / before if before else 0.0


class MemberResult(NamedTuple):
    margin_change: float
    frequency_change: float
    control_margin_change: float
    control_frequency_change: float
    expected_margin: float
    free_rider: bool


def member_result(sums, control, regular_at_enrolment, threshold):
    """One member's figures against his segment's control ``Sums``; ``threshold`` a fraction."""
    control_margin = change(control.base_margin, control.evaluation_margin)
    control_frequency = change(control.base_orders, control.evaluation_orders)
    margin = change(sums.base_margin, sums.evaluation_margin)
    frequency = change(sums.base_orders, sums.evaluation_orders)
    free_rider = (
        regular_at_enrolment
        and margin - control_margin <= threshold + 1e-9
        and frequency - control_frequency <= threshold + 1e-9
    )
    return MemberResult(
        margin, frequency, control_margin, control_frequency, sums.base_margin * (1 + control_margin), free_rider
    )


def roi(incremental_margin, cost):
    """(incremental margin - cost) / cost; None for a programme that cost nothing."""
    return (incremental_margin - cost) / cost if cost else None
