from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.res_config_settings import check_score_threshold

FACTORS = ("revenue", "margin", "growth", "tenure", "potential", "threat")


class CrmKeyAccountSelection(models.TransientModel):
    """Scores the customers of the latest portfolio analysis and proposes key-account candidates."""

    _name = "crm.key.account.selection"
    _inherit = ["crm.company.wizard.mixin"]
    _description = "Key-Account Selection"
    _check_company_auto = True

    analysis_id = fields.Many2one(
        "crm.portfolio.analysis",
        string="Portfolio Analysis",
        required=True,
        default=lambda self: self.env["crm.portfolio.analysis"].search(
            [("company_id", "=", self.env.company.id), ("state", "=", "done")], order="date desc, id desc", limit=1
        ),
        domain="[('company_id', '=', company_id), ('state', '=', 'done')]",
        check_company=True,
    )
    threshold = fields.Float(
        string="Candidate From Score",
        default=lambda self: float(self._param("score_threshold", 50)),
    )
    candidate_ids = fields.One2many("crm.key.account.candidate", "selection_id", string="Candidates")

    @api.constrains("threshold")
    def _check_threshold(self):
        label = self._fields["threshold"]._description_string(self.env)
        for selection in self:
            check_score_threshold(self.env, selection.threshold, label)

    def _param(self, key, default):
        return self.env["ir.config_parameter"].sudo().get_param(f"crm_key_accounts.{key}", default)

    def _weights(self):
        defaults = {"revenue": 30, "margin": 20, "growth": 15, "tenure": 15, "potential": 10, "threat": 10}
        return {factor: float(self._param(f"weight_{factor}", default)) for factor, default in defaults.items()}

    def _factor_scores(self):
        """{partner id: {factor: 0-100}} for the analysis' customers with revenue."""
        lines = self.analysis_id.line_ids.filtered(lambda line: line.in_matrix and line.revenue > 0)
        if not lines:
            return {}
        top_revenue = max(lines.mapped("revenue"))
        top_margin = max(max(lines.mapped("margin")), 0.0)
        date = self.analysis_id.date
        first_orders = self._first_sales(lines.partner_id, date)
        scores = {}
        for line in lines:
            partner = line.partner_id
            first = first_orders.get(partner.id)
            years = (date - first).days / 365.25 if first else 0.0
            scores[partner.id] = {
                "revenue": 100.0 * line.revenue / top_revenue,
                "margin": 100.0 * max(line.margin, 0.0) / top_margin if top_margin else 0.0,
                "growth": 100.0 if line.is_new else min(max(line.growth, 0.0), 100.0),
                "tenure": min(years / 5.0, 1.0) * 100.0,  # five years and more of buying: full marks
                "potential": 20.0 * int(partner.key_account_potential or 0),
                "threat": 20.0 * int(partner.competitor_threat or 0),
            }
        return scores

    def _first_sales(self, partners, date):
        """``{partner id: day of its first sale up to date}`` in the analysis' revenue source."""
        Source = self.env["crm.revenue.source"]
        documents = Source._revenue_documents(
            self.company_id,
            self.analysis_id.revenue_source,
            Source._period_until(date + timedelta(days=1)),
            partners.ids,
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, MIN(ts)::date FROM (%s) d WHERE is_sale GROUP BY partner_id",
                documents,
            )
        )
        return dict(self.env.cr.fetchall())

    def action_compute(self):
        self.ensure_one()
        self.candidate_ids.unlink()
        weights = self._weights()
        total_weight = sum(weights.values()) or 1.0
        values = []
        for partner_id, factors in self._factor_scores().items():
            score = sum(weights[f] * factors[f] for f in FACTORS) / total_weight
            partner = self.env["res.partner"].browse(partner_id)
            if score >= self.threshold and partner.service_tier != "key":
                values.append(
                    dict(
                        {f"{f}_score": factors[f] for f in FACTORS},
                        selection_id=self.id,
                        partner_id=partner_id,
                        score=score,
                        manager_id=partner.user_id.filtered(lambda u: self.company_id in u.company_ids).id,
                    )
                )
        self.env["crm.key.account.candidate"].create(values)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
