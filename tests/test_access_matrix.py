"""Who may do what on every model of ours: the tables are the specification.

EXPECTED gives, for the roles in ROLES order, the operations allowed by the access rights:
r(ead), w(rite), c(reate), u(nlink); "-" for none. A model without a row fails the test, so a
new model cannot ship without a decision on its rights.

RULES adds the record rules, on two records of each model that holds company data (and of each
wizard): one of company A that belongs to someone else (another manager's plan, another user's
contact or action, a wizard another user opened) and one of company B. Every role works in
company A only. A row gives, per role, what the role may do to company A's record: r(ead),
w(rite), u(nlink); nobody reaches company B's.
"""

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user

MODULES = ("crm_relationship", "crm_key_accounts", "crm_quality_feedback")
ROLES = {
    "internal": "base.group_user",
    "salesperson": "sales_team.group_sale_salesman",
    "sales_manager": "sales_team.group_sale_manager",
    "key_account_manager": "sales_team.group_sale_salesman,crm_key_accounts.group_key_account_manager",
    "key_account_director": "crm_key_accounts.group_key_account_director",
    "helpdesk_user": "helpdesk_mgmt.group_helpdesk_user",
    "quality_user": "crm_quality_feedback.group_quality_user",
    "quality_manager": "crm_quality_feedback.group_quality_manager",
    "portal": "base.group_portal",
    "public": "base.group_public",
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
# fmt: off
EXPECTED = {
    "crm.announcement": ("-", "-", "-", "-", "-", "r", "r", "rwcu", "-", "-"),
    "crm.announcement.recipient": ("-", "-", "-", "-", "-", "r", "r", "r", "r", "-"),
    "crm.client.risk": ("-", "rwc", "rwcu", "rwc", "rwcu", "-", "rwc", "rwc", "-", "-"),
    "crm.complaint.cause.category": ("-", "-", "-", "-", "-", "-", "r", "rwcu", "-", "-"),
    "crm.complaint.pareto.report": ("-", "-", "-", "-", "-", "-", "r", "r", "-", "-"),
    "crm.complaint.sla.report": ("-", "-", "-", "-", "-", "-", "r", "r", "-", "-"),
    "crm.complaint.trace": ("-", "-", "-", "-", "-", "-", "rwcu", "rwcu", "-", "-"),
    "crm.complaint.third.party.contact": ("-", "-", "-", "-", "-", "rwc", "rwc", "rwcu", "-", "-"),
    "crm.contact.log": ("-", "rwcu", "rwcu", "rwcu", "rwcu", "-", "rwcu", "rwcu", "-", "-"),
    "crm.customer.cost": ("-", "r", "rwcu", "r", "rwcu", "-", "r", "r", "-", "-"),
    "crm.customer.datacard": ("-", "r", "ru", "r", "ru", "-", "r", "r", "-", "-"),
    "crm.customer.feedback": ("-", "r", "r", "r", "r", "-", "rwc", "rwcu", "-", "-"),
    "crm.customer.mix.target": ("-", "r", "rwcu", "r", "rwcu", "-", "r", "r", "-", "-"),
    "crm.customer.value": ("-", "r", "ru", "r", "ru", "-", "r", "r", "-", "-"),
    "crm.datacard.criterion": ("-", "r", "rwcu", "r", "rwcu", "-", "r", "r", "-", "-"),
    "crm.faq.answer.wizard": ("-", "-", "-", "-", "-", "rwcu", "rwcu", "rwcu", "-", "-"),
    "crm.faq.entry": ("-", "-", "-", "-", "-", "rwcu", "rwcu", "rwcu", "r", "-"),
    "crm.key.account.candidate": ("-", "-", "-", "-", "rwcu", "-", "-", "-", "-", "-"),
    "crm.key.account.objection": ("-", "-", "-", "rwcu", "rwcu", "-", "-", "-", "-", "-"),
    "crm.key.account.objective": ("-", "-", "-", "rwcu", "rwcu", "-", "-", "-", "-", "-"),
    "crm.key.account.plan": ("-", "-", "-", "rwc", "rwcu", "-", "-", "-", "-", "-"),
    "crm.key.account.review": ("-", "-", "-", "rwc", "rwcu", "-", "-", "-", "-", "-"),
    "crm.key.account.review.line": ("-", "-", "-", "r", "rwcu", "-", "-", "-", "-", "-"),
    "crm.key.account.selection": ("-", "-", "-", "-", "rwcu", "-", "-", "-", "-", "-"),
    "crm.key.account.stakeholder": ("-", "-", "-", "rwcu", "rwcu", "-", "-", "-", "-", "-"),
    "crm.key.account.team.member": ("-", "-", "-", "rwcu", "rwcu", "-", "-", "-", "-", "-"),
    "crm.portfolio.analysis": ("-", "r", "rwcu", "r", "rwcu", "-", "r", "r", "-", "-"),
    "crm.portfolio.line": ("-", "r", "ru", "r", "ru", "-", "r", "r", "-", "-"),
    "crm.portfolio.run": ("-", "-", "rwcu", "-", "rwcu", "-", "-", "-", "-", "-"),
    "crm.portfolio.strategy.map": ("-", "r", "rwcu", "r", "rwcu", "-", "r", "r", "-", "-"),
    "crm.quality.action": ("-", "-", "-", "-", "-", "-", "rwc", "rwcu", "-", "-"),
    "crm.quality.attribute": ("-", "-", "-", "-", "-", "-", "r", "rwcu", "-", "-"),
    "crm.quality.cost": ("-", "-", "-", "-", "-", "-", "r", "rwcu", "-", "-"),
    "crm.quality.department": ("-", "-", "-", "-", "-", "-", "r", "rwcu", "-", "-"),
    "crm.quality.gap": ("-", "-", "-", "-", "-", "-", "rwc", "rwcu", "-", "-"),
    "crm.loyalty.membership": ("-", "r", "rwcu", "r", "rwcu", "-", "r", "r", "-", "-"),
    "crm.loyalty.package": ("-", "r", "rwcu", "r", "rwcu", "-", "r", "r", "-", "-"),
    "crm.readiness.answer": ("-", "-", "rwcu", "-", "rwcu", "-", "-", "-", "-", "-"),
    "crm.readiness.assessment": ("-", "-", "rwcu", "-", "rwcu", "-", "-", "-", "-", "-"),
    "crm.readiness.projection": ("-", "-", "r", "-", "r", "-", "-", "-", "-", "-"),
    "crm.readiness.question": ("-", "-", "rwcu", "-", "rwcu", "-", "-", "-", "-", "-"),
    "crm.relationship.level.place": ("-", "-", "rwcu", "-", "rwcu", "-", "-", "-", "-", "-"),
    "crm.relationship.programme": ("-", "-", "rwcu", "-", "rwcu", "-", "-", "-", "-", "-"),
    "crm.relationship.programme.member": ("-", "-", "rwcu", "-", "rwcu", "-", "-", "-", "-", "-"),
    "crm.relationship.strategy": ("-", "r", "rwcu", "r", "rwcu", "-", "r", "r", "-", "-"),
    "crm.sales.forecast": ("-", "r", "rwcu", "r", "rwcu", "-", "r", "r", "-", "-"),
    "crm.sales.forecast.line": ("-", "r", "ru", "r", "ru", "-", "r", "r", "-", "-"),
    "crm.sales.measure.report": ("-", "-", "r", "-", "r", "-", "-", "-", "-", "-"),
    "crm.service.blueprint": ("-", "-", "-", "-", "-", "-", "r", "rwcu", "-", "-"),
    "crm.service.blueprint.report": ("-", "-", "-", "-", "-", "-", "r", "r", "-", "-"),
    "crm.service.blueprint.step": ("-", "-", "-", "-", "-", "-", "r", "rwcu", "-", "-"),
    "crm.relationship.event": ("-", "r", "ru", "r", "ru", "-", "r", "r", "-", "-"),
    "crm.retention.report": ("-", "r", "r", "r", "r", "-", "r", "r", "-", "-"),
    "crm.turnover.target": ("-", "r", "rwcu", "r", "rwcu", "-", "r", "r", "-", "-"),
    "crm.strategy.assign": ("-", "rwcu", "rwcu", "rwcu", "rwcu", "-", "rwcu", "rwcu", "-", "-"),
    "crm.wallet.competitor": ("-", "rwcu", "rwcu", "rwcu", "rwcu", "-", "rwcu", "rwcu", "-", "-"),
    "crm.wallet.estimate": ("-", "rwc", "rwcu", "rwc", "rwcu", "-", "rwc", "rwc", "-", "-"),
}
# fmt: on

# fmt: off
RULES = {
    "crm.announcement": ("-", "-", "-", "-", "-", "r", "r", "rwu", "-", "-"),
    "crm.announcement.recipient": ("-", "-", "-", "-", "-", "r", "r", "r", "-", "-"),
    "crm.client.risk": ("-", "rw", "rwu", "rw", "rwu", "-", "rw", "rw", "-", "-"),
    "crm.complaint.pareto.report": ("-", "-", "-", "-", "-", "-", "r", "r", "-", "-"),
    "crm.complaint.sla.report": ("-", "-", "-", "-", "-", "-", "r", "r", "-", "-"),
    "crm.complaint.trace": ("-", "-", "-", "-", "-", "-", "rwu", "rwu", "-", "-"),
    "crm.complaint.third.party.contact": ("-", "-", "-", "-", "-", "rw", "rw", "rwu", "-", "-"),
    "crm.contact.log": ("-", "r", "rwu", "r", "rwu", "-", "r", "r", "-", "-"),
    "crm.customer.cost": ("-", "r", "rwu", "r", "rwu", "-", "r", "r", "-", "-"),
    "crm.customer.datacard": ("-", "r", "ru", "r", "ru", "-", "r", "r", "-", "-"),
    "crm.customer.feedback": ("-", "r", "r", "r", "r", "-", "rw", "rwu", "-", "-"),
    "crm.customer.mix.target": ("-", "r", "rwu", "r", "rwu", "-", "r", "r", "-", "-"),
    "crm.customer.value": ("-", "r", "ru", "r", "ru", "-", "r", "r", "-", "-"),
    "crm.datacard.criterion": ("-", "r", "rwu", "r", "rwu", "-", "r", "r", "-", "-"),
    # a draft entry: agents and quality users change it; customers never read a draft
    "crm.faq.answer.wizard": ("-", "-", "-", "-", "-", "-", "-", "-", "-", "-"),
    "crm.faq.entry": ("-", "-", "-", "-", "-", "rwu", "rwu", "rwu", "-", "-"),
    "crm.key.account.candidate": ("-", "-", "-", "-", "-", "-", "-", "-", "-", "-"),
    "crm.key.account.objection": ("-", "-", "-", "-", "rwu", "-", "-", "-", "-", "-"),
    "crm.key.account.objective": ("-", "-", "-", "-", "rwu", "-", "-", "-", "-", "-"),
    "crm.key.account.plan": ("-", "-", "-", "-", "rwu", "-", "-", "-", "-", "-"),
    "crm.key.account.review": ("-", "-", "-", "-", "rwu", "-", "-", "-", "-", "-"),
    "crm.key.account.review.line": ("-", "-", "-", "-", "rwu", "-", "-", "-", "-", "-"),
    "crm.key.account.selection": ("-", "-", "-", "-", "-", "-", "-", "-", "-", "-"),
    "crm.key.account.stakeholder": ("-", "-", "-", "-", "rwu", "-", "-", "-", "-", "-"),
    "crm.key.account.team.member": ("-", "-", "-", "-", "rwu", "-", "-", "-", "-", "-"),
    "crm.portfolio.analysis": ("-", "r", "rwu", "r", "rwu", "-", "r", "r", "-", "-"),
    "crm.portfolio.line": ("-", "r", "ru", "r", "ru", "-", "r", "r", "-", "-"),
    "crm.portfolio.run": ("-", "-", "-", "-", "-", "-", "-", "-", "-", "-"),
    "crm.quality.action": ("-", "-", "-", "-", "-", "-", "r", "rwu", "-", "-"),
    "crm.quality.cost": ("-", "-", "-", "-", "-", "-", "r", "rwu", "-", "-"),
    "crm.quality.gap": ("-", "-", "-", "-", "-", "-", "rw", "rwu", "-", "-"),
    "crm.loyalty.membership": ("-", "r", "rwu", "r", "rwu", "-", "r", "r", "-", "-"),
    "crm.loyalty.package": ("-", "r", "rwu", "r", "rwu", "-", "r", "r", "-", "-"),
    "crm.readiness.answer": ("-", "-", "rwu", "-", "rwu", "-", "-", "-", "-", "-"),
    "crm.readiness.assessment": ("-", "-", "rwu", "-", "rwu", "-", "-", "-", "-", "-"),
    "crm.readiness.projection": ("-", "-", "r", "-", "r", "-", "-", "-", "-", "-"),
    "crm.relationship.level.place": ("-", "-", "-", "-", "-", "-", "-", "-", "-", "-"),
    "crm.sales.forecast": ("-", "r", "rwu", "r", "rwu", "-", "r", "r", "-", "-"),
    "crm.sales.forecast.line": ("-", "r", "ru", "r", "ru", "-", "r", "r", "-", "-"),
    "crm.relationship.programme": ("-", "-", "rwu", "-", "rwu", "-", "-", "-", "-", "-"),
    "crm.relationship.programme.member": ("-", "-", "rwu", "-", "rwu", "-", "-", "-", "-", "-"),
    "crm.sales.measure.report": ("-", "-", "r", "-", "r", "-", "-", "-", "-", "-"),
    "crm.service.blueprint": ("-", "-", "-", "-", "-", "-", "r", "rwu", "-", "-"),
    "crm.service.blueprint.report": ("-", "-", "-", "-", "-", "-", "r", "r", "-", "-"),
    "crm.service.blueprint.step": ("-", "-", "-", "-", "-", "-", "r", "rwu", "-", "-"),
    "crm.relationship.event": ("-", "r", "ru", "r", "ru", "-", "r", "r", "-", "-"),
    "crm.retention.report": ("-", "r", "r", "r", "r", "-", "r", "r", "-", "-"),
    "crm.turnover.target": ("-", "r", "rwu", "r", "rwu", "-", "r", "r", "-", "-"),
    "crm.strategy.assign": ("-", "-", "-", "-", "-", "-", "-", "-", "-", "-"),
    "crm.wallet.competitor": ("-", "rwu", "rwu", "rwu", "rwu", "-", "rwu", "rwu", "-", "-"),
    "crm.wallet.estimate": ("-", "rw", "rwu", "rw", "rwu", "-", "rw", "rw", "-", "-"),
}
# fmt: on
RULE_OPERATIONS = {"r": "read", "w": "write", "u": "unlink"}


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

    def test_every_role_reaches_exactly_the_records_of_the_table(self):
        company_a = self.env.company
        company_b = self.env["res.company"].create({"name": "Matrix Company B"})
        users = {
            role: new_test_user(
                self.env,
                login=f"rules_{role}",
                groups=groups,
                company_id=company_a.id,
                company_ids=[(6, 0, company_a.ids)],
            )
            for role, groups in ROLES.items()
        }
        owner = new_test_user(
            self.env,
            login="rules_owner",
            groups="sales_team.group_sale_salesman,crm_key_accounts.group_key_account_manager,"
            "crm_quality_feedback.group_quality_user",
            company_id=company_a.id,
            company_ids=[(6, 0, (company_a | company_b).ids)],
        )
        ours = sorted(
            model for model in EXPECTED if "company_id" in self.env[model]._fields or self.env[model]._transient
        )
        self.assertEqual(ours, sorted(RULES), "every model holding company data, and every wizard, has a row")
        records = {"A": self._records_of(company_a, owner), "B": self._records_of(company_b, owner)}
        self.assertEqual(sorted(records["A"]), sorted(RULES))
        checked = 0
        for model, row in RULES.items():
            for (role, user), allowed in zip(users.items(), row, strict=True):
                for which, record in records.items():
                    for letter, operation in RULE_OPERATIONS.items():
                        with self.subTest(model=model, role=role, company=which, operation=operation):
                            self.assertEqual(
                                self._may(record[model], user, operation),
                                which == "A" and letter in allowed,
                            )
                        checked += 1
        self.assertEqual(checked, len(RULES) * len(ROLES) * 2 * len(RULE_OPERATIONS))

    @staticmethod
    def _may(record, user, operation):
        try:
            record.with_user(user).check_access(operation)
        except AccessError:
            return False
        return True

    def _records_of(self, company, owner):
        """One record of each model in ``company``; ``owner`` is its user where a record has one,
        and wizards are opened by another user (the superuser)."""
        env = self.env
        own = {"company_id": company.id}
        customer = env["res.partner"].create({"name": f"{company.name} Customer", "is_company": True})
        person = env["res.partner"].create({"name": f"{company.name} Buyer", "parent_id": customer.id})
        analysis = env["crm.portfolio.analysis"].create(dict(own, state="done"))
        forecast = env["crm.sales.forecast"].create(own)
        plan = env["crm.key.account.plan"].create(dict(own, partner_id=customer.id, user_id=owner.id))
        review = env["crm.key.account.review"].create({"plan_id": plan.id})
        estimate = env["crm.wallet.estimate"].create(dict(own, partner_id=customer.id, estimated_total_spend=1e3))
        ticket = env["helpdesk.ticket"].create(
            dict(own, name="Late", description="Late", partner_id=customer.id, is_complaint=True)
        )
        selection = env["crm.key.account.selection"].create(dict(own, analysis_id=analysis.id))
        ticket.write({"resolved_date": "2031-01-02 10:00:00", "on_time": True})  # a row of the SLA report
        faq = env["crm.faq.entry"].create(dict(own, name="Where is my order?", answer="<p>On the portal.</p>"))
        published_faq = faq.copy()
        published_faq.action_review()
        published_faq.action_publish()
        contact = env["crm.contact.log"].create(dict(own, partner_id=customer.id, summary="Call", user_id=owner.id))
        assessment = env["crm.readiness.assessment"].create(dict(own, user_id=owner.id))
        package = env["crm.loyalty.package"].create(dict(own, name=f"{company.name} key client"))
        blueprint = env["crm.service.blueprint"].create(dict(own, name=f"{company.name} delivery", user_id=owner.id))
        step = env["crm.service.blueprint.step"].create(
            {
                "blueprint_id": blueprint.id,
                "name": "Deliver",
                "department_id": env["crm.quality.department"].create({"name": f"{company.name} drivers"}).id,
            }
        )
        announcement = env["crm.announcement"].create(dict(own, name="Downtime", body="<p>Down</p>", user_id=owner.id))
        programme = env["crm.relationship.programme"].create(
            dict(own, name="Design day", evaluation_date_from="2031-01-01", evaluation_date_to="2031-03-01")
        )
        env["sale.order"].create(
            dict(
                own,
                partner_id=customer.id,
                order_line=[
                    (0, 0, {"product_id": env["product.product"].create({"name": "Chair"}).id, "price_unit": 10.0})
                ],
            )
        ).action_confirm()  # a row of the retention report
        env.flush_all()
        return {
            "crm.announcement": announcement,
            "crm.announcement.recipient": env["crm.announcement.recipient"].create(
                {"announcement_id": announcement.id, "partner_id": customer.id}
            ),
            "crm.client.risk": env["crm.client.risk"].create(
                dict(own, name="Risk", partner_id=customer.id, risk_type="risky_client", user_id=owner.id)
            ),
            "crm.complaint.pareto.report": env["crm.complaint.pareto.report"].search(
                [("company_id", "=", company.id), ("dimension", "=", "customer"), ("partner_id", "=", customer.id)]
            ),  # the complaint's customer's row
            "crm.complaint.sla.report": env["crm.complaint.sla.report"].browse(ticket.id),
            "crm.complaint.trace": env["crm.complaint.trace"].create(
                {
                    "ticket_id": ticket.id,
                    "department_id": env["crm.quality.department"].create({"name": f"{company.name} dispatch"}).id,
                    "activity": "Packed the order",
                }
            ),
            "crm.complaint.third.party.contact": env["crm.complaint.third.party.contact"].create(
                {
                    "ticket_id": ticket.id,
                    "partner_id": env["res.partner"].create({"name": f"{company.name} Carrier"}).id,
                    "request": "When can you deliver the replacement?",
                    "user_id": owner.id,
                }
            ),
            "crm.contact.log": contact,
            "crm.customer.cost": env["crm.customer.cost"].create(
                dict(own, name="Visit", partner_id=customer.id, cost_type="account_management", amount=10.0)
            ),
            "crm.customer.feedback": env["crm.customer.feedback"].create(dict(own, partner_id=customer.id, score=4)),
            "crm.customer.mix.target": env["crm.customer.mix.target"].create(
                dict(own, year=2041, target_new=25, target_repeat=45, target_switcher=20, target_last_time=10)
            ),
            "crm.customer.value": env["crm.customer.value"].create(dict(own, partner_id=customer.id)),
            "crm.customer.datacard": env["crm.customer.datacard"].create(dict(own, partner_id=customer.id)),
            "crm.datacard.criterion": env["crm.datacard.criterion"].search(
                [("company_id", "=", company.id), ("code", "=", "address")]
            ),  # the company's own copy of a shipped item
            "crm.faq.answer.wizard": env["crm.faq.answer.wizard"].create(
                {"ticket_id": ticket.id, "entry_id": published_faq.id}
            ),
            "crm.faq.entry": faq,
            "crm.key.account.candidate": env["crm.key.account.candidate"].create(
                {"selection_id": selection.id, "partner_id": customer.id}
            ),
            "crm.key.account.objection": env["crm.key.account.objection"].create(
                {"plan_id": plan.id, "name": "Too dear"}
            ),
            "crm.key.account.objective": env["crm.key.account.objective"].create(
                {"plan_id": plan.id, "name": "Revenue", "target": 100.0}
            ),
            "crm.key.account.plan": plan,
            "crm.key.account.review": review,
            "crm.key.account.review.line": env["crm.key.account.review.line"].create(
                {"review_id": review.id, "name": "Revenue"}
            ),
            "crm.key.account.selection": selection,
            "crm.key.account.stakeholder": env["crm.key.account.stakeholder"].create(
                {"plan_id": plan.id, "contact_id": person.id}
            ),
            "crm.key.account.team.member": env["crm.key.account.team.member"].create(
                {"plan_id": plan.id, "user_id": owner.id, "role": "marketing"}
            ),
            "crm.portfolio.analysis": analysis,
            "crm.portfolio.line": env["crm.portfolio.line"].create(
                {"analysis_id": analysis.id, "partner_id": customer.id}
            ),
            "crm.portfolio.run": env["crm.portfolio.run"].create(own),
            "crm.quality.action": env["crm.quality.action"].create(
                dict(own, name="Fix the packing", deadline="2031-01-01", user_id=owner.id)
            ),
            "crm.quality.cost": env["crm.quality.cost"].create(
                dict(own, name="Scrap", category="internal_failure", amount=5.0)
            ),
            "crm.quality.gap": env["crm.quality.gap"].create(
                dict(
                    own,
                    attribute_id=env["crm.quality.attribute"].create({"name": f"{company.name} punctuality"}).id,
                    expectation=4,
                    perception=3,
                )
            ),
            "crm.loyalty.membership": env["crm.loyalty.membership"].create(
                {"package_id": package.id, "partner_id": customer.id}
            ),
            "crm.loyalty.package": package,
            "crm.readiness.answer": assessment.answer_ids[:1],
            "crm.readiness.assessment": assessment,
            "crm.readiness.projection": assessment.projection_ids[:1],
            "crm.relationship.programme": programme,
            "crm.relationship.programme.member": env["crm.relationship.programme.member"].create(
                {"programme_id": programme.id, "partner_id": customer.id}
            ),
            "crm.relationship.level.place": env["crm.relationship.level.place"].create(
                {"partner_ids": [(6, 0, customer.ids)], "relationship_level": "encounter", "reason": "Matrix"}
            ),
            "crm.sales.forecast": forecast,
            "crm.sales.forecast.line": env["crm.sales.forecast.line"].create(
                {"forecast_id": forecast.id, "date": "2031-01-01", "partner_id": customer.id}
            ),
            "crm.sales.measure.report": env["crm.sales.measure.report"].search(
                [("kind", "=", "contact"), ("partner_id", "=", customer.id)]
            ),  # the contact's row
            "crm.service.blueprint": blueprint,
            "crm.service.blueprint.report": env["crm.service.blueprint.report"].browse(step.id),  # the step's row
            "crm.service.blueprint.step": step,
            "crm.relationship.event": env["crm.relationship.event"]._record(
                [("abc_class", company.id, customer.id, "A", "B", "2031-01-01", "Matrix", None, None)]
            ),
            "crm.retention.report": env["crm.retention.report"].search([("partner_id", "=", customer.id)]),
            "crm.turnover.target": env["crm.turnover.target"].create(dict(own, year=2041, target_turnover=20.0)),
            "crm.strategy.assign": env["crm.strategy.assign"].create(
                {"partner_ids": [(6, 0, customer.ids)], "strategy_id": env.ref("crm_relationship.strategy_protect").id}
            ),
            "crm.wallet.competitor": env["crm.wallet.competitor"].create(
                {
                    "estimate_id": estimate.id,
                    "competitor_id": env["res.partner"].create({"name": f"{company.name} Rival"}).id,
                    "estimated_amount": 100.0,
                }
            ),
            "crm.wallet.estimate": estimate,
        }

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
