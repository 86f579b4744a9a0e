from odoo import http
from odoo.http import request

from .main import _portal_id


class FaqPortal(http.Controller):
    """The FAQ on the portal: published entries of the customer's company, read with his own
    rights (the portal rule shows published entries only), searched and suggested."""

    @http.route(["/my/faq"], type="http", auth="user", website=True)
    def portal_my_faq(self, search="", product=None, **kw):
        Entry = request.env["crm.faq.entry"]
        product_id = _portal_id(product, request.env._("Product"))
        values = {
            "page_name": "faq",
            "faq_entry": Entry,
            "entries": Entry._portal_search(search, product_id),
            "search": search,
            "products": Entry._portal_products(),
            "product_id": product_id,
        }
        return request.render("crm_quality_feedback.portal_my_faq", values)

    @http.route(["/my/faq/<int:entry_id>"], type="http", auth="user", website=True)
    def portal_my_faq_entry(self, entry_id, **kw):
        Entry = request.env["crm.faq.entry"]
        entry = Entry.search([("id", "=", entry_id)] + Entry._portal_domain())
        if not entry:  # a draft, an entry under review or another company's: not found
            return request.redirect("/my/faq")
        return request.render("crm_quality_feedback.portal_my_faq_entry", {"page_name": "faq", "faq_entry": entry})

    @http.route(["/my/faq/suggest"], type="json", auth="user")
    def portal_faq_suggest(self, text="", **kw):
        """What the complaint form suggests while the customer writes: published entries only."""
        return request.env["crm.faq.entry"]._portal_suggestions(text if isinstance(text, str) else "")
