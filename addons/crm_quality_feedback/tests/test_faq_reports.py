from odoo.tests import TransactionCase, tagged

from .faq_common import file_complaint, setup_faq


@tagged("post_install", "-at_install")
class TestFaqReports(TransactionCase):
    """In the FAQ company: two complaints answered by FAQ (a chair, a desk), one on a chair
    resolved with its own answer and one on a chair still open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_faq(cls)
        cls.by_faq_chair = file_complaint(cls, "Chair too low", product_id=cls.chair.id)
        cls.by_faq_desk = file_complaint(cls, "Desk wobbles", product_id=cls.desk.id)
        cls.resolved_chair = file_complaint(cls, "Chair arm cracked", product_id=cls.chair.id)
        cls.open_chair = file_complaint(cls, "Chair squeaks", product_id=cls.chair.id)
        cls.by_faq_chair.with_user(cls.agent)._answer_by_faq(cls.chair_height)
        cls.by_faq_desk.with_user(cls.agent)._answer_by_faq(cls.desk_wobble)
        complaint = cls.resolved_chair
        complaint.write({"severity": "2", "complexity": "1", "response": "<p>A new arm is on its way.</p>"})
        complaint.action_acknowledge()
        complaint.action_assess()
        complaint.action_investigate()
        complaint.action_resolve()
        cls.env.flush_all()

    def test_sla_compliance_counts_the_complaints_answered_by_faq(self):
        Report = self.env["crm.complaint.sla.report"]
        rows = Report.search([("company_id", "=", self.company.id)])
        self.assertEqual(
            sorted((row.ticket_id.name, row.faq_answered) for row in rows),
            [("Chair arm cracked", 0), ("Chair too low", 1), ("Desk wobbles", 1)],
        )
        [(resolved, answered)] = Report._read_group(
            [("company_id", "=", self.company.id)], [], ["complaints:sum", "faq_answered:sum"]
        )
        self.assertEqual((resolved, answered), (3, 2))

    def test_pareto_counts_per_category_the_complaints_answered_by_faq(self):
        rows = self.env["crm.complaint.pareto.report"].search([("company_id", "=", self.company.id)])
        self.assertEqual(
            sorted((row.dimension, row.category, row.complaints, row.faq_answered) for row in rows),
            [
                ("customer", "Harbour Offices", 4, 2),
                ("product", "FAQ Chair", 3, 1),
                ("product", "FAQ Desk", 1, 1),
            ],
        )

    def test_the_entry_counts_the_complaints_it_answered(self):
        self.assertEqual(
            [(entry.name, entry.answered_count) for entry in self.chair_height | self.desk_wobble | self.draft_chair],
            [
                ("How do I adjust the chair height?", 1),
                ("Why does my desk wobble?", 1),
                ("Chair height lever broken: do we replace it?", 0),
            ],
        )
