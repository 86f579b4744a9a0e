from odoo import fields, models

from .crm_contact_log import CONTACT_CHANNELS


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    contact_channel = fields.Selection(
        CONTACT_CHANNELS,
        help="When an activity of this type is marked done on a customer (or on a document of a "
        "customer), a contact on this channel is added to the customer's contact log.",
    )
