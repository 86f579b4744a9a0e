"""The product's one rule for a period of time: half-open, ``[start, end)``.

No database here. Every figure over a period (customer value, portfolio runs, key-account
objectives, sales measures, share of wallet, the measures of the leaf modules) counts what is
dated on or after ``start`` and strictly before ``end``: a day belongs to exactly one of two
periods that follow each other, whatever the time of day a document carries.

Leaf modules do not import this module: they get periods from the core's model methods
(``crm.revenue.source._period``, ``_period_through``, ``_customer_period``) and read their fields.
"""

from datetime import date, timedelta
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

# The years a yearly record (an estimate, a target) can be for: four digits, from 1900 on.
FIRST_YEAR, LAST_YEAR = 1900, 2999


class Period(NamedTuple):
    """``[start, end)`` in days; ``start`` None means "from the first document on"."""

    start: date | None
    end: date

    @classmethod
    def of(cls, start, months=0, days=0):
        """The period beginning on ``start`` that lasts ``months`` months and ``days`` days."""
        if not months and not days:
            raise ValueError("A period lasts at least one day.")
        return cls(start, start + relativedelta(months=months, days=days))

    @classmethod
    def ending_on(cls, last_day, months):
        """The ``months`` months that end with ``last_day`` included (the 12 months up to today)."""
        end = last_day + timedelta(days=1)
        return cls.of(end - relativedelta(months=months), months=months)

    @classmethod
    def through(cls, first_day, last_day):
        """A period entered with an inclusive last day (a plan's End): ``[first_day, last_day + 1 day)``."""
        return cls.of(first_day, days=(last_day - first_day).days + 1)

    @classmethod
    def until(cls, end):
        """Everything before ``end``: a customer's whole history up to a period's end."""
        return cls(None, end)

    def previous(self, months):
        """The ``months`` months just before this period, ending where it starts (growth's basis)."""
        return Period(self.start - relativedelta(months=months), self.start)

    def months(self, count):
        """The ``count`` consecutive months of this period, from its start; the last one ends with it."""
        starts = [self.start + relativedelta(months=month) for month in range(count)]
        return [Period(start, end) for start, end in zip(starts, [*starts[1:], self.end], strict=True)]

    @property
    def last_day(self):
        """The last day inside the period, for labels that show an inclusive end."""
        return self.end - timedelta(days=1)


class CustomerPeriod(NamedTuple):
    """A question about one customer (a commercial partner) of one company over a period,
    answered under ``key`` (a plan's id, an estimate's id, ...)."""

    key: object
    company_id: int
    partner_id: int
    period: Period
