from datetime import timedelta

from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    feedback_requested = fields.Boolean(copy=False, help="A feedback request went to the salesperson's to-do list.")

    @api.model
    def _cron_request_feedback(self):
        """After-sale feedback: some days after an order is confirmed, the salesperson is asked (by
        an activity) to collect the customer's feedback. One batch of activities per run."""
        params = self.env["ir.config_parameter"].sudo()
        delay = int(params.get_param("crm_quality_feedback.feedback_delay_days", 7))
        orders = self.search(
            [
                ("state", "=", "sale"),
                ("feedback_requested", "=", False),
                ("date_order", "<=", fields.Datetime.now() - timedelta(days=delay)),
                ("date_order", ">=", fields.Datetime.now() - timedelta(days=delay + 30)),
            ]
        )
        if not orders:
            return
        activity_type = self.env.ref("crm_quality_feedback.mail_activity_type_feedback_request")
        model_id = self.env["ir.model"]._get_id("sale.order")
        today = fields.Date.context_today(self)
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": order.id,
                    "activity_type_id": activity_type.id,
                    # the type's summary as the salesperson reads it, not as the job's user
                    "summary": activity_type.with_context(lang=salesperson.lang).summary,
                    "date_deadline": today,
                    "user_id": salesperson.id,
                }
                for order in orders
                for salesperson in [order.user_id or self.env.user]
            ]
        )
        orders.write({"feedback_requested": True})
