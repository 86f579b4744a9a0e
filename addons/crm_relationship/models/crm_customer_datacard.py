import calendar

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL


class CrmCustomerDatacard(models.Model):
    """How complete a customer's record is, per company: the active data card items of the
    company that the record holds, and those it misses.

    A snapshot, one row per (company, commercial partner), rewritten in bulk by the nightly job
    and on demand with one SQL statement per company: nothing here is a stored compute on
    ``res.partner``. The salesperson is the customer's at the refresh."""

    _name = "crm.customer.datacard"
    _inherit = ["crm.commercial.partner.mixin"]
    _description = "Customer Data Card"
    _order = "completeness, partner_id"
    _rec_name = "partner_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", readonly=True, index=True, help="The customer's salesperson at the refresh."
    )
    date = fields.Date(string="Refreshed On", readonly=True)
    criteria_count = fields.Integer(
        string="Items", readonly=True, help="The active data card items of the company checked on the customer."
    )
    criteria_met = fields.Integer(string="Items Held", readonly=True)
    completeness = fields.Float(
        string="Completeness (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 0),
        help="Items held / items, shown to the whole percent; a salesperson's completeness is the average of "
        "his customers'.",
    )
    missing_criterion_ids = fields.Many2many(
        "crm.datacard.criterion",
        "crm_customer_datacard_missing_rel",
        "datacard_id",
        "criterion_id",
        string="Missing",
        readonly=True,
        help="The items the customer record does not hold yet.",
    )

    _sql_constraints = [
        (
            "company_partner_unique",
            "unique(company_id, partner_id)",
            "A customer has one data card per company.",
        ),
    ]

    # ------------------------------------------------------------------ computation

    @api.model
    def _refresh(self, companies=None, partner_ids=None, today=None):
        """Recompute the data cards of ``companies``' customers (or of ``partner_ids``, commercial
        partners) on ``today``: one statement per company, whatever the number of customers."""
        Criterion = self.env["crm.datacard.criterion"]
        companies = companies or self.env["res.company"].sudo().search([])
        today = today or fields.Date.context_today(self)
        partner_ids = list(partner_ids) if partner_ids is not None else None
        settings = Criterion._get_settings()
        if partner_ids is None:  # a full refresh (the nightly job) gives new companies their items
            Criterion._ensure_company_criteria(companies)
        self.env.flush_all()
        criteria = Criterion.sudo().search([("company_id", "in", companies.ids)])
        for company in companies:
            queries = Criterion._crm_datacard_queries(company, today, settings)
            checked = criteria.filtered(
                lambda c, company=company, codes=queries: c.company_id == company and c.code in codes
            )
            self.env.cr.execute(self._refresh_query(company, checked, queries, partner_ids, today))
        self.env.invalidate_all()

    @api.model
    def _customers_query(self, company, partner_ids):
        """The customers of ``company``: commercial partners, not one of our companies, shared or of
        ``company``, that are customers (a customer rank) or have a value line in ``company``."""
        return SQL(
            """
            SELECT p.id AS partner_id, p.user_id
            FROM res_partner p
            WHERE p.active AND p.id = p.commercial_partner_id
              AND (p.company_id IS NULL OR p.company_id = %(company_id)s)
              AND (p.customer_rank > 0 OR EXISTS (
                      SELECT 1 FROM crm_customer_value v WHERE v.company_id = %(company_id)s AND v.partner_id = p.id))
              AND NOT EXISTS (SELECT 1 FROM res_company own WHERE own.partner_id = p.id)
              AND (%(partner_ids)s::int[] IS NULL OR p.id = ANY(%(partner_ids)s::int[]))
            """,
            company_id=company.id,
            partner_ids=partner_ids,
        )

    @api.model
    def _refresh_query(self, company, criteria, queries, partner_ids, today):
        """One statement: the data cards of ``company``'s customers written in place (insert or
        update) with their missing items, and the cards of those no longer customers removed.
        Without any active item, a company has no data card."""
        held = [
            SQL("SELECT %s AS criterion_id, held.partner_id FROM (%s) held", criterion.id, queries[criterion.code])
            for criterion in criteria
        ] or [SQL("SELECT NULL::int AS criterion_id, NULL::int AS partner_id WHERE FALSE")]
        return SQL(
            """
WITH customers AS MATERIALIZED (
    SELECT * FROM (%(customers)s) customers WHERE cardinality(%(criterion_ids)s::int[]) > 0
), held AS MATERIALIZED (
    %(held)s
), missing AS (
    SELECT c.partner_id, item.criterion_id
    FROM customers c
    CROSS JOIN unnest(%(criterion_ids)s::int[]) AS item(criterion_id)
    WHERE NOT EXISTS (
        SELECT 1 FROM held h WHERE h.partner_id = c.partner_id AND h.criterion_id = item.criterion_id)
), figures AS (
    SELECT c.partner_id, c.user_id, COUNT(m.criterion_id) AS missing
    FROM customers c
    LEFT JOIN missing m ON m.partner_id = c.partner_id
    GROUP BY c.partner_id, c.user_id
), upserted AS (
    INSERT INTO crm_customer_datacard (
        company_id, partner_id, user_id, date, criteria_count, criteria_met, completeness,
        create_uid, write_uid, create_date, write_date)
    SELECT %(company_id)s, f.partner_id, f.user_id, %(today)s, %(total)s, %(total)s - f.missing,
           100.0 * (%(total)s - f.missing) / %(total)s,
           %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
    FROM figures f
    ON CONFLICT (company_id, partner_id) DO UPDATE SET
        user_id = EXCLUDED.user_id, date = EXCLUDED.date, criteria_count = EXCLUDED.criteria_count,
        criteria_met = EXCLUDED.criteria_met, completeness = EXCLUDED.completeness,
        write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
    RETURNING id, partner_id
), removed_items AS (
    DELETE FROM crm_customer_datacard_missing_rel rel
    USING upserted u
    WHERE rel.datacard_id = u.id
      AND NOT EXISTS (
          SELECT 1 FROM missing m WHERE m.partner_id = u.partner_id AND m.criterion_id = rel.criterion_id)
), added_items AS (
    INSERT INTO crm_customer_datacard_missing_rel (datacard_id, criterion_id)
    SELECT u.id, m.criterion_id
    FROM upserted u
    JOIN missing m ON m.partner_id = u.partner_id
    WHERE NOT EXISTS (
        SELECT 1 FROM crm_customer_datacard_missing_rel rel
        WHERE rel.datacard_id = u.id AND rel.criterion_id = m.criterion_id)
    ON CONFLICT DO NOTHING
)
DELETE FROM crm_customer_datacard card
WHERE card.company_id = %(company_id)s
  AND (%(partner_ids)s::int[] IS NULL OR card.partner_id = ANY(%(partner_ids)s::int[]))
  AND card.partner_id NOT IN (SELECT partner_id FROM upserted)
""",
            customers=self._customers_query(company, partner_ids),
            criterion_ids=criteria.ids,
            held=SQL(" UNION ALL ").join(held),
            company_id=company.id,
            partner_ids=partner_ids,
            today=today,
            total=len(criteria) or 1,
            uid=self.env.uid,
        )

    # ------------------------------------------------------------------ monthly review

    @api.model
    def _cron_review_salespeople(self):
        """Monthly: a review activity for the sales manager of each salesperson whose customers'
        data cards are below the target on average. The cards are the night's: the customer
        value job refreshes them every night before this one runs."""
        self._review_salespeople()

    @api.model
    def _review_salespeople(self, today=None):
        """Schedule, for each salesperson whose customers' average completeness (all companies)
        is below the Data Card Target, one review activity due at the end of ``today``'s month,
        assigned to the salesperson's sales team leader (a sales manager of his company when he
        leads the team himself or has none). A salesperson who already has an open review in that
        month gets no other. Returns the activities created."""
        today = today or fields.Date.context_today(self)
        target = self.env["crm.datacard.criterion"]._get_settings()["target"]
        Card = self.sudo()
        below = {
            user: average
            for user, average in Card._read_group([("user_id", "!=", False)], ["user_id"], ["completeness:avg"])
            if average < target
        }
        if not below:
            return self.env["mail.activity"]
        review_type = self.env.ref("crm_relationship.mail_activity_type_datacard_review")
        month_start = today.replace(day=1)
        month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        salespeople = self.env["res.users"].union(*below)
        reviewed = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("activity_type_id", "=", review_type.id),
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", salespeople.partner_id.ids),
                    ("date_deadline", ">=", month_start),
                    ("date_deadline", "<=", month_end),
                ]
            )
            .mapped("res_id")
        )
        reviewers = salespeople._crm_reviewers()
        partner_model = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for user, average in below.items():
            if user.partner_id.id in reviewed:
                continue
            reviewer = reviewers.get(user, user)
            # in the reviewer's language, not the monthly job's
            reviewer_env = self.with_context(lang=reviewer.lang or self.env.lang).env
            vals_list.append(
                {
                    "res_model_id": partner_model,
                    "res_id": user.partner_id.id,
                    "activity_type_id": review_type.id,
                    "user_id": reviewer.id,
                    "date_deadline": month_end,
                    "automated": True,
                    "summary": reviewer_env._("Review %(salesperson)s's customer data cards", salesperson=user.name),
                    "note": reviewer_env._(
                        "The data cards of %(salesperson)s's customers are %(completeness)s %% complete on "
                        "average, below the target of %(target)s %%: go through what they miss together "
                        "(Relationship > Reporting > Data Card Completeness).",
                        salesperson=user.name,
                        completeness=round(average),
                        target=round(target),
                    ),
                }
            )
        return self.env["mail.activity"].sudo().create(vals_list)

    # ------------------------------------------------------------------ actions

    @api.model
    def action_refresh(self):
        """Refresh the data cards of the user's companies now (a Relationship Manager's button)."""
        if not self.env.user.has_group("crm_relationship.group_relationship_manager"):
            raise AccessError(self.env._("Only a Relationship Manager can refresh all customers' data cards."))
        self._refresh(companies=self.env.companies)
        return {"type": "ir.actions.client", "tag": "reload"}
