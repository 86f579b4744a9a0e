from odoo import fields, models


class CrmSalesMeasureLine(models.TransientModel):
    """One salesperson's sales-side measures for the period of a ``crm.sales.measure``."""

    _name = "crm.sales.measure.line"
    _description = "Sales Measures per Salesperson"
    _order = "revenue desc, id"

    measure_id = fields.Many2one("crm.sales.measure", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="measure_id.currency_id")
    user_id = fields.Many2one("res.users", string="Salesperson")
    inquiries = fields.Integer()
    inquiries_converted = fields.Integer(string="Became Customers")
    inquiry_conversion = fields.Float(string="Inquiry Conversion (%)", digits=(16, 1))
    inquiries_unmet = fields.Integer(string="Unmet Demand")
    demand_satisfaction = fields.Float(string="Primary-Demand Satisfaction (%)", digits=(16, 1))
    offers = fields.Integer(string="Quotations Sent")
    offers_accepted = fields.Integer(string="Quotations Confirmed")
    offer_acceptance = fields.Float(string="Offer Acceptance (%)", digits=(16, 1))
    contacts = fields.Integer(string="Customer Contacts")
    revenue = fields.Monetary()
    customers_previous = fields.Integer(string="Customers Last Period")
    customers_retained = fields.Integer()
    retention = fields.Float(string="Retention (%)", digits=(16, 1))
    complaints = fields.Integer()
