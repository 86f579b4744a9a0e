from datetime import timedelta

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
    def _get_customer_measures(self, measure, requests):
        """Satisfaction (weighted B2B score) and complaint counts, for the core's consumers."""
        answers = super()._get_customer_measures(measure, requests)
        if not requests or measure not in ("satisfaction", "complaints"):
            return answers
        # requests give inclusive end dates; the queries use half-open ranges
        half_open = [
            (key, company, partner, start, end + timedelta(days=1)) for key, company, partner, start, end in requests
        ]
        if measure == "satisfaction":
            answers.update(self.env["crm.customer.feedback"]._weighted_satisfaction(half_open))
        else:
            keys, companies, partners, starts, ends = (list(column) for column in zip(*half_open, strict=True))
            self.env.flush_all()
            self.env.cr.execute(
                _COMPLAINT_COUNTS,
                {"keys": keys, "companies": companies, "partners": partners, "starts": starts, "ends": ends},
            )
            answers.update(dict(self.env.cr.fetchall()))
        return answers
