"""The invoice revenue source reads the margins OCA's ``account_invoice_margin`` keeps on invoices,
a dependency since this version: invoices posted before it was installed get their lines' costs
(see ``tools/invoice_costs.py``)."""

from odoo.addons.crm_relationship.tools.invoice_costs import cost_invoice_lines


def migrate(cr, version):
    cost_invoice_lines(cr)
