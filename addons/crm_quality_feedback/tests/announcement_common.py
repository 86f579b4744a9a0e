from odoo import Command
from odoo.tests import new_test_user


class AnnouncementData:
    """Five customers of a furniture maker, told of downtime and releases.

    ======== ========== ======== ====================== ============================ =============
    customer tags       tier     confirmed orders       complaints                   e-mail
    ======== ========== ======== ====================== ============================ =============
    Alpha    Retail     priority desk                   desk, closed                 yes
    Bravo    Retail     key      desk (by its buyer)    lamp, open                   yes
    Charlie  -          standard lamp; desk in draft    desk, open (by its buyer)    yes
    Delta    Retail     key      desk                   desk, open                   none
    Echo     - (its     standard -                      -                            yes
             person:
             Retail)
    ======== ========== ======== ====================== ============================ =============
    """

    @classmethod
    def _build_announcement_data(cls):
        env = cls.env
        Partner = env["res.partner"]
        # nobody else in the database is of the tiers the tests choose
        Partner.with_context(active_test=False).search([("service_tier", "in", ("priority", "key"))]).write(
            {"service_tier": "standard"}
        )
        cls.retail = env["res.partner.category"].create({"name": "Retail (announcement tests)"})
        cls.desk = env["product.product"].create({"name": "Sit-stand desk", "list_price": 900.0, "type": "consu"})
        cls.lamp = env["product.product"].create({"name": "Desk lamp", "list_price": 60.0, "type": "consu"})

        def customer(name, tier, tagged, email=True):
            return Partner.create(
                {
                    "name": name,
                    "is_company": True,
                    "service_tier": tier,
                    "category_id": [Command.set(cls.retail.ids if tagged else [])],
                    "email": f"office@{name.lower()}.example" if email else False,
                }
            )

        cls.alpha = customer("Alpha", "priority", True)
        cls.bravo = customer("Bravo", "key", True)
        cls.charlie = customer("Charlie", "standard", False)
        cls.delta = customer("Delta", "key", True, email=False)
        cls.echo = customer("Echo", "standard", False)
        cls.bravo_buyer = Partner.create({"name": "Bea Buyer", "parent_id": cls.bravo.id, "email": "bea@bravo.example"})
        cls.charlie_buyer = Partner.create({"name": "Carl Buyer", "parent_id": cls.charlie.id})
        Partner.create({"name": "Eve Echo", "parent_id": cls.echo.id, "category_id": [Command.set(cls.retail.ids)]})

        def order(partner, product, confirm=True):
            sale = env["sale.order"].create(
                {"partner_id": partner.id, "order_line": [Command.create({"product_id": product.id})]}
            )
            if confirm:
                sale.action_confirm()
            return sale

        order(cls.alpha, cls.desk)
        order(cls.bravo_buyer, cls.desk)
        order(cls.charlie, cls.lamp)
        order(cls.charlie, cls.desk, confirm=False)
        order(cls.delta, cls.desk)

        def complaint(partner, product):
            return env["helpdesk.ticket"].create(
                {
                    "name": f"{partner.name}: {product.name} broken",
                    "description": "<p>Broken.</p>",
                    "partner_id": partner.id,
                    "product_id": product.id,
                    "is_complaint": True,
                }
            )

        # closed by the complaint process long ago (written here as the superuser that process uses)
        complaint(cls.alpha, cls.desk).write({"complaint_step": "closed"})
        complaint(cls.bravo, cls.lamp)
        complaint(cls.charlie_buyer, cls.desk)
        complaint(cls.delta, cls.desk)

        cls.quality_manager = new_test_user(
            env, login="announce_quality_manager", groups="crm_quality_feedback.group_quality_manager"
        )
        cls.helpdesk_manager = new_test_user(
            env, login="announce_helpdesk_manager", groups="helpdesk_mgmt.group_helpdesk_manager"
        )
        cls.quality_user = new_test_user(
            env, login="announce_quality_user", groups="crm_quality_feedback.group_quality_user"
        )

    @classmethod
    def _announcement(cls, user=None, **values):
        return (
            cls.env["crm.announcement"]
            .with_user(user or cls.quality_manager)
            .create(
                dict(
                    {
                        "name": "Planning offline on Saturday",
                        "kind": "maintenance",
                        "body": "<p>From 8:00 to 12:00.</p>",
                        "date_start": "2031-03-01 07:00:00",
                        "date_end": "2031-03-01 11:00:00",
                    },
                    **values,
                )
            )
        )
