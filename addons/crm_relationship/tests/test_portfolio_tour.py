from odoo.tests import tagged

from .tours import JourneyCase


@tagged("post_install", "-at_install")
class TestRelationshipJourneys(JourneyCase):
    def test_matrix_screen_draws_the_demo_run(self):
        analysis = self.env.ref("crm_relationship.demo_portfolio_analysis", raise_if_not_found=False)
        if not analysis or analysis.state != "done":
            analysis = self.env["crm.portfolio.analysis"].create({})
            analysis.action_compute()
        self.assertTrue(analysis.line_ids.filtered("in_matrix"), "the demo data gives the matrix something to draw")
        self.start_journey(
            f"/odoo/action-crm_relationship.action_crm_portfolio_matrix?analysis_id={analysis.id}",
            "crm_relationship_portfolio_matrix",
            login="admin",
            screenshot="portfolio_matrix",
        )

    def test_run_an_analysis_and_open_a_customer_from_the_matrix(self):
        runs_before = self.env["crm.portfolio.analysis"].search_count([])
        self.start_journey(
            "/odoo/action-crm_relationship.action_crm_portfolio_run",
            "crm_relationship_run_analysis_open_customer",
            login="admin",
            screenshot="customer_from_matrix",
        )
        run = self.env["crm.portfolio.analysis"].search([], order="id desc", limit=1)
        self.assertEqual(self.env["crm.portfolio.analysis"].search_count([]), runs_before + 1)
        self.assertEqual(run.state, "done")
        self.assertTrue(run.line_count)

    def test_assign_a_strategy_from_the_dossier(self):
        customer = self.env["res.partner"].search([("name", "=", "Northwind Fit-Outs")], limit=1)
        self.assertTrue(customer, "a customer of the demo story")
        self.start_journey(
            f"/odoo/contacts/{customer.id}",
            "crm_relationship_assign_strategy_from_dossier",
            login="admin",
            screenshot="customer_dossier",
        )
        self.assertEqual(customer.relationship_strategy_id, self.env.ref("crm_relationship.strategy_protect"))
        self.assertIn("protect the account", customer.relationship_strategy_reason)
        self.assertEqual(customer.relationship_strategy_user_id, self.env.ref("base.user_admin"))
