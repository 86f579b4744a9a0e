from odoo import api, models

_COMPLAINTS_PER_SALESPERSON = """
SELECT customer.user_id, COUNT(*)
FROM helpdesk_ticket t
JOIN res_partner contact ON contact.id = t.partner_id
JOIN res_partner customer ON customer.id = contact.commercial_partner_id
WHERE t.is_complaint AND t.company_id = %s AND t.received_date >= %s AND t.received_date < %s
  AND customer.user_id IS NOT NULL
GROUP BY customer.user_id
"""


class CrmSalesMeasure(models.TransientModel):
    _inherit = "crm.sales.measure"

    @api.model
    def _get_complaint_counts(self, company, date_from, date_to):
        counts = super()._get_complaint_counts(company, date_from, date_to)
        self.env["helpdesk.ticket"].flush_model()
        self.env.cr.execute(_COMPLAINTS_PER_SALESPERSON, [company.id, date_from, date_to])
        for user_id, count in self.env.cr.fetchall():
            counts[user_id] = counts.get(user_id, 0) + count
        return counts
