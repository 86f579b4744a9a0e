from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .faq_common import file_complaint, setup_faq

REVIEWER_ONLY = (
    "Only a Quality Feedback user reviews, publishes or withdraws FAQ entries: ask one to review "
    "Chair height lever broken: do we replace it?."
)
STATE_BY_PROCESS = (
    "State of a FAQ Entry is written by its process, never edited or imported: a quality user reviews the "
    "entry with the button Reviewed, then publishes it with the button Publish."
)


@tagged("post_install", "-at_install")
class TestFaqEntry(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_faq(cls)

    def _snapshot(self, entry):
        self.env.invalidate_all()
        return (entry.state, entry.sudo().reviewer_id, entry.published_date, entry.name, entry.answer)

    # ------------------------------------------------------------------ the review

    def test_a_quality_user_reviews_then_publishes_a_draft(self):
        entry = self.draft_chair.with_user(self.quality_user)
        entry.action_review()
        self.assertEqual((entry.state, entry.reviewer_id, entry.published_date), ("reviewed", self.quality_user, False))
        entry.action_publish()
        self.assertEqual(entry.state, "published")
        self.assertEqual(entry.published_date, fields.Date.context_today(entry))
        entry.action_withdraw()
        self.assertEqual(
            (entry.state, entry.reviewer_id, entry.published_date), ("draft", self.env["res.users"], False)
        )

    def test_an_entry_is_published_only_after_its_review(self):
        with self.assertRaisesRegex(
            UserError, "^Review Chair height lever broken: do we replace it\\? before publishing it\\.$"
        ):
            self.draft_chair.with_user(self.quality_user).action_publish()
        self.assertEqual(self.draft_chair.state, "draft")

    def test_an_empty_answer_is_not_reviewed(self):
        self.draft_chair.answer = "<p><br></p>"
        with self.assertRaisesRegex(
            UserError, "^Write the Answer of Chair height lever broken: do we replace it\\? before reviewing it\\.$"
        ):
            self.draft_chair.with_user(self.quality_user).action_review()

    def test_an_agent_neither_reviews_nor_publishes_nor_withdraws(self):
        before = self._snapshot(self.draft_chair)
        for action in ("action_review", "action_publish", "action_withdraw"):
            with self.subTest(action=action), self.assertRaises(UserError) as refused:
                getattr(self.draft_chair.with_user(self.agent), action)()
            self.assertEqual(str(refused.exception), REVIEWER_ONLY)
        self.assertEqual(self._snapshot(self.draft_chair), before)

    def test_an_agent_cannot_write_the_state_published(self):
        before = self._snapshot(self.draft_chair)
        for values in ({"state": "published"}, {"state": "reviewed"}, {"published_date": "2026-01-01"}):
            with self.subTest(values=values), self.assertRaises(UserError) as refused:
                self.draft_chair.with_user(self.agent).write(values)
            if "state" in values:
                self.assertEqual(str(refused.exception), STATE_BY_PROCESS)
        self.assertEqual(self._snapshot(self.draft_chair), before)
        # nor create an entry published, with the value or through a default of the context
        Entry = self.env["crm.faq.entry"].with_user(self.agent)
        new = {"name": "Published at once?", "answer": "<p>No.</p>", "company_id": self.company.id}
        with self.assertRaises(UserError) as refused:
            Entry.create(dict(new, state="published"))
        self.assertEqual(str(refused.exception), STATE_BY_PROCESS)
        with self.assertRaises(UserError):
            Entry.with_context(default_state="published").create(new)
        self.assertFalse(self.env["crm.faq.entry"].search([("name", "=", "Published at once?")]))

    def test_an_agent_edits_drafts_but_not_what_customers_read(self):
        self.draft_chair.with_user(self.agent).write({"name": "Is a broken chair lever replaced?"})
        self.assertEqual(self.draft_chair.name, "Is a broken chair lever replaced?")
        for entry in (self.chair_height, self.reviewed_chair):
            before = self._snapshot(entry)
            with self.subTest(entry=entry.name), self.assertRaises(AccessError):
                entry.with_user(self.agent).write({"answer": "<p>Changed without a review.</p>"})
            with self.assertRaises(AccessError):
                entry.with_user(self.agent).unlink()
            self.assertEqual(self._snapshot(entry), before)
        # the quality user may correct a published answer
        self.chair_height.with_user(self.quality_user).write({"answer": "<p>Pull the lever, then sit.</p>"})
        self.assertEqual(self.chair_height.answer_text, "Pull the lever, then sit.")

    def test_a_copy_of_a_published_entry_is_a_draft_to_review(self):
        copy = self.chair_height.with_user(self.agent).copy()
        self.assertEqual(
            (copy.name, copy.state, copy.published_date, copy.sudo().reviewer_id.id),
            ("How do I adjust the chair height?", "draft", False, False),
        )

    # ------------------------------------------------------------------ from a complaint

    def _resolved_complaint(self):
        complaint = file_complaint(self, product_id=self.chair.id)
        complaint.write({"severity": "2", "complexity": "1", "response": "<p>Oil the lever's hinge once a year.</p>"})
        complaint.action_acknowledge()
        complaint.action_assess()
        complaint.action_investigate()
        complaint.action_resolve()
        return complaint

    def test_an_agent_proposes_the_answer_of_a_resolved_complaint_as_a_draft(self):
        complaint = self._resolved_complaint()
        action = complaint.with_user(self.agent).action_propose_faq()
        entry = self.env["crm.faq.entry"].browse(action["res_id"])
        self.assertEqual(
            (entry.name, entry.answer_text, entry.product_id, entry.company_id, entry.ticket_id, entry.state),
            (
                "Chair height lever stuck",
                "Oil the lever's hinge once a year.",
                self.chair,
                self.company,
                complaint,
                "draft",
            ),
        )
        self.assertEqual(entry.create_uid, self.agent)

    def test_an_open_complaint_is_not_proposed_as_faq(self):
        complaint = file_complaint(self)
        with self.assertRaisesRegex(UserError, "this needs a complaint at step Resolved, Followed up, Closed"):
            complaint.with_user(self.agent).action_propose_faq()

    def test_answered_by_faq_closes_the_complaint_with_the_published_answer(self):
        complaint = file_complaint(self)
        action = complaint.with_user(self.agent).action_answered_by_faq()
        wizard = (
            self.env["crm.faq.answer.wizard"]
            .with_user(self.agent)
            .with_context(**action["context"])
            .create({"entry_id": self.chair_height.id})
        )
        wizard.action_confirm()
        self.assertEqual(complaint.faq_entry_id, self.chair_height)
        self.assertEqual(complaint.complaint_step, "closed")
        self.assertEqual(complaint.response, self.chair_height.answer)
        self.assertTrue(complaint.resolved_date and complaint.closed_complaint_date and complaint.acknowledged_date)
        self.assertTrue(complaint.on_time, "answered before its first deadline")
        self.assertTrue(complaint.stage_id.closed)
        self.assertIn("Pull the lever under the seat", complaint.message_ids[0].body)
        self.assertEqual(self.chair_height.answered_count, 1)

    def test_an_entry_that_answered_a_complaint_is_withdrawn_not_deleted(self):
        complaint = file_complaint(self)
        complaint.with_user(self.agent)._answer_by_faq(self.chair_height)
        with self.assertRaises(UserError) as refused:
            self.chair_height.with_user(self.quality_user).unlink()
        self.assertEqual(
            str(refused.exception),
            "How do I adjust the chair height? answered complaints and is counted in the reports: use Back to Draft "
            "to hide it from customers instead of deleting it.",
        )
        self.chair_height.with_user(self.quality_user).action_withdraw()
        self.assertEqual((self.chair_height.state, complaint.faq_entry_id), ("draft", self.chair_height))
        self.desk_wobble.with_user(self.quality_user).unlink()
        self.assertFalse(self.desk_wobble.exists(), "an entry that answered nothing may go")

    def test_answered_by_faq_refuses_a_draft_or_another_companys_entry(self):
        complaint = file_complaint(self)
        for entry in (self.draft_chair, self.reviewed_chair, self.elsewhere):
            with self.subTest(entry=entry.name), self.assertRaises(UserError) as refused:
                complaint.with_user(self.agent)._answer_by_faq(entry.sudo())
            self.assertEqual(
                str(refused.exception),
                f"FAQ Entry: choose a published entry of FAQ Furniture to answer {complaint.display_name}.",
            )
        # the wizard refuses them as soon as it is sent, naming the field
        Wizard = self.env["crm.faq.answer.wizard"].with_user(self.agent)
        for entry in (self.draft_chair, self.elsewhere):
            with self.subTest(wizard=entry.name), self.assertRaises(ValidationError) as refused:
                Wizard.create({"ticket_id": complaint.id, "entry_id": entry.id})
            self.assertEqual(str(refused.exception), "FAQ Entry: choose a published entry of FAQ Furniture.")
        self.assertEqual((complaint.complaint_step, complaint.faq_entry_id.id), ("received", False))

    def test_the_faq_pointer_of_a_complaint_is_set_only_by_its_action(self):
        complaint = file_complaint(self)
        with self.assertRaisesRegex(UserError, "^Answered by FAQ of a Helpdesk Ticket is written by its process"):
            complaint.with_user(self.agent).write({"faq_entry_id": self.chair_height.id})
        self.assertFalse(complaint.faq_entry_id)

    # ------------------------------------------------------------------ what customers read

    def test_the_portal_search_returns_exactly_the_matching_published_entries(self):
        Entry = self.env["crm.faq.entry"].with_user(self.portal_user)
        self.assertEqual(Entry._portal_search("chair height"), self.chair_height)
        self.assertEqual(Entry._portal_search("LEVER"), self.chair_height)
        self.assertEqual(Entry._portal_search("levelling feet"), self.desk_wobble)
        self.assertEqual(Entry._portal_search("", self.desk.id), self.desk_wobble)
        self.assertEqual(Entry._portal_search("lever", self.desk.id), Entry)
        self.assertEqual(Entry._portal_search("").ids, (self.chair_height | self.desk_wobble).ids)
        self.assertEqual(Entry._portal_products(), [(self.chair.id, "FAQ Chair"), (self.desk.id, "FAQ Desk")])

    def test_a_portal_user_reads_published_entries_only_whatever_he_asks(self):
        Entry = self.env["crm.faq.entry"].with_user(self.portal_user)
        # the attack: search_read everything, as an RPC client would
        rows = Entry.search_read([], ["name", "state", "answer"])
        self.assertEqual(
            sorted((row["name"], row["state"]) for row in rows),
            [("How do I adjust the chair height?", "published"), ("Why does my desk wobble?", "published")],
        )
        self.assertEqual(Entry.search_count([("state", "in", ("draft", "reviewed"))]), 0)
        for entry in (self.draft_chair, self.reviewed_chair, self.elsewhere):
            with self.subTest(entry=entry.name), self.assertRaises(AccessError):
                entry.with_user(self.portal_user).read(["answer"])
        with self.assertRaises(AccessError):
            self.chair_height.with_user(self.portal_user).write({"answer": "<p>Hacked</p>"})
        self.assertEqual(self.chair_height.answer_text, "Pull the lever under the seat and sit down slowly.")
