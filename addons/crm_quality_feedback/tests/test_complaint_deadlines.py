"""The cutoff rule on schedules built in the test: no database, no calendar record.

The schedule is Brussels office hours, 08:00-12:00 and 13:00-17:00 from Monday to Friday, in
November 2026 (UTC+1); 16 November is a Monday. Receipts and deadlines are written in Brussels
time and converted, so each case reads as the rule says it.
"""

import unittest
from datetime import date, datetime, timedelta

import pytz

from odoo.addons.crm_quality_feedback.tools.complaint_deadlines import (
    DEFAULT_POLICY,
    DeadlinePolicy,
    NoWorkingDay,
    WorkingSchedule,
    add_working_hours,
    complaint_deadlines,
)

BRUSSELS = pytz.timezone("Europe/Brussels")


def office_hours(holidays=(), lunch=True, first=date(2026, 11, 16), weeks=4):
    intervals = []
    for offset in range(weeks * 7):
        day = first + timedelta(days=offset)
        if day.weekday() >= 5 or day in holidays:
            continue
        blocks = [(8, 12), (13, 17)] if lunch else [(8, 17)]
        for start, stop in blocks:
            intervals.append(
                (
                    BRUSSELS.localize(datetime.combine(day, datetime.min.time()).replace(hour=start)),
                    BRUSSELS.localize(datetime.combine(day, datetime.min.time()).replace(hour=stop)),
                )
            )
    return WorkingSchedule.from_intervals(BRUSSELS, intervals)


def utc(day, hour, minute=0):
    """Brussels wall-clock time as the naive UTC the database stores."""
    local = BRUSSELS.localize(datetime(2026, 11, day, hour, minute))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


class TestComplaintDeadlines(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.schedule = office_hours()

    def deadlines(self, day, hour, minute=0, schedule=None, policy=DEFAULT_POLICY):
        return complaint_deadlines(utc(day, hour, minute), schedule or self.schedule, policy)

    def test_the_product_defaults(self):
        self.assertEqual(DEFAULT_POLICY, DeadlinePolicy(cutoff_hour=14.0, next_day_hour=11.0, tail_days=3))

    def test_received_at_13_59_is_due_at_the_end_of_that_day(self):
        self.assertEqual(self.deadlines(17, 13, 59), (utc(17, 17), utc(20, 17)))

    def test_received_at_14_00_exactly_is_due_next_working_day_at_11(self):
        self.assertEqual(self.deadlines(17, 14, 0), (utc(18, 11), utc(20, 17)))

    def test_friday_afternoon_is_due_monday_at_11(self):
        self.assertEqual(self.deadlines(20, 15, 30), (utc(23, 11), utc(25, 17)))

    def test_saturday_is_due_at_the_end_of_monday(self):
        self.assertEqual(self.deadlines(21, 10), (utc(23, 17), utc(26, 17)))

    def test_a_public_holiday_is_skipped(self):
        # Wednesday 18 November taken as a public holiday (a leave of the calendar)
        schedule = office_hours(holidays={date(2026, 11, 18)})
        self.assertEqual(self.deadlines(17, 15, schedule=schedule), (utc(19, 11), utc(23, 17)))

    def test_the_lunch_break_is_not_working_time_for_a_key_account(self):
        key = DeadlinePolicy(key_hours=4.0)
        # 10:00 + 2 h until 12:00, lunch, 2 h more from 13:00: 15:00, sooner than 17:00
        self.assertEqual(self.deadlines(17, 10, policy=key)[0], utc(17, 15))
        without_lunch = office_hours(lunch=False)
        self.assertEqual(self.deadlines(17, 10, schedule=without_lunch, policy=key)[0], utc(17, 14))

    def test_a_key_account_after_the_cutoff_keeps_the_sooner_of_both(self):
        key = DeadlinePolicy(key_hours=4.0)
        # 15:00 + 2 h until 17:00, 2 h the next morning: 10:00, sooner than 11:00
        self.assertEqual(self.deadlines(17, 15, policy=key)[0], utc(18, 10))

    def test_a_team_cutoff_of_its_own(self):
        early = DeadlinePolicy(cutoff_hour=12.0, next_day_hour=9.5, tail_days=5)
        self.assertEqual(self.deadlines(17, 12, 30, policy=early), (utc(18, 9, 30), utc(24, 17)))

    def test_received_after_the_days_work_but_before_the_cutoff(self):
        short_friday = WorkingSchedule.from_intervals(
            BRUSSELS,
            [(start, stop) for start, stop in office_hours().spans if not (start.day == 20 and start.hour == 13)],
        )
        # Friday's work ends at 12:00: at 12:30 the answer is due Monday 11:00
        self.assertEqual(self.deadlines(20, 12, 30, schedule=short_friday)[0], utc(23, 11))

    def test_no_working_day_ahead_is_refused(self):
        idle = WorkingSchedule.from_intervals(BRUSSELS, [])
        with self.assertRaises(NoWorkingDay):
            complaint_deadlines(utc(17, 10), idle)

    def test_adding_working_hours_walks_over_the_night(self):
        spans = self.schedule.spans
        start = BRUSSELS.localize(datetime(2026, 11, 17, 16, 0))
        self.assertEqual(add_working_hours(spans, start, 3), BRUSSELS.localize(datetime(2026, 11, 18, 10, 0)))
