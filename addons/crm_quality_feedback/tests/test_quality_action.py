from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestQualityAction(TransactionCase):
    def test_a_failed_effectiveness_check_reopens_the_action(self):
        self.env.company.quality_effectiveness_check_days = 30
        action = self.env["crm.quality.action"].create(
            {"name": "Check labels", "deadline": "2026-12-01", "action_type": "corrective"}
        )
        self.assertTrue(action.reference.startswith("CAPA/"))
        with self.assertRaisesRegex(UserError, "not done yet"):
            action.action_check_effective()
        action.action_start()
        action.action_done()
        self.assertEqual((action.effectiveness_check_date - action.date_done).days, 30)
        self.assertTrue(action.activity_ids)
        action.action_check_failed()
        self.assertEqual((action.state, action.failed_check_count), ("in_progress", 1))
        self.assertFalse(action.activity_ids)
        action.action_done()
        action.action_check_effective()
        self.assertEqual(action.state, "effective")

    def test_the_effectiveness_check_reads_in_the_action_owners_language(self):
        """The manager who marks the action done reads English; its owner, who checks it, Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        owner = new_test_user(self.env, "capa_owner_zh", groups="base.group_user", lang="zh_CN")
        action = self.env["crm.quality.action"].create(
            {"name": "Check labels", "deadline": "2026-12-01", "action_type": "corrective", "user_id": owner.id}
        )
        action.action_start()
        action.action_done()
        self.assertEqual(
            [(activity.summary, activity.user_id) for activity in action.activity_ids],
            [("检查该措施是否消除了原因", owner)],
        )
