"""The time a complaint waits for third parties, and the internal customers' deadlines, on data
built in the test: no database. Times are naive UTC on Tuesday 17 November 2026."""

import unittest
from datetime import datetime

from odoo.addons.crm_quality_feedback.tests.test_complaint_deadlines import office_hours, utc
from odoo.addons.crm_quality_feedback.tools.complaint_deadlines import DeadlinePolicy, complaint_deadlines
from odoo.addons.crm_quality_feedback.tools.third_party_waits import merged_waits, waiting_hours


def at(hour, day=17):
    return datetime(2026, 11, day, hour, 0)


class TestThirdPartyWaits(unittest.TestCase):
    def test_waits_from_10_to_14_and_from_12_to_16_make_6_hours(self):
        requests = [(at(10), at(14)), (at(12), at(16))]
        self.assertEqual(waiting_hours(requests, until=at(18)), 6.0)
        self.assertEqual(merged_waits(requests, at(18)), [(at(10), at(16))])

    def test_separate_waits_add_up(self):
        self.assertEqual(waiting_hours([(at(8), at(9)), (at(10), at(13))], until=at(18)), 4.0)

    def test_a_wait_inside_another_counts_once(self):
        self.assertEqual(waiting_hours([(at(9), at(17)), (at(11), at(12))], until=at(18)), 8.0)

    def test_waits_that_touch_make_one_wait(self):
        requests = [(at(10), at(12)), (at(12), at(15))]
        self.assertEqual(merged_waits(requests, at(18)), [(at(10), at(15))])
        self.assertEqual(waiting_hours(requests, until=at(18)), 5.0)

    def test_an_open_request_waits_until_now(self):
        self.assertEqual(waiting_hours([(at(10), None)], until=at(15)), 5.0)

    def test_an_open_request_overlapping_an_answered_one_counts_once(self):
        self.assertEqual(waiting_hours([(at(10), at(14)), (at(12), None)], until=at(16)), 6.0)

    def test_nothing_after_the_resolution_counts(self):
        # resolved at 13:00: the answer at 16:00 came after the complaint stopped waiting
        self.assertEqual(waiting_hours([(at(10), at(16)), (at(14), None)], until=at(13)), 3.0)

    def test_no_request_is_no_wait(self):
        self.assertEqual(waiting_hours([], until=at(13)), 0.0)

    def test_only_the_waits_inside_the_window_count(self):
        # first deadline 10:00, answer 20:00 (10 h late); waits 10:00-14:00 and 12:00-16:00
        requests = [(at(10), at(14)), (at(12), at(16))]
        self.assertEqual(waiting_hours(requests, until=at(20), window=(at(10), at(20))), 6.0)
        # a wait that began before the deadline counts from the deadline on
        self.assertEqual(waiting_hours([(at(6), at(12))], until=at(20), window=(at(10), at(20))), 2.0)

    def test_a_request_asked_after_the_end_does_not_count(self):
        self.assertEqual(waiting_hours([(at(14), at(16))], until=at(13)), 0.0)


class TestInternalCustomerDeadlines(unittest.TestCase):
    """Brussels office hours 08:00-12:00 and 13:00-17:00, Monday to Friday."""

    def test_an_internal_complaint_is_due_8_working_hours_after_receipt_not_by_the_cutoff(self):
        policy = DeadlinePolicy(answer_hours=8.0, tail_days=5)
        # received Tuesday 15:00 (after the cutoff): 2 h that day, 6 h on Wednesday -> Wednesday 15:00
        first, final = complaint_deadlines(utc(17, 15), office_hours(), policy)
        self.assertEqual(first, utc(18, 15))
        self.assertEqual(final, utc(24, 17))  # five working days after Tuesday: next Tuesday 17:00

    def test_the_internal_policy_wins_over_the_key_account_hours(self):
        policy = DeadlinePolicy(answer_hours=8.0, key_hours=4.0)
        first, _final = complaint_deadlines(utc(17, 9), office_hours(), policy)
        # 3 h before lunch, 4 h after, 1 h on Wednesday: Wednesday 09:00, not Tuesday 13:00
        self.assertEqual(first, utc(18, 9))
