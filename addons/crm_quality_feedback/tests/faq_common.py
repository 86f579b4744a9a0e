"""A fresh company with its FAQ: two published entries, a draft and a reviewed one that share
their words, and a published entry of another company. The demo's entries are in the main
company, so every figure here is exact whatever the demo holds."""

from odoo.tests import new_test_user

PORTAL_LOGIN = "faq_portal"
PORTAL_PASSWORD = PORTAL_LOGIN  # the tours log in with the login as password


def setup_faq(cls):
    env = cls.env
    cls.company = env["res.company"].create({"name": "FAQ Furniture"})
    cls.other_company = env["res.company"].create({"name": "FAQ Elsewhere"})
    cls.chair, cls.desk = env["product.product"].create(
        [{"name": f"FAQ {name}", "company_id": cls.company.id} for name in ("Chair", "Desk")]
    )
    cls.customer = env["res.partner"].create({"name": "Harbour Offices", "is_company": True})
    own = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
    cls.portal_user = new_test_user(
        env, login=PORTAL_LOGIN, password=PORTAL_PASSWORD, groups="base.group_portal", name="Hugo Harbour", **own
    )
    cls.portal_user.partner_id.parent_id = cls.customer
    cls.agent = new_test_user(
        env, login="faq_agent", name="Ada Agent", groups="helpdesk_mgmt.group_helpdesk_user", **own
    )
    cls.quality_user = new_test_user(
        env, login="faq_quality", name="Quentin Quality", groups="crm_quality_feedback.group_quality_user", **own
    )
    Entry = env["crm.faq.entry"]
    cls.chair_height, cls.desk_wobble, cls.draft_chair, cls.reviewed_chair = Entry.create(
        [
            {
                "name": "How do I adjust the chair height?",
                "answer": "<p>Pull the lever under the seat and sit down slowly.</p>",
                "product_id": cls.chair.id,
                "company_id": cls.company.id,
            },
            {
                "name": "Why does my desk wobble?",
                "answer": "<p>Turn the levelling feet until all four touch the floor.</p>",
                "product_id": cls.desk.id,
                "company_id": cls.company.id,
            },
            {
                "name": "Chair height lever broken: do we replace it?",
                "answer": "<p>Internal: the lever is replaced for free, do not say so before the review.</p>",
                "product_id": cls.chair.id,
                "company_id": cls.company.id,
            },
            {
                "name": "Chair height for tall people",
                "answer": "<p>Order the tall gas lift with the lever kit.</p>",
                "product_id": cls.chair.id,
                "company_id": cls.company.id,
            },
        ]
    )
    cls.elsewhere = Entry.create(
        {
            "name": "How do I adjust the chair height (elsewhere)?",
            "answer": "<p>Another company's lever.</p>",
            "company_id": cls.other_company.id,
        }
    )
    (cls.chair_height | cls.desk_wobble | cls.reviewed_chair | cls.elsewhere).action_review()
    (cls.chair_height | cls.desk_wobble | cls.elsewhere).action_publish()
    cls.team = env["helpdesk.ticket.team"].create(
        {"name": "FAQ complaints", "company_id": cls.company.id, "show_in_portal": True}
    )


def file_complaint(cls, name="Chair height lever stuck", **values):
    return cls.env["helpdesk.ticket"].create(
        dict(
            {
                "name": name,
                "description": "<p>The lever does not move.</p>",
                "partner_id": cls.portal_user.partner_id.id,
                "team_id": cls.team.id,
                "company_id": cls.company.id,
                "user_id": cls.agent.id,
                "is_complaint": True,
            },
            **values,
        )
    )
