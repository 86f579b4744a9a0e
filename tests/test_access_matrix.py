"""Who may do what on every model of ours: the table is the specification.

Each row gives, for the roles in ROLES order, the operations allowed by the access rights:
r(ead), w(rite), c(reate), u(nlink); "-" for none. A model without a row fails the test, so a
new model cannot ship without a decision on its rights.
"""

from odoo.tests import TransactionCase, new_test_user

MODULES = ("crm_relationship", "crm_key_accounts", "crm_quality_feedback")
ROLES = {
    "internal": "base.group_user",
    "salesperson": "sales_team.group_sale_salesman",
    "sales_manager": "sales_team.group_sale_manager",
    "key_account_manager": "sales_team.group_sale_salesman,crm_key_accounts.group_key_account_manager",
    "helpdesk_user": "helpdesk_mgmt.group_helpdesk_user",
    "quality_user": "crm_quality_feedback.group_quality_user",
    "quality_manager": "crm_quality_feedback.group_quality_manager",
    "portal": "base.group_portal",
    "public": "base.group_public",
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
# fmt: off
EXPECTED = {
    "crm.client.risk": ("-", "rwc", "rwcu", "rwc", "-", "rwc", "rwc", "-", "-"),
    "crm.complaint.cause.category": ("-", "-", "-", "-", "-", "r", "rwcu", "-", "-"),
    "crm.complaint.sla.compliance": ("-", "-", "-", "-", "-", "rwcu", "rwcu", "-", "-"),
    "crm.complaint.sla.compliance.line": ("-", "-", "-", "-", "-", "rwcu", "rwcu", "-", "-"),
    "crm.complaint.trace": ("-", "-", "-", "-", "-", "rwcu", "rwcu", "-", "-"),
    "crm.contact.log": ("-", "rwcu", "rwcu", "rwcu", "-", "rwcu", "rwcu", "-", "-"),
    "crm.customer.cost": ("-", "r", "rwcu", "r", "-", "r", "r", "-", "-"),
    "crm.customer.feedback": ("-", "r", "r", "r", "-", "rwc", "rwcu", "-", "-"),
    "crm.customer.mix.target": ("-", "r", "rwcu", "r", "-", "r", "r", "-", "-"),
    "crm.customer.value": ("-", "r", "ru", "r", "-", "r", "r", "-", "-"),
    "crm.key.account.candidate": ("-", "-", "-", "-", "-", "-", "-", "-", "-"),
    "crm.key.account.objection": ("-", "-", "-", "rwcu", "-", "-", "-", "-", "-"),
    "crm.key.account.objective": ("-", "-", "-", "rwcu", "-", "-", "-", "-", "-"),
    "crm.key.account.plan": ("-", "-", "-", "rwc", "-", "-", "-", "-", "-"),
    "crm.key.account.review": ("-", "-", "-", "rwc", "-", "-", "-", "-", "-"),
    "crm.key.account.review.line": ("-", "-", "-", "rc", "-", "-", "-", "-", "-"),
    "crm.key.account.selection": ("-", "-", "-", "-", "-", "-", "-", "-", "-"),
    "crm.key.account.stakeholder": ("-", "-", "-", "rwcu", "-", "-", "-", "-", "-"),
    "crm.key.account.team.member": ("-", "-", "-", "rwcu", "-", "-", "-", "-", "-"),
    "crm.portfolio.analysis": ("-", "r", "rwcu", "r", "-", "r", "r", "-", "-"),
    "crm.portfolio.line": ("-", "r", "ru", "r", "-", "r", "r", "-", "-"),
    "crm.portfolio.run": ("-", "-", "rwcu", "-", "-", "-", "-", "-", "-"),
    "crm.portfolio.strategy.map": ("-", "r", "rwcu", "r", "-", "r", "r", "-", "-"),
    "crm.quality.action": ("-", "-", "-", "-", "-", "rwc", "rwcu", "-", "-"),
    "crm.quality.attribute": ("-", "-", "-", "-", "-", "r", "rwcu", "-", "-"),
    "crm.quality.cost": ("-", "-", "-", "-", "-", "r", "rwcu", "-", "-"),
    "crm.quality.department": ("-", "-", "-", "-", "-", "r", "rwcu", "-", "-"),
    "crm.quality.gap": ("-", "-", "-", "-", "-", "rwc", "rwcu", "-", "-"),
    "crm.relationship.strategy": ("-", "r", "rwcu", "r", "-", "r", "r", "-", "-"),
    "crm.sales.measure": ("-", "-", "rwcu", "-", "-", "-", "-", "-", "-"),
    "crm.sales.measure.line": ("-", "-", "rwcu", "-", "-", "-", "-", "-", "-"),
    "crm.strategy.assign": ("-", "rwcu", "rwcu", "rwcu", "-", "rwcu", "rwcu", "-", "-"),
    "crm.wallet.competitor": ("-", "rwcu", "rwcu", "rwcu", "-", "rwcu", "rwcu", "-", "-"),
    "crm.wallet.estimate": ("-", "rwc", "rwcu", "rwc", "-", "rwc", "rwc", "-", "-"),
}
# fmt: on


class TestAccessMatrix(TransactionCase):
    test_module = "crm_suite"
    test_tags = {"standard", "post_install"}
    test_sequence = 0

    def test_every_role_has_exactly_the_rights_of_the_table(self):
        users = {role: new_test_user(self.env, login=f"matrix_{role}", groups=groups) for role, groups in ROLES.items()}
        ours = sorted(
            model.model
            for model in self.env["ir.model"].search([("model", "in", list(self.env.registry))])
            if self.env[model.model]._original_module in MODULES and not self.env[model.model]._abstract
        )
        self.assertEqual(ours, sorted(EXPECTED), "every model of ours has a row, and only those")
        Access = self.env["ir.model.access"]
        checked = 0
        for model, row in EXPECTED.items():
            for (role, user), allowed in zip(users.items(), row, strict=True):
                for letter, operation in OPERATIONS.items():
                    with self.subTest(model=model, role=role, operation=operation):
                        self.assertEqual(
                            Access.with_user(user).check(model, operation, raise_exception=False),
                            letter in allowed,
                        )
                    checked += 1
        self.assertEqual(checked, len(EXPECTED) * len(ROLES) * len(OPERATIONS))

    def test_a_helpdesk_agent_without_our_groups_works_a_complaint(self):
        """The agent has no right on our models, yet opens a complaint's form and takes it through
        its steps: nothing the form loads or the steps write needs more than the helpdesk's rights."""
        agent = new_test_user(self.env, login="matrix_helpdesk_agent", groups="helpdesk_mgmt.group_helpdesk_user")
        customer = self.env["res.partner"].create({"name": "Matrix Complaint Co", "is_company": True})
        complaint = (
            self.env["helpdesk.ticket"]
            .with_user(agent)
            .create(
                {
                    "name": "Scratched table",
                    "description": "<p>Scratched on delivery.</p>",
                    "partner_id": customer.id,
                    "user_id": agent.id,
                    "is_complaint": True,
                }
            )
        )
        form_fields = complaint.get_views([(False, "form")])["models"]["helpdesk.ticket"]["fields"]
        self.assertIn("complaint_step", form_fields)
        complaint.read(list(form_fields))
        complaint.action_acknowledge()
        complaint.write({"severity": "2", "complexity": "1"})
        complaint.action_assess()
        complaint.action_investigate()
        complaint.write({"remedy_offered": "A new table top", "restitution_amount": 80.0})
        complaint.action_resolve()
        self.assertEqual(complaint.complaint_step, "resolved")
        self.assertEqual(
            self.env["crm.customer.cost"].search([("partner_id", "=", customer.id)]).amount,
            80.0,
            "the restitution is booked as the customer's cost to serve though the agent cannot read costs",
        )
