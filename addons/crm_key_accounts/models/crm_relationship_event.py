from odoo import api, fields, models


class CrmRelationshipEvent(models.Model):
    _inherit = "crm.relationship.event"

    event_type = fields.Selection(
        selection_add=[("decision_maker_neglected", "Decision maker neglected")],
        ondelete={"decision_maker_neglected": "cascade"},
    )

    @api.model
    def _value_labels(self):
        labels = super()._value_labels()
        labels["decision_maker_neglected"] = {"neglected": self.env._("Neglected")}
        return labels
