from lxml import html

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .faq_common import PORTAL_LOGIN, PORTAL_PASSWORD, file_complaint, setup_faq


@tagged("post_install", "-at_install")
class TestFaqPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_faq(cls)

    def setUp(self):
        super().setUp()
        self.authenticate(PORTAL_LOGIN, PORTAL_PASSWORD)

    def _questions(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        page = html.fromstring(response.text)
        return [node.text_content().strip() for node in page.xpath("//a[contains(@class, 'o_faq_entry')]/strong")]

    def _suggest(self, text):
        return self.make_jsonrpc_request("/my/faq/suggest", {"text": text})

    def test_the_faq_page_lists_and_searches_the_published_entries(self):
        self.assertEqual(self._questions("/my/faq"), ["How do I adjust the chair height?", "Why does my desk wobble?"])
        self.assertEqual(self._questions("/my/faq?search=chair+height"), ["How do I adjust the chair height?"])
        self.assertEqual(self._questions("/my/faq?search=levelling"), ["Why does my desk wobble?"])
        self.assertEqual(self._questions(f"/my/faq?product={self.desk.id}"), ["Why does my desk wobble?"])
        self.assertEqual(self._questions("/my/faq?search=replaced+for+free"), [])
        page = self.url_open("/my/faq").text
        self.assertNotIn("do not say so before the review", page)
        self.assertNotIn("tall gas lift", page)
        self.assertNotIn("Another company", page)

    def test_an_entry_page_shows_a_published_answer_and_nothing_else(self):
        response = self.url_open(f"/my/faq/{self.chair_height.id}")
        self.assertIn("Pull the lever under the seat and sit down slowly.", response.text)
        for entry in (self.draft_chair, self.reviewed_chair, self.elsewhere):
            with self.subTest(entry=entry.name):
                response = self.url_open(f"/my/faq/{entry.id}", allow_redirects=False)
                self.assertEqual(response.status_code, 303)
                self.assertTrue(response.headers["Location"].endswith("/my/faq"))
                self.assertNotIn(entry.answer_text, response.text)

    def test_suggestions_are_the_published_entries_sharing_the_customers_words(self):
        self.assertEqual(
            self._suggest("My desk chair: the height lever is stuck"),
            [
                {
                    "id": self.chair_height.id,
                    "question": "How do I adjust the chair height?",
                    "excerpt": "Pull the lever under the seat and sit down slowly.",
                    "url": f"/my/faq/{self.chair_height.id}",
                },
                {
                    "id": self.desk_wobble.id,
                    "question": "Why does my desk wobble?",
                    "excerpt": "Turn the levelling feet until all four touch the floor.",
                    "url": f"/my/faq/{self.desk_wobble.id}",
                },
            ],
        )
        self.assertEqual(self._suggest("the and for"), [], "no word worth searching")
        self.assertEqual(self._suggest("replaced free gas lift"), [], "the draft and the reviewed entry never show")

    def test_suggestions_never_show_drafts_or_another_companys_entries(self):
        ids = {row["id"] for row in self._suggest("chair height lever tall elsewhere broken replace")}
        self.assertEqual(ids, {self.chair_height.id})
        # the same words by a customer of the other company: only its own published entry
        self.portal_user.write({"company_ids": [(4, self.other_company.id)], "company_id": self.other_company.id})
        self.assertEqual({row["id"] for row in self._suggest("chair height lever")}, {self.elsewhere.id})

    def test_a_portal_user_reads_no_draft_through_rpc(self):
        call = "/web/dataset/call_kw/crm.faq.entry/{}".format
        rows = self.make_jsonrpc_request(
            call("search_read"),
            {"model": "crm.faq.entry", "method": "search_read", "args": [[]], "kwargs": {"fields": ["name", "state"]}},
        )
        self.assertEqual(
            sorted((row["name"], row["state"]) for row in rows),
            [("How do I adjust the chair height?", "published"), ("Why does my desk wobble?", "published")],
        )
        for entry in (self.draft_chair, self.reviewed_chair, self.elsewhere):
            with self.subTest(entry=entry.name), mute_logger("odoo.http"):
                with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                    self.make_jsonrpc_request(
                        call("read"),
                        {"model": "crm.faq.entry", "method": "read", "args": [entry.ids, ["answer"]], "kwargs": {}},
                    )
        with mute_logger("odoo.http"), self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.make_jsonrpc_request(
                call("action_publish"),
                {"model": "crm.faq.entry", "method": "action_publish", "args": [self.reviewed_chair.ids], "kwargs": {}},
            )
        self.assertEqual(self.reviewed_chair.state, "reviewed")

    def test_a_product_that_is_not_a_number_is_refused_by_name(self):
        with mute_logger("odoo.http"):
            response = self.url_open("/my/faq?product=1%20OR%201%3D1")
        self.assertIn("Product: choose one from the list.", response.text)
        self.assertNotIn("How do I adjust the chair height?", response.text)

    def test_the_customer_reads_on_his_complaint_the_faq_entry_that_answered_it(self):
        complaint = file_complaint(self)
        complaint.with_user(self.agent)._answer_by_faq(self.chair_height)
        page = self.url_open(f"/my/ticket/{complaint.id}").text
        self.assertIn("Answered by our FAQ:", page)
        self.assertIn(f'href="/my/faq/{self.chair_height.id}"', page)
        self.assertIn("Pull the lever under the seat and sit down slowly.", page, "the response is the answer")
        self.chair_height.action_withdraw()
        response = self.url_open(f"/my/ticket/{complaint.id}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Answered by our FAQ:", response.text, "a withdrawn entry is not pointed to")

    def test_the_complaint_form_has_the_suggestion_box(self):
        page = html.fromstring(self.url_open("/new/ticket").text)
        self.assertEqual(len(page.xpath("//div[contains(@class, 'o_crm_faq_suggestions')]")), 1)
