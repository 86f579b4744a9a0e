import textwrap

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import html2plaintext

from ..tools.faq_words import rank_by_words, search_words

FAQ_STATES = [("draft", "Draft"), ("reviewed", "Reviewed"), ("published", "Published")]
# who reviews and publishes: the quality team; helpdesk agents write drafts
REVIEWER_GROUP = "crm_quality_feedback.group_quality_user"
INTERNAL = "base.group_user"
SUGGESTION_LIMIT = 5
EXCERPT_LENGTH = 160


class CrmFaqEntry(models.Model):
    """A question customers ask, answered once: the answer of a resolved complaint, drafted by an
    agent, reviewed and published by a quality user, then read and searched by customers on the
    portal before they file a complaint."""

    _name = "crm.faq.entry"
    _description = "FAQ Entry"
    _inherit = ["mail.thread", "crm.process.fields.mixin"]
    _order = "state_sequence, published_date desc, id desc"
    _check_company_auto = True
    # what customers see is decided by the review: only the buttons move the state
    _process_fields = ("state", "reviewer_id", "published_date")

    name = fields.Char(string="Question", required=True, tracking=True, help="The question as a customer asks it.")
    answer = fields.Html(
        required=True, help="The answer customers read on the portal: no customer's name or order in it."
    )
    answer_text = fields.Text(
        compute="_compute_answer_text", store=True, help="The answer as plain text: what the search reads."
    )
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        tracking=True,
        help="The product the question is about; customers filter the FAQ by it.",
    )
    cause_category_id = fields.Many2one("crm.complaint.cause.category", groups=INTERNAL)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True, tracking=True
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Source Complaint",
        check_company=True,
        domain="[('is_complaint', '=', True)]",
        groups=INTERNAL,
        help="The resolved complaint whose answer the entry publishes.",
    )
    state = fields.Selection(FAQ_STATES, required=True, default="draft", tracking=True, copy=False, group_expand=True)
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    reviewer_id = fields.Many2one("res.users", string="Reviewed By", readonly=True, copy=False, groups=INTERNAL)
    published_date = fields.Date(readonly=True, copy=False, help="When customers could first read the entry.")
    answered_ticket_ids = fields.One2many(
        "helpdesk.ticket", "faq_entry_id", string="Answered Complaints", groups=INTERNAL
    )
    answered_count = fields.Integer(
        compute="_compute_answered_count",
        string="Complaints Answered",
        groups=INTERNAL,
        help="Complaints closed by pointing to this entry.",
    )

    @api.depends("answer")
    def _compute_answer_text(self):
        for entry in self:
            entry.answer_text = html2plaintext(entry.answer or "").strip()

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {code: index for index, (code, _label) in enumerate(FAQ_STATES)}
        for entry in self:
            entry.state_sequence = order.get(entry.state, 99)

    def _compute_answered_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group([("faq_entry_id", "in", self.ids)], ["faq_entry_id"], ["__count"])
        )
        for entry in self:
            entry.answered_count = counts.get(entry, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_answering_complaints(self):
        """The reports count the complaints an entry answered: such an entry stays."""
        answering = self.sudo().filtered("answered_ticket_ids")
        if answering:
            raise UserError(
                self.env._(
                    "%(entries)s answered complaints and is counted in the reports: use Back to Draft to hide it "
                    "from customers instead of deleting it.",
                    entries=", ".join(answering.mapped("name")),
                )
            )

    def _process_field_hint(self, name, value):
        return self.env._(
            "a quality user reviews the entry with the button Reviewed, then publishes it with the button Publish."
        )

    # ------------------------------------------------------------------ the review

    def _require_reviewer(self):
        if self.env.su or self.env.user.has_group(REVIEWER_GROUP):
            return
        raise UserError(
            self.env._(
                "Only a Quality Feedback user reviews, publishes or withdraws FAQ entries: ask one to review "
                "%(entries)s.",
                entries=", ".join(self.mapped("name")),
            )
        )

    def _require_state(self, state, message):
        wrong = self.filtered(lambda e: e.state != state)
        if wrong:
            raise UserError(message % {"entries": ", ".join(wrong.mapped("name"))})

    def action_review(self):
        """A quality user has read the draft: the answer is right and tells nothing private."""
        self._require_reviewer()
        self._require_state("draft", self.env._("Only a draft is reviewed: %(entries)s is reviewed already."))
        empty = self.filtered(lambda e: not e.answer_text)
        if empty:
            raise UserError(
                self.env._(
                    "Write the Answer of %(entries)s before reviewing it.", entries=", ".join(empty.mapped("name"))
                )
            )
        self._process_write({"state": "reviewed", "reviewer_id": self.env.user.id})

    def action_publish(self):
        """Customers read the entry on the portal from now on."""
        self._require_reviewer()
        self._require_state("reviewed", self.env._("Review %(entries)s before publishing it."))
        self._process_write({"state": "published", "published_date": fields.Date.context_today(self)})

    def action_withdraw(self):
        """Back to draft: customers no longer see it, and it is reviewed again before it returns."""
        self._require_reviewer()
        self._process_write({"state": "draft", "reviewer_id": False, "published_date": False})

    # ------------------------------------------------------------------ what customers read

    @api.model
    def _portal_domain(self):
        """Published entries of the user's company: the record rules say the same, the portal's
        routes add it to every search so that they never rely on the rules alone."""
        return [("state", "=", "published"), ("company_id", "=", self.env.user.company_id.id)]

    @api.model
    def _words_domain(self, words, operator):
        """Entries with all (``expression.AND``) or any (``expression.OR``) of ``words`` in their
        question or answer."""
        return operator([["|", ("name", "ilike", word), ("answer_text", "ilike", word)] for word in words])

    @api.model
    def _portal_search(self, text="", product_id=0):
        """The portal's FAQ page: published entries with every word of ``text``, of one product,
        by question."""
        domain = self._portal_domain()
        words = search_words(text)
        if words:
            domain = expression.AND([domain, self._words_domain(words, expression.AND)])
        if product_id:
            domain = expression.AND([domain, [("product_id", "=", product_id)]])
        return self.search(domain, order="name, id")

    @api.model
    def _portal_products(self):
        """The products customers filter the FAQ by: those of the published entries, by name.
        Customers have no right on products: only their names are read, as superuser."""
        products = self.search(self._portal_domain()).sudo().product_id
        return [(product.id, product.display_name) for product in products.sorted("display_name")]

    def _portal_excerpt(self):
        """The start of the answer, as plain text, for the lists."""
        self.ensure_one()
        return textwrap.shorten(self.answer_text or "", EXCERPT_LENGTH, placeholder=" ...")

    @api.model
    def _portal_suggestions(self, text, limit=SUGGESTION_LIMIT):
        """Published entries sharing words with what a customer is about to file, most words
        first: their question, an excerpt of the answer and the page that shows it."""
        words = search_words(text)
        if not words:
            return []
        # the newest matches are ranked: the form asks on every keystroke, the FAQ may be long
        entries = self.search(
            expression.AND([self._portal_domain(), self._words_domain(words, expression.OR)]),
            limit=limit * 10,
            order="published_date desc, id desc",
        )
        ranked = rank_by_words(entries, words, lambda entry: f"{entry.name} {entry.answer_text}")
        return [
            {
                "id": entry.id,
                "question": entry.name,
                "excerpt": entry._portal_excerpt(),
                "url": f"/my/faq/{entry.id}",
            }
            for entry in ranked[:limit]
        ]
