from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .crm_key_account_plan import ACTIVE_STATES

TEAM_ROLES = [
    ("sales_lead", "Sales lead"),
    ("marketing", "Marketing"),
    ("operations", "Operations"),
    ("finance", "Finance"),
    ("product_development", "Product development"),
    ("customer_support", "Customer support"),
    ("technical_support", "Technical support"),
    ("executive_sponsor", "Executive sponsor"),
]


class CrmKeyAccountTeamMember(models.Model):
    """Who serves the key account on our side, and in which role."""

    _name = "crm.key.account.team.member"
    _description = "Key-Account Team Member"
    _inherit = ["crm.company.child.mixin"]
    _order = "plan_id, role, id"
    _check_company_auto = True
    _company_parent = "plan_id"

    plan_id = fields.Many2one("crm.key.account.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    user_id = fields.Many2one(
        "res.users", string="Member", required=True, domain="[('share', '=', False)]", check_company=True
    )
    role = fields.Selection(TEAM_ROLES, required=True)
    responsibilities = fields.Char()

    _sql_constraints = [
        ("user_role_unique", "unique(plan_id, user_id, role)", "This person already has this role in the team."),
    ]

    def init(self):
        # never two sales leads on a plan, whatever writes the rows
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS crm_key_account_team_member_one_lead
            ON crm_key_account_team_member (plan_id) WHERE role = 'sales_lead'
            """
        )

    def write(self, vals):
        if "role" in vals or "plan_id" in vals:
            self.filtered(
                lambda m: (
                    m.role == "sales_lead"
                    and (vals.get("role", m.role) != "sales_lead" or vals.get("plan_id", m.plan_id.id) != m.plan_id.id)
                )
            )._check_lead_stays()
        return super().write(vals)

    def unlink(self):
        self._check_lead_stays()
        return super().unlink()

    def _check_lead_stays(self):
        """Refuse before anything is written when these members stop being the Sales lead of an active plan."""
        for member in self.filtered(lambda m: m.role == "sales_lead" and m.plan_id.state in ACTIVE_STATES):
            raise ValidationError(
                self.env._(
                    "%(user)s is the Sales lead of %(plan)s: an active plan keeps exactly one Sales lead in its "
                    "Account Team. Give the lead to another salesperson (change the Member) or close the plan first.",
                    user=member.user_id.name,
                    plan=member.plan_id.name,
                )
            )

    @api.constrains("role", "user_id", "plan_id")
    def _check_lead(self):
        # a second lead is refused by the partial unique index; here only "the lead comes from sales"
        for member in self.filtered(lambda m: m.role == "sales_lead"):
            if not member.user_id.has_group("sales_team.group_sale_salesman"):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot be the Sales lead: the lead comes from sales (give the Sales / User "
                        "rights or choose a salesperson).",
                        user=member.user_id.name,
                    )
                )
