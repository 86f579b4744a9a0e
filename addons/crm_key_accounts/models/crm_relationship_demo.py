from odoo import api, models

# The demo plans reviewed once the whole demo story is loaded, their figures frozen then.
REVIEWED_DEMO_PLANS = ("crm_key_accounts.demo_plan_atlas", "crm_key_accounts.demo_plan_lumen")


class CrmRelationshipDemo(models.AbstractModel):
    _inherit = "crm.relationship.demo"

    @api.model
    def _finish_demo_story(self, module=None):
        """The key-account chapter of the demo story: actuals of the open plans from the whole story
        (complaints and satisfaction included when the quality module's demo comes later), then,
        once the story is complete, the plans' reviews and the neglected decision makers' alerts,
        as the nightly job would have left them."""
        result = super()._finish_demo_story(module)
        open_plans = self.env["crm.key.account.plan"].search([("state", "!=", "closed")])
        self.env["crm.key.account.objective"]._refresh_actuals(open_plans.objective_ids)
        if self._demo_story_complete(module):
            for xmlid in REVIEWED_DEMO_PLANS:
                plan = self.env.ref(xmlid, raise_if_not_found=False)
                if plan and not plan.review_ids:
                    plan.action_create_review()
            open_plans._schedule_neglect_activities()
        return result
