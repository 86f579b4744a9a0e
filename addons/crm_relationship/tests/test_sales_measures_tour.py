from odoo.tests import tagged

from .tours import JourneyCase


@tagged("post_install", "-at_install")
class TestSalesMeasuresJourney(JourneyCase):
    def test_a_sales_manager_reads_the_measures_per_salesperson(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(
            self.env["crm.sales.measure.report"].search_count([("user_id", "=", admin.id)]),
            "the demo's salesperson has figures",
        )
        self.start_journey(
            "/odoo/action-crm_relationship.action_crm_sales_measure_report",
            "crm_relationship_sales_measures",
            login="admin",
            screenshot="sales_measures",
        )
