"""The complaint deadlines (the cutoff rule), computed from a working-time schedule.

No database here: the caller reads a calendar's working intervals once for many complaints,
wraps them in a ``WorkingSchedule`` and asks ``complaint_deadlines`` for each complaint.

The rule (ISO 10002 timeliness, the literature's 14:00 cutoff):
- received before the cutoff (14:00) on a working day, while the team still works: due at the end
  of that working day;
- received at or after the cutoff on a working day: due at the next-day time (11:00) of the next
  working day;
- received on a day off: due at the end of the next working day;
- a key account (``key_hours``): due that many working hours after receipt, when sooner;
- an internal customer (``answer_hours``, a colleague or an internal department): due that many
  working hours after receipt, instead of the cutoff rule (its own policy, an internal service level);
- every complaint is closed by the end of the working day ``tail_days`` working days after the day
  of receipt (the next working day when received on a day off).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytz


@dataclass(frozen=True)
class DeadlinePolicy:
    """A team's complaint policy; the defaults are the product's, used wherever a team has none."""

    cutoff_hour: float = 14.0
    next_day_hour: float = 11.0
    tail_days: int = 3
    key_hours: float = 0.0  # 0: not a key account, the cutoff rule alone
    answer_hours: float = 0.0  # 0: the cutoff rule; else due this many working hours after receipt


DEFAULT_POLICY = DeadlinePolicy()
DEFAULT_KEY_ACCOUNT_HOURS = 4.0
DEFAULT_SLA_TARGET = 95.0  # share of complaints answered by their first deadline, in %
# Internal customers (colleagues, internal departments): an answer within a working day, closed
# within five working days, 90 % on time; each team may set its own.
DEFAULT_INTERNAL_HOURS = 8.0
DEFAULT_INTERNAL_TAIL_DAYS = 5
DEFAULT_INTERNAL_SLA_TARGET = 90.0


class NoWorkingDay(ValueError):
    """The schedule has no working day after the day of receipt: no deadline can be set."""


@dataclass(frozen=True)
class WorkingSchedule:
    """Working time in one time zone: ``days`` maps a local date to its (first start, last stop),
    ``spans`` lists every working interval in order; all local, time-zone aware datetimes."""

    tz: pytz.BaseTzInfo
    days: dict
    spans: tuple

    @classmethod
    def from_intervals(cls, tz, intervals):
        """From (start, stop) pairs of aware local datetimes, in any order (a calendar with a lunch
        break gives two a day; a public holiday taken as a leave gives none that day)."""
        spans = tuple(sorted(intervals))
        days = {}
        for start, stop in spans:
            first, last = days.get(start.date(), (start, stop))
            days[start.date()] = (min(first, start), max(last, stop))
        return cls(tz=tz, days=dict(sorted(days.items())), spans=spans)


def add_working_hours(spans, start, hours):
    """The moment ``hours`` working hours after ``start``, walking the working intervals (the last
    working moment of the schedule when it is too short)."""
    remaining = timedelta(hours=hours)
    for span_start, span_stop in spans:
        if span_stop <= start:
            continue
        begin = max(span_start, start)
        if span_stop - begin >= remaining:
            return begin + remaining
        remaining -= span_stop - begin
    return spans[-1][1]


def complaint_deadlines(received, schedule, policy=DEFAULT_POLICY):
    """(first deadline, final deadline) of a complaint received at ``received`` (naive UTC), both
    naive UTC. Raises ``NoWorkingDay`` when the schedule has no working day after that day."""
    tz, days = schedule.tz, schedule.days
    local = pytz.utc.localize(received).astimezone(tz)
    today = local.date()
    working_dates = [day for day in days if day >= today]
    later = [day for day in working_dates if day > today]
    if not later:
        raise NoWorkingDay(today)
    works_today = today in days
    if policy.answer_hours:
        first = add_working_hours(schedule.spans, local, policy.answer_hours)
    elif works_today and local < days[today][1] and local.hour + local.minute / 60.0 < policy.cutoff_hour:
        first = days[today][1]
    elif works_today:
        hour, minutes = int(policy.next_day_hour), round((policy.next_day_hour % 1) * 60)
        first = tz.localize(datetime.combine(later[0], time(hour, minutes)))
    else:
        first = days[later[0]][1]
    if policy.key_hours and not policy.answer_hours:
        first = min(first, add_working_hours(schedule.spans, local, policy.key_hours))
    start_index = working_dates.index(today if works_today else later[0])
    final = days[working_dates[min(start_index + policy.tail_days, len(working_dates) - 1)]][1]
    return _utc(first), _utc(final)


def schedule_window_days(tail_days):
    """Calendar days of working time to read after a receipt so that the final deadline is inside:
    the tail in working days, doubled for weekends and holidays, and two weeks more."""
    return 14 + 2 * max(tail_days, 1)


def _utc(moment):
    return moment.astimezone(pytz.utc).replace(tzinfo=None)
