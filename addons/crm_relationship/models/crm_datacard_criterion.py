from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# The items of a complete customer record that the core knows; modules add theirs with
# ``selection_add`` and answer them through ``_crm_datacard_queries``.
DATACARD_CRITERIA = [
    ("contact_role", "Contact person with a role"),
    ("address", "Address"),
    ("phone_email", "Phone or e-mail"),
    ("visit_notes", "Notes of a recent visit"),
    ("strategy", "Relationship strategy"),
    ("wallet_estimate", "Share-of-wallet estimate of the year"),
]


class CrmDatacardCriterion(models.Model):
    """One item of the customer data card: what a complete customer record holds, per company.

    The shipped items are data of the main company; every other company gets its own copies the
    first time its data cards are refreshed (or when it is created), so that each company turns
    items on and off and words them for itself. A customer's completeness counts the active items
    of its company."""

    _name = "crm.datacard.criterion"
    _description = "Customer Data Card Item"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(string="Label", required=True, translate=True)
    description = fields.Text(
        string="Help", translate=True, help="What the item asks of the customer record, as salespeople read it."
    )
    code = fields.Selection(
        DATACARD_CRITERIA,
        string="Checks",
        required=True,
        help="The rule that decides whether a customer record holds this item.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, help="Only active items count in the completeness of a data card.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    _sql_constraints = [
        (
            "company_code_unique",
            "unique(company_id, code)",
            "A company checks each data card item once: edit or reactivate the existing item instead.",
        ),
    ]

    # ------------------------------------------------------------------ settings

    @api.model
    def _get_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        return {
            "visit_days": int(params.get_param("crm_relationship.datacard_visit_days", 90)),
            "target": float(params.get_param("crm_relationship.datacard_target", 80.0)),
        }

    # ------------------------------------------------------------------ extension point

    @api.model
    def _crm_datacard_queries(self, company, today, settings):
        """Extension point: per item code, the ``SQL`` SELECT of the customers of ``company`` whose
        record holds that item on ``today``, as one column ``partner_id`` (commercial partners).

        The selects may read the CTE ``customers`` (``partner_id``, ``user_id``): the customers
        being refreshed. An override calls ``super()``, adds the codes it knows (and declared with
        ``selection_add`` on ``code``) and returns the dict; each select is one set-based query
        for all customers, never one per customer. An active item whose code nobody answers is
        left out of the completeness."""
        company_id = company.id
        return {
            "contact_role": SQL(
                """
                SELECT DISTINCT person.commercial_partner_id AS partner_id
                FROM res_partner person
                JOIN customers c ON c.partner_id = person.commercial_partner_id
                WHERE person.active AND person.id <> person.commercial_partner_id
                  AND NULLIF(TRIM(person.function), '') IS NOT NULL
                """
            ),
            "address": SQL(
                """
                SELECT p.id AS partner_id
                FROM res_partner p
                JOIN customers c ON c.partner_id = p.id
                WHERE NULLIF(TRIM(p.street), '') IS NOT NULL AND NULLIF(TRIM(p.city), '') IS NOT NULL
                  AND p.country_id IS NOT NULL
                """
            ),
            "phone_email": SQL(
                """
                SELECT DISTINCT person.commercial_partner_id AS partner_id
                FROM res_partner person
                JOIN customers c ON c.partner_id = person.commercial_partner_id
                WHERE person.active AND (NULLIF(TRIM(person.phone), '') IS NOT NULL
                      OR NULLIF(TRIM(person.mobile), '') IS NOT NULL
                      OR NULLIF(TRIM(person.email), '') IS NOT NULL)
                """
            ),
            # the last personal meeting up to today: within the days of the setting, with notes
            "visit_notes": SQL(
                """
                SELECT last_visit.partner_id
                FROM (
                    SELECT DISTINCT ON (log.partner_id) log.partner_id, log.date, log.note
                    FROM crm_contact_log log
                    JOIN customers c ON c.partner_id = log.partner_id
                    WHERE log.company_id = %(company_id)s AND log.channel = 'meeting' AND log.date < %(until)s
                    ORDER BY log.partner_id, log.date DESC, log.id DESC
                ) last_visit
                WHERE last_visit.date >= %(since)s
                  AND REGEXP_REPLACE(COALESCE(last_visit.note, ''), '<[^>]*>|&nbsp;|\\s', '', 'g') <> ''
                """,
                company_id=company_id,
                since=fields.Datetime.to_datetime(today) - timedelta(days=settings["visit_days"] - 1),
                until=fields.Datetime.to_datetime(today) + timedelta(days=1),
            ),
            "strategy": SQL(
                """
                SELECT p.id AS partner_id
                FROM res_partner p
                JOIN customers c ON c.partner_id = p.id
                WHERE p.relationship_strategy_id IS NOT NULL
                """
            ),
            "wallet_estimate": SQL(
                """
                SELECT DISTINCT estimate.partner_id
                FROM crm_wallet_estimate estimate
                JOIN customers c ON c.partner_id = estimate.partner_id
                WHERE estimate.company_id = %(company_id)s AND estimate.year = %(year)s
                """,
                company_id=company_id,
                year=today.year,
            ),
        }

    # ------------------------------------------------------------------ shipped items per company

    @api.model
    def _ensure_company_criteria(self, companies):
        """Give ``companies`` a copy of each shipped item (an item with an XML id, whatever its
        module) whose code they lack, active or not: a company that was created before a module
        shipped its item gets it too. A bounded number of queries whatever the companies."""
        Criterion = self.sudo().with_context(active_test=False)
        shipped_ids = self.env["ir.model.data"].sudo().search([("model", "=", self._name)]).mapped("res_id")
        shipped = Criterion.browse(shipped_ids).exists()
        existing = {
            (company.id, code)
            for company, code in Criterion._read_group([("company_id", "in", companies.ids)], ["company_id", "code"])
        }
        templates = {}
        for criterion in shipped.sorted(lambda c: (c.sequence, c.id)):
            templates.setdefault(criterion.code, criterion)
        created = Criterion.browse()
        for company in companies:
            missing = Criterion.union(
                *(template for code, template in templates.items() if (company.id, code) not in existing)
            )
            if missing:
                # a copy keeps the translations of the labels and help
                created |= missing.copy({"company_id": company.id})
        return created
