from odoo import api, fields, models
from odoo.exceptions import ValidationError

STRATEGY_CODES = [
    ("protect", "Protect"),
    ("reengineer", "Reengineer"),
    ("enhance", "Enhance"),
    ("harvest", "Harvest"),
    ("end", "End"),
    ("win_back", "Win back"),
    ("start", "Start"),
]


class CrmRelationshipStrategy(models.Model):
    """One of the relationship strategies (Buttle) a customer can be steered with."""

    _name = "crm.relationship.strategy"
    _description = "Relationship Strategy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(
        STRATEGY_CODES,
        required=True,
        help="The rule set this strategy follows: Win back needs a loss reason, End needs a "
        "relationship manager and may block quotations.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Html(translate=True)
    activity_plan_id = fields.Many2one(
        "mail.activity.plan",
        domain="[('res_model', '=', 'res.partner')]",
        help="Activities scheduled on the customer when this strategy is assigned.",
    )
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    _sql_constraints = [
        (
            "code_unique",
            "unique(code)",
            "Each strategy code (Protect, End, ...) can be used by one strategy only.",
        ),
    ]

    @api.constrains("activity_plan_id")
    def _check_activity_plan_company(self):
        """A strategy serves every company; its plan is scheduled by whoever assigns it. A plan of a
        company the user does not work for is one he cannot even read."""
        if self.env.su:
            return
        for strategy in self:
            company = strategy.sudo().activity_plan_id.company_id
            if company and company not in self.env.user.company_ids:
                raise ValidationError(
                    self.env._(
                        "Activity Plan: the chosen plan belongs to a company you do not work for. Choose a plan "
                        "of one of your companies, or one without a company, which every company can use."
                    )
                )

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("relationship_strategy_id", "in", self.ids)],
                ["relationship_strategy_id"],
                ["__count"],
            )
        )
        for strategy in self:
            strategy.partner_count = counts.get(strategy, 0)

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_relationship.action_relationship_customers")
        action["domain"] = [("relationship_strategy_id", "=", self.id)]
        action["context"] = {}
        return action
