"""A plan's attainment caps each objective's progress at 100 % and weighs the objectives (issue 20).

Objectives get a Weight of 1 (the column's default), so the weighted average is the plain one of
before; what changes is the cap: a plan with an objective above 100 % (or below 0 %) had a higher
(or lower) attainment than the new rule gives. Every plan's stored attainment, closed plans
included, is recomputed from its objectives' stored progress, so that the attainment pivot compares
plans under one rule.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    plans = env["crm.key.account.plan"].with_context(active_test=False).search([])
    env.add_to_compute(plans._fields["attainment"], plans)
    plans.flush_model(["attainment"])
