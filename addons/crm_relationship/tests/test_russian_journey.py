from odoo.tests import new_test_user, tagged

from .tours import JourneyCase


@tagged("post_install", "-at_install")
class TestRussianJourney(JourneyCase):
    """A sales manager who works in Russian opens a customer's dossier and the portfolio matrix."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["ir.module.module"].search([("state", "=", "installed")])._update_translations("ru_RU")
        cls.manager = new_test_user(
            cls.env, login="ru_sales_manager", groups="sales_team.group_sale_manager", lang="ru_RU", tz="Europe/Moscow"
        )

    def test_the_dossier_in_russian(self):
        customer = self.env["res.partner"].search([("name", "=", "Northwind Fit-Outs")], limit=1)
        self.assertTrue(customer, "a customer of the demo story")
        self.start_journey(
            f"/odoo/contacts/{customer.id}",
            "crm_relationship_dossier_in_russian",
            login=self.manager.login,
            screenshot="customer_dossier_ru",
        )

    def test_the_portfolio_matrix_in_russian(self):
        analysis = self.env.ref("crm_relationship.demo_portfolio_analysis")
        self.start_journey(
            f"/odoo/action-crm_relationship.action_crm_portfolio_matrix?analysis_id={analysis.id}",
            "crm_relationship_portfolio_matrix",
            login=self.manager.login,
            screenshot="portfolio_matrix_ru",
        )
        stages = dict(
            self.env["res.partner"]
            .with_context(lang="ru_RU")
            ._fields["lifecycle_stage"]
            ._description_selection(self.env(context={"lang": "ru_RU"}))
        )
        self.assertNotEqual(stages["at_risk"], "At risk", "our terms are loaded in Russian")
