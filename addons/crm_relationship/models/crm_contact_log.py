from odoo import api, fields, models

CONTACT_CHANNELS = [
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("letter", "Letter"),
    ("chat", "Chat"),
    ("video", "Video call"),
    ("sms", "SMS"),
    ("meeting", "Personal meeting"),
    ("portal", "Website/portal"),
]


class CrmContactLog(models.Model):
    """Every contact with a customer on one timeline, whatever the channel."""

    _name = "crm.contact.log"
    _description = "Customer Contact"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "summary"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        help="The commercial entity; the person spoken to is the Contact Person.",
        check_company=True,
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        domain="[('commercial_partner_id', '=', partner_id)]",
        check_company=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    channel = fields.Selection(CONTACT_CHANNELS, required=True, default="phone")
    direction = fields.Selection(
        [("inbound", "From the customer"), ("outbound", "To the customer")], required=True, default="outbound"
    )
    summary = fields.Char(required=True)
    note = fields.Html()
    user_id = fields.Many2one(
        "res.users", string="Our Contact", default=lambda self: self.env.user, index=True, check_company=True
    )
    activity_type_id = fields.Many2one("mail.activity.type", readonly=True)
    mail_message_id = fields.Many2one(
        "mail.message", string="Message", readonly=True, ondelete="set null", index="btree_not_null"
    )
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", readonly=True)
    origin = fields.Selection(
        [("manual", "Entered by hand"), ("activity", "Activity done"), ("mail", "Mail exchanged")],
        required=True,
        default="manual",
        readonly=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"]
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = partners.browse(vals["partner_id"])
                if partner.commercial_partner_id != partner:
                    vals.setdefault("contact_id", partner.id)
                    vals["partner_id"] = partner.commercial_partner_id.id
        return super().create(vals_list)

    @api.model
    def _customer_partners(self, partners):
        """The commercial partners among ``partners`` that are customers, not our own people."""
        # runs on every posted message: read the partners' own fields rather than search the companies
        return partners.sudo().filtered(lambda p: p.partner_share and not p.ref_company_ids).commercial_partner_id

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
