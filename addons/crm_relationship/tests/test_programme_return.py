from odoo.tests import BaseCase

from ..tools.programme_return import Sums, change, member_result, roi

CONTROL_PLUS_10 = Sums(base_margin=50000.0, evaluation_margin=55000.0, base_orders=2, evaluation_orders=2)


class TestProgrammeReturn(BaseCase):
    def test_change_is_relative_and_zero_without_anything_before(self):
        self.assertAlmostEqual(change(100000.0, 130000.0), 0.3)
        self.assertAlmostEqual(change(50000.0, 55000.0), 0.1)
        self.assertEqual(change(0.0, 5000.0), 0.0)

    def test_a_member_who_grew_60_percent_beyond_a_control_group_at_10_percent_is_no_free_rider(self):
        result = member_result(Sums(25000.0, 40000.0, 1, 1), CONTROL_PLUS_10, True, 0.05)
        self.assertAlmostEqual(result.margin_change, 0.6)
        self.assertAlmostEqual(result.control_margin_change, 0.1)
        self.assertEqual((result.frequency_change, result.control_frequency_change), (0.0, 0.0))
        self.assertAlmostEqual(result.expected_margin, 27500.0)
        self.assertFalse(result.free_rider)

    def test_a_regular_member_who_stayed_flat_is_a_free_rider_and_a_non_regular_one_is_not(self):
        flat = Sums(25000.0, 25000.0, 1, 1)
        self.assertTrue(member_result(flat, CONTROL_PLUS_10, True, 0.05).free_rider)
        self.assertFalse(member_result(flat, CONTROL_PLUS_10, False, 0.05).free_rider)

    def test_a_rise_exactly_at_the_threshold_beyond_the_control_still_makes_a_free_rider(self):
        # margin +15 % against the control's +10 %: 5 points, not more than the 5 % threshold
        self.assertTrue(member_result(Sums(20000.0, 23000.0, 2, 2), CONTROL_PLUS_10, True, 0.05).free_rider)
        # more purchases (+50 % against 0 %) is enough to be no free rider
        self.assertFalse(member_result(Sums(20000.0, 23000.0, 2, 3), CONTROL_PLUS_10, True, 0.05).free_rider)

    def test_without_control_data_the_expected_margin_is_the_baseline(self):
        result = member_result(Sums(25000.0, 30000.0, 1, 2), Sums(0.0, 0.0, 0, 0), False, 0.05)
        self.assertEqual((result.control_margin_change, result.expected_margin), (0.0, 25000.0))
        self.assertAlmostEqual(result.frequency_change, 1.0)

    def test_roi_of_20000_incremental_on_10000_cost_is_100_percent_and_none_without_cost(self):
        self.assertEqual(roi(20000.0, 10000.0), 1.0)
        self.assertEqual(roi(5000.0, 10000.0), -0.5)
        self.assertIsNone(roi(20000.0, 0.0))
