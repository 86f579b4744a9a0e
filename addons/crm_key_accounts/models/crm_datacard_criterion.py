from odoo import api, fields, models
from odoo.tools import SQL


class CrmDatacardCriterion(models.Model):
    _inherit = "crm.datacard.criterion"

    code = fields.Selection(
        selection_add=[("decision_maker", "Decision maker")], ondelete={"decision_maker": "cascade"}
    )

    @api.model
    def _crm_datacard_queries(self, company, today, settings):
        """The decision maker item: a person of the customer, still on file, is a decision maker on
        the stakeholder map of one of the customer's key-account plans in ``company``."""
        queries = super()._crm_datacard_queries(company, today, settings)
        queries["decision_maker"] = SQL(
            """
            SELECT DISTINCT plan.partner_id
            FROM crm_key_account_stakeholder stakeholder
            JOIN crm_key_account_plan plan ON plan.id = stakeholder.plan_id
            JOIN res_partner person ON person.id = stakeholder.contact_id
            JOIN customers c ON c.partner_id = plan.partner_id
            WHERE stakeholder.role = 'decision_maker' AND plan.company_id = %(company_id)s AND plan.active
              AND person.active
            """,
            company_id=company.id,
        )
        return queries
