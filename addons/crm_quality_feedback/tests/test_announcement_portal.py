from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .announcement_common import AnnouncementData


@tagged("post_install", "-at_install")
class TestAnnouncementPortal(AnnouncementData, HttpCase):
    """The link of the mail, used by its customer and tried by another."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_announcement_data()
        cls.portal_alpha = new_test_user(
            cls.env, login="announce_portal_alpha", groups="base.group_portal", password="alpha_pw_1234"
        )
        cls.portal_alpha.partner_id.parent_id = cls.alpha
        cls.announcement = cls._announcement(audience_tag_ids=[Command.set(cls.retail.ids)])
        cls.announcement.action_send()
        cls.line_alpha = cls.announcement.recipient_ids.filtered(lambda r: r.partner_id == cls.alpha)
        cls.line_bravo = cls.announcement.recipient_ids.filtered(lambda r: r.partner_id == cls.bravo)

    def _answer(self, line, token, **data):
        if not getattr(self, "session", None):
            self.authenticate(None, None)  # the customer who follows the mail's link is not logged in
        return self.url_open(
            f"/announcement/answer/{line.id}",
            data=dict({"access_token": token, "csrf_token": http.Request.csrf_token(self)}, **data),
            allow_redirects=False,
        )

    def _answers(self):
        self.env.invalidate_all()
        feedback = self.env["crm.customer.feedback"].search([("announcement_id", "=", self.announcement.id)])
        return sorted((f.partner_id.name, f.score, f.comment) for f in feedback)

    def test_the_customer_reads_the_announcement_and_his_answer_comes_back_on_it(self):
        page = self.url_open(self.line_alpha.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("Planning offline on Saturday", page.text)
        self.assertIn("From 8:00 to 12:00.", page.text)
        response = self._answer(self.line_alpha, self.line_alpha.access_token, score="4", comment="Fine by us.")
        self.assertEqual(response.status_code, 200)
        self.assertIn("your answer was recorded", response.text)
        self.assertEqual(self._answers(), [("Alpha", 4, "Fine by us.")])
        feedback = self.line_alpha.feedback_id
        self.assertEqual(
            (feedback.announcement_id, feedback.partner_id, feedback.company_id),
            (self.announcement, self.alpha, self.announcement.company_id),
        )
        self.assertEqual((self.line_alpha.answered, self.line_alpha.answer_score), (True, 4))
        self.assertFalse(self.line_bravo.answered)
        self.assertEqual((self.announcement.answer_count, self.announcement.answer_score), (1, 4.0))

    def test_a_second_answer_replaces_the_first(self):
        self._answer(self.line_alpha, self.line_alpha.access_token, score="4", comment="Fine by us.")
        self._answer(self.line_alpha, self.line_alpha.access_token, score="2", comment="We deliver on Saturday.")
        self.assertEqual(self._answers(), [("Alpha", 2, "We deliver on Saturday.")])
        self.assertEqual((self.announcement.answer_count, self.announcement.answer_score), (1, 2.0))

    def test_a_logged_in_person_of_the_customer_is_kept_as_the_respondent(self):
        self.authenticate("announce_portal_alpha", "alpha_pw_1234")
        self._answer(self.line_alpha, self.line_alpha.access_token, score="5")
        self.assertEqual(self.line_alpha.feedback_id.respondent_id, self.portal_alpha.partner_id)

    def test_a_rating_out_of_range_is_refused_with_a_message(self):
        for score in ("0", "6", "five", ""):
            response = self._answer(self.line_alpha, self.line_alpha.access_token, score=score)
            self.assertEqual(response.status_code, 200)
            self.assertIn("Rating: choose a value from 1 to 5.", response.text)
        self.assertEqual(self._answers(), [])

    @mute_logger("odoo.http")
    def test_another_customers_line_or_a_wrong_token_finds_nothing_and_changes_nothing(self):
        self.authenticate("announce_portal_alpha", "alpha_pw_1234")
        self._answer(self.line_bravo, self.line_bravo.access_token, score="3", comment="Bravo's own")
        before = self._answers()
        attacks = [
            (self.line_bravo, self.line_alpha.access_token),  # my token, Bravo's line
            (self.line_bravo, ""),
            (self.line_bravo, "x" * 36),
            (self.line_alpha, self.line_bravo.access_token),  # Bravo's token on my line
        ]
        for line, token in attacks:
            with self.subTest(line=line.partner_id.name, token=token):
                page = self.url_open(f"/announcement/answer/{line.id}?access_token={token}", allow_redirects=False)
                self.assertEqual(page.status_code, 404)
                self.assertNotIn("Bravo's own", page.text)
                response = self._answer(line, token, score="1", comment="Forged")
                self.assertEqual(response.status_code, 404)
        self.assertEqual(before, [("Bravo", 3, "Bravo's own")])
        self.assertEqual(self._answers(), before)
        self.assertFalse(self.line_alpha.feedback_id)

    @mute_logger("odoo.http")
    def test_a_portal_user_reads_over_rpc_only_his_own_line_and_no_answer_of_others(self):
        self._answer(self.line_bravo, self.line_bravo.access_token, score="3", comment="Bravo's own")
        self.authenticate("announce_portal_alpha", "alpha_pw_1234")

        def call(model, method, *args, **kwargs):
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            )

        lines = call("crm.announcement.recipient", "search_read", [], fields=["partner_id", "answer_comment"])
        self.assertEqual([line["id"] for line in lines], self.line_alpha.ids)
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            call("crm.announcement.recipient", "read", self.line_bravo.ids, fields=["answer_comment"])
        for model in ("crm.customer.feedback", "crm.announcement"):
            with self.subTest(model=model), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                call(model, "search_read", [], fields=["id"])
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            call("crm.announcement.recipient", "write", self.line_alpha.ids, {"answered_date": "2030-01-01"})
        self.assertEqual(self._answers(), [("Bravo", 3, "Bravo's own")])
        self.assertFalse(self.line_alpha.answered_date)
