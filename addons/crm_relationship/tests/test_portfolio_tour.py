from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPortfolioMatrixTour(HttpCase):
    def test_matrix_screen_draws_the_demo_run(self):
        analysis = self.env.ref("crm_relationship.demo_portfolio_analysis", raise_if_not_found=False)
        if not analysis or analysis.state != "done":
            analysis = self.env["crm.portfolio.analysis"].create({})
            analysis.action_compute()
        self.assertTrue(analysis.line_ids.filtered("in_matrix"), "the demo data gives the matrix something to draw")
        self.start_tour(
            f"/odoo/action-crm_relationship.action_crm_portfolio_matrix?analysis_id={analysis.id}",
            "crm_relationship_portfolio_matrix",
            login="admin",
        )
