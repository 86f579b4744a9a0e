from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request
from odoo.tools import consteq

SCORES = ("1", "2", "3", "4", "5")


class AnnouncementAnswerController(http.Controller):
    """The link of an announcement's mail: the customer reads the announcement and answers with a
    rating and a comment. The link's token opens one recipient line and nothing else; a wrong
    token, or another line's id, finds nothing."""

    @staticmethod
    def _recipient(recipient_id, access_token):
        recipient = request.env["crm.announcement.recipient"].sudo().browse(recipient_id).exists()
        if not (
            recipient
            and access_token
            and recipient.access_token
            and consteq(recipient.access_token, str(access_token))
            and recipient.announcement_id.state == "sent"
        ):
            raise NotFound()
        return recipient

    def _render(self, recipient, access_token, **values):
        return request.render(
            "crm_quality_feedback.announcement_answer_page",
            dict(
                {
                    "recipient": recipient,
                    "announcement": recipient.announcement_id,
                    "access_token": access_token,
                    "scores": SCORES,
                },
                **values,
            ),
        )

    @http.route(
        "/announcement/answer/<int:recipient_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def announcement_answer_page(self, recipient_id, access_token=None, **kw):
        recipient = self._recipient(recipient_id, access_token)
        return self._render(recipient, access_token)

    @http.route(
        "/announcement/answer/<int:recipient_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=True,
        website=True,
        sitemap=False,
    )
    def announcement_answer_submit(self, recipient_id, access_token=None, score=None, comment=None, **kw):
        recipient = self._recipient(recipient_id, access_token)
        if score not in SCORES:
            return self._render(recipient, access_token, error=request.env._("Rating: choose a value from 1 to 5."))
        user_partner = request.env.user.partner_id
        respondent = (
            user_partner
            if not request.env.user._is_public() and user_partner.commercial_partner_id == recipient.partner_id
            else None
        )
        recipient._record_answer(int(score), comment, respondent=respondent)
        return self._render(recipient, access_token, thanks=True)
