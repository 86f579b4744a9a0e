from odoo import api, models

_COMPLAINT_COUNTS = """
SELECT r.key, COUNT(t.id)
FROM unnest(%(keys)s::int[], %(companies)s::int[], %(partners)s::int[], %(starts)s::date[], %(ends)s::date[])
     AS r(key, company_id, partner_id, date_from, date_to)
JOIN res_partner rp ON rp.commercial_partner_id = r.partner_id
JOIN helpdesk_ticket t ON t.partner_id = rp.id AND t.company_id = r.company_id AND t.is_complaint
     AND t.received_date >= r.date_from AND t.received_date < r.date_to
GROUP BY r.key
"""


class CrmCustomerValue(models.Model):
    _inherit = "crm.customer.value"

    @api.model
    def _crm_customer_measures(self, measure, requests):
        """Satisfaction (weighted B2B score) and complaints received, over each request's period."""
        answers = super()._crm_customer_measures(measure, requests)
        if not requests or measure not in ("satisfaction", "complaints"):
            return answers
        rows = [(r.key, r.company_id, r.partner_id, r.period.start, r.period.end) for r in requests]
        if measure == "satisfaction":
            answers.update(self.env["crm.customer.feedback"]._weighted_satisfaction(rows))
        else:
            keys, companies, partners, starts, ends = (list(column) for column in zip(*rows, strict=True))
            self.env.flush_all()
            self.env.cr.execute(
                _COMPLAINT_COUNTS,
                {"keys": keys, "companies": companies, "partners": partners, "starts": starts, "ends": ends},
            )
            answers.update(dict(self.env.cr.fetchall()))
        return answers
