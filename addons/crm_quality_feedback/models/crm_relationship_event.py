from odoo import api, fields, models


class CrmRelationshipEvent(models.Model):
    _inherit = "crm.relationship.event"

    event_type = fields.Selection(
        selection_add=[("satisfaction", "Satisfaction below threshold")], ondelete={"satisfaction": "cascade"}
    )

    @api.model
    def _satisfaction_threshold(self):
        """The weighted satisfaction (1 to 5) under which a customer's fall is an event (3 by default)."""
        return float(
            self.env["ir.config_parameter"].sudo().get_param("crm_quality_feedback.satisfaction_event_threshold", 3.0)
        )
