from odoo import api, fields, models
from odoo.tools import SQL

from .crm_portfolio_line import ABC_CLASSES, BCG_QUADRANTS
from .res_partner import LIFECYCLE_STAGES


class CrmRelationshipProgrammeMember(models.Model):
    """A customer enrolled in a relationship programme, and what the evaluation found: his segment
    at enrolment, his margin and purchases against his own baseline and against his control
    group, and whether he is a free rider."""

    _name = "crm.relationship.programme.member"
    _description = "Relationship Programme Member"
    _inherit = ["crm.company.child.mixin", "crm.process.fields.mixin"]
    _company_parent = "programme_id"
    _order = "programme_id, partner_id"
    _rec_name = "partner_id"
    _process_fields = (
        "bcg_quadrant",
        "abc_class",
        "lifecycle_stage",
        "regular_at_enrolment",
        "base_margin",
        "evaluation_margin",
        "base_orders",
        "evaluation_orders",
        "margin_change",
        "frequency_change",
        "control_margin_change",
        "control_frequency_change",
        "expected_margin",
        "incremental_margin",
        "is_free_rider",
        "offer_cost",
    )

    programme_id = fields.Many2one("crm.relationship.programme", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="programme_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, domain="[('is_company', '=', True)]"
    )
    date_enrolled = fields.Date(
        string="Enrolled On",
        required=True,
        help="His baseline is the evaluation's length of days before this day. "
        "Default: the programme's enrolment date.",
    )

    bcg_quadrant = fields.Selection(BCG_QUADRANTS, string="BCG Quadrant", readonly=True, copy=False)
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True, copy=False)
    lifecycle_stage = fields.Selection(LIFECYCLE_STAGES, readonly=True, copy=False)
    regular_at_enrolment = fields.Boolean(
        readonly=True, copy=False, help="Lifecycle stage Regular in the portfolio run before the programme."
    )
    base_margin = fields.Monetary(string="Baseline Margin", readonly=True, copy=False)
    evaluation_margin = fields.Monetary(readonly=True, copy=False)
    base_orders = fields.Integer(string="Baseline Purchases", readonly=True, copy=False)
    evaluation_orders = fields.Integer(string="Evaluation Purchases", readonly=True, copy=False)
    margin_change = fields.Float(
        string="Margin Change (%)", readonly=True, copy=False, digits=(16, 1), aggregator="avg"
    )
    frequency_change = fields.Float(
        string="Frequency Change (%)", readonly=True, copy=False, digits=(16, 1), aggregator="avg"
    )
    control_margin_change = fields.Float(
        string="Control Margin Change (%)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        aggregator="avg",
        help="The change of the non-members of his segment; 0 without any.",
    )
    control_frequency_change = fields.Float(
        string="Control Frequency Change (%)", readonly=True, copy=False, digits=(16, 1), aggregator="avg"
    )
    expected_margin = fields.Monetary(
        readonly=True, copy=False, help="His baseline margin grown by his control group's change."
    )
    incremental_margin = fields.Monetary(
        readonly=True, copy=False, help="Evaluation margin less expected margin: what the programme added."
    )
    is_free_rider = fields.Boolean(
        string="Free Rider",
        readonly=True,
        copy=False,
        help="Regular at enrolment, and neither margin nor purchases rose beyond the control group's change "
        "by more than the programme's threshold.",
    )
    offer_cost = fields.Monetary(readonly=True, copy=False, help="What the offer cost for this member.")

    _sql_constraints = [
        ("programme_partner_unique", "unique(programme_id, partner_id)", "The customer is already a member."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        # read in one batch: a wave enrols thousands of customers at once
        partners = self.env["res.partner"].browse({vals["partner_id"] for vals in vals_list if vals.get("partner_id")})
        commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
        programmes = self.env["crm.relationship.programme"].browse(
            {vals["programme_id"] for vals in vals_list if vals.get("programme_id")}
        )
        starts = {programme.id: programme.date_start for programme in programmes}
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = commercial[vals["partner_id"]]
            if not vals.get("date_enrolled") and vals.get("programme_id"):
                vals["date_enrolled"] = starts[vals["programme_id"]]
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("partner_id"):
            vals = dict(vals, partner_id=self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id)
        return super().write(vals)

    def _process_field_hint(self, name, value):
        return self.env._("use the button Evaluate of the programme.")

    @api.model
    def _write_results(self, updates, offer_cost, currency):
        """Write the evaluation of many members in one UPDATE: ``updates`` holds, per member,
        ``(id, bcg quadrant, abc class, lifecycle stage, regular, Sums, MemberResult)``; amounts
        are rounded to ``currency`` and percentages to their digits, as a write would."""
        if not updates:
            return

        def money(values):
            return ("numeric", [currency.round(value) for value in values])

        def percent(values):
            return ("numeric", [round(value * 100, 1) for value in values])

        columns = {
            "bcg_quadrant": ("varchar", [row[1] or None for row in updates]),
            "abc_class": ("varchar", [row[2] or None for row in updates]),
            "lifecycle_stage": ("varchar", [row[3] or None for row in updates]),
            "regular_at_enrolment": ("bool", [row[4] for row in updates]),
            "base_margin": money(row[5].base_margin for row in updates),
            "evaluation_margin": money(row[5].evaluation_margin for row in updates),
            "base_orders": ("int", [row[5].base_orders for row in updates]),
            "evaluation_orders": ("int", [row[5].evaluation_orders for row in updates]),
            "margin_change": percent(row[6].margin_change for row in updates),
            "frequency_change": percent(row[6].frequency_change for row in updates),
            "control_margin_change": percent(row[6].control_margin_change for row in updates),
            "control_frequency_change": percent(row[6].control_frequency_change for row in updates),
            "expected_margin": money(row[6].expected_margin for row in updates),
            "incremental_margin": money(row[5].evaluation_margin - row[6].expected_margin for row in updates),
            "is_free_rider": ("bool", [row[6].free_rider for row in updates]),
        }
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_relationship_programme_member m
                SET %(assignments)s, offer_cost = %(offer_cost)s,
                    write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
                FROM unnest(%(ids)s::int[], %(arrays)s) AS r(id, %(names)s)
                WHERE m.id = r.id
                """,
                assignments=SQL(", ").join(
                    SQL("%s = r.%s", SQL.identifier(name), SQL.identifier(name)) for name in columns
                ),
                offer_cost=offer_cost,
                uid=self.env.uid,
                ids=[row[0] for row in updates],
                arrays=SQL(", ").join(SQL("%s::%s[]", values, SQL(kind)) for kind, values in columns.values()),
                names=SQL(", ").join(SQL.identifier(name) for name in columns),
            )
        )
        self.invalidate_model([*columns, "offer_cost", "write_uid", "write_date"])
