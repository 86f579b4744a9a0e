"""The CRM business case: a company's baseline projected over the first years of CRM.

No database here. The literature's expected effects of CRM (DESIGN.md, section 5) are editable
assumptions, applied to the baseline of the last twelve months:

- transactions grow by ``transaction_growth`` a year, compounded (1,000 at +5 % gives 1,050,
  1,102.5 and 1,157.6), each at the baseline's average revenue per transaction;
- the margin rate (margin / revenue) gains ``margin_points`` percentage points a year;
- the sales and marketing cost falls linearly to ``cost_reduction`` below the baseline by the
  last projected year (-10 % by year three: -3.3 %, -6.7 %, -10 %).
"""

from typing import NamedTuple


class Baseline(NamedTuple):
    """What the company did in the twelve months before the assessment."""

    revenue: float
    transactions: float
    margin: float
    cost: float


class Assumptions(NamedTuple):
    """The expected effects, as fractions (0.05 for 5 %) and percentage points (1.0)."""

    transaction_growth: float = 0.05
    margin_points: float = 1.0
    cost_reduction: float = 0.10
    years: int = 3


class YearProjection(NamedTuple):
    year: int
    transactions: float
    revenue: float
    margin_rate: float
    margin: float
    cost: float

    @property
    def contribution(self):
        """Margin less the sales and marketing cost: what the business case is about."""
        return self.margin - self.cost


def project(baseline, assumptions=None):
    """Year 0 (the baseline itself) and each projected year, in order (the literature's
    assumptions when none are given)."""
    assumptions = assumptions or Assumptions()
    if assumptions.years < 1:
        raise ValueError("A business case projects at least one year.")
    revenue_per_transaction = baseline.revenue / baseline.transactions if baseline.transactions else 0.0
    margin_rate = baseline.margin / baseline.revenue if baseline.revenue else 0.0
    rows = [YearProjection(0, baseline.transactions, baseline.revenue, margin_rate, baseline.margin, baseline.cost)]
    for year in range(1, assumptions.years + 1):
        transactions = baseline.transactions * (1 + assumptions.transaction_growth) ** year
        revenue = transactions * revenue_per_transaction
        rate = margin_rate + assumptions.margin_points / 100 * year
        cost = baseline.cost * (1 - assumptions.cost_reduction * year / assumptions.years)
        rows.append(YearProjection(year, transactions, revenue, rate, revenue * rate, cost))
    return rows
