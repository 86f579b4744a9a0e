from collections import defaultdict
from datetime import timedelta

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from .res_partner import SERVICE_TIERS

MEMBERSHIP_STATES = [
    ("candidate", "Candidate"),
    ("granted", "Granted"),
    ("grace", "In Grace Period"),
    ("revoked", "Revoked"),
]
MANUAL_STATUSES = [("rules", "By the Rules"), ("pinned", "Pinned"), ("excluded", "Excluded")]
# The partner fields a package may set, and the membership fields that keep their values from
# before the grant, to give them back on revocation.
PRIVILEGE_FIELDS = {
    "specific_property_product_pricelist": "previous_pricelist_id",
    "property_payment_term_id": "previous_payment_term_id",
    "service_tier": "previous_service_tier",
    "user_id": "previous_user_id",
}
# The privileges set on the customer's contacts too: an order of a contact reads the contact's.
CONTACT_FIELDS = ("specific_property_product_pricelist", "property_payment_term_id")
# A customer who never bought: what the rules see of him.
NO_FEATURES = {
    "service_tier": False,
    "lifecycle_stage": False,
    "abc_class": False,
    "bcg_quadrant": False,
    "revenue": 0.0,
    "tenure_months": 0,
}


def _contacts_of(partners):
    """The contact persons of ``partners`` (commercial partners), in the same environment."""
    return partners.search([("commercial_partner_id", "in", partners.ids), ("id", "not in", partners.ids)])


class CrmLoyaltyMembership(models.Model):
    """A customer's place in a loyalty package: granted, in its grace period, revoked, or pinned
    or excluded by a manager. One row per package and customer, which the job reuses; the values
    the package replaced are kept to be given back."""

    _name = "crm.loyalty.membership"
    _description = "Loyalty Package Membership"
    _inherit = ["mail.thread", "crm.commercial.partner.mixin", "crm.company.child.mixin", "crm.process.fields.mixin"]
    _company_parent = "package_id"
    _order = "package_id, state, partner_id"
    _check_company_auto = True
    _process_fields = (
        "state",
        "manual_status",
        "date_granted",
        "date_revoked",
        "grace_until",
        "last_reason",
        *PRIVILEGE_FIELDS.values(),
    )

    package_id = fields.Many2one("crm.loyalty.package", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="package_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
        check_company=True,
    )
    state = fields.Selection(MEMBERSHIP_STATES, default="candidate", required=True, readonly=True, tracking=True)
    manual_status = fields.Selection(
        MANUAL_STATUSES,
        string="Set by Hand",
        default="rules",
        required=True,
        readonly=True,
        tracking=True,
        help="Pinned: kept whatever the rules say. Excluded: never granted by the rules.",
    )
    date_granted = fields.Date(readonly=True)
    date_revoked = fields.Date(readonly=True)
    grace_until = fields.Date(
        readonly=True, help="The package is revoked on this day unless the customer qualifies again."
    )
    last_reason = fields.Char(string="Reason", readonly=True)
    previous_pricelist_id = fields.Many2one("product.pricelist", readonly=True)
    previous_payment_term_id = fields.Many2one("account.payment.term", readonly=True)
    previous_service_tier = fields.Selection(SERVICE_TIERS, readonly=True)
    previous_user_id = fields.Many2one("res.users", string="Previous Salesperson", readonly=True)

    _sql_constraints = [
        ("package_partner_unique", "unique(package_id, partner_id)", "The customer is already listed in this package."),
    ]

    def init(self):
        # a customer holds at most one package of a company at a time, whoever writes
        if not index_exists(self.env.cr, "crm_loyalty_membership_one_current"):
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX crm_loyalty_membership_one_current ON crm_loyalty_membership "
                    "(company_id, partner_id) WHERE state IN ('granted', 'grace')"
                )
            )

    def _process_field_hint(self, name, value):
        return self.env._("use the buttons Pin, Exclude and Follow the Rules; the nightly job grants and revokes.")

    # ------------------------------------------------------------------ manager's hand

    def action_pin(self):
        """Keep the package whatever the rules say; grant it now if needed."""
        self._check_manager()
        self._process_write({"manual_status": "pinned"})
        waiting = self.filtered(lambda m: m.state not in ("granted", "grace"))
        held_elsewhere = self.sudo().search(
            [
                ("partner_id", "in", waiting.partner_id.ids),
                ("company_id", "in", waiting.company_id.ids),
                ("state", "in", ("granted", "grace")),
                ("id", "not in", self.ids),
            ]
        )
        held_elsewhere._revoke(self.env._("Pinned to another package by a manager."))
        self.flush_model()
        waiting._grant(self.env._("Pinned by a manager."))
        self.filtered(lambda m: m.state == "grace")._process_write({"state": "granted", "grace_until": False})
        return True

    def action_exclude(self):
        """Never grant the package by the rules; revoke it now if held."""
        self._check_manager()
        self._process_write({"manual_status": "excluded"})
        self.filtered(lambda m: m.state in ("granted", "grace"))._revoke(self.env._("Excluded by a manager."))
        return True

    def action_follow_rules(self):
        self._check_manager()
        self._process_write({"manual_status": "rules"})
        self._refresh(companies=self.company_id)
        return True

    def _check_manager(self):
        if not self.env.user.has_group("crm_relationship.group_relationship_manager"):
            raise UserError(self.env._("Only a Relationship Manager pins or excludes a customer."))
        self.check_access("write")

    # ------------------------------------------------------------------ the job

    @api.model
    def _cron_refresh(self):
        self._refresh()

    @api.model
    def _refresh(self, companies=None, today=None):
        """Grant the packages the customers are eligible for, put the memberships whose customer
        no longer is into their grace period, and revoke those whose grace period is over. One
        query reads every customer's features; writes are grouped by package."""
        today = today or fields.Date.context_today(self)
        Package = self.env["crm.loyalty.package"].sudo()
        packages = Package.search([("company_id", "in", companies.ids)] if companies else [])
        companies = packages.company_id | (companies or self.env["res.company"])
        if not companies:
            return
        features = self._customer_features(companies, today)
        best = {}
        for package in packages:  # in sequence: the first eligible package wins
            for key, customer in features.items():
                if key[0] == package.company_id.id and key not in best and not package._unmet_rules(customer):
                    best[key] = package
        memberships = self.sudo().search([("company_id", "in", companies.ids)])
        listed = {(m.package_id.id, m.partner_id.id): m for m in memberships}
        current = memberships.filtered(lambda m: m.state in ("granted", "grace"))
        current._settle(best, listed, features, today)
        # the revocations reach the database before any grant: one current package per customer
        self.flush_model()
        holding = {(m.company_id.id, m.partner_id.id) for m in current if m.state in ("granted", "grace")}
        new_rows, grants = [], defaultdict(lambda: self.sudo())
        for key, package in best.items():
            if key in holding:
                continue
            membership = listed.get((package.id, key[1]))
            if membership is None:
                new_rows.append({"package_id": package.id, "partner_id": key[1]})
            elif membership.manual_status != "excluded":
                grants[package] |= membership
        for membership in self.sudo().create(new_rows):
            grants[membership.package_id] |= membership
        for package, granted in grants.items():
            granted._grant(self.env._("Meets the rules of %(package)s.", package=package.name), today)

    def _settle(self, best, listed, features, today):
        """For these current memberships: keep them (back from grace when eligible again), move
        them to a better package, start their grace period, or revoke them when it is over.
        Pinned memberships stay."""
        to_grace, to_revoke, to_restore = defaultdict(self.browse), defaultdict(self.browse), self.browse()
        for membership in self.filtered(lambda m: m.manual_status != "pinned"):
            key = (membership.company_id.id, membership.partner_id.id)
            winner = best.get(key)
            if winner == membership.package_id:
                if membership.state == "grace":
                    to_restore |= membership
            elif winner and listed.get((winner.id, key[1]), self.browse()).manual_status != "excluded":
                to_revoke[self.env._("Now eligible for %(package)s.", package=winner.name)] |= membership
            else:
                unmet = membership.package_id._unmet_rules(features.get(key, NO_FEATURES))
                reason = self.env._(
                    "No longer meets the rules of %(package)s: %(rules)s.",
                    package=membership.package_id.name,
                    rules="; ".join(unmet) or self.env._("the package is archived"),
                )
                if membership.state == "granted" and membership.package_id.grace_days:
                    to_grace[(reason, today + timedelta(days=membership.package_id.grace_days))] |= membership
                elif membership.state == "granted" or membership.grace_until <= today:
                    to_revoke[reason] |= membership
        for reason, revoked in to_revoke.items():
            revoked._revoke(reason, today)
        for (reason, until), graced in to_grace.items():
            graced._process_write({"state": "grace", "grace_until": until, "last_reason": reason})
            graced._log(reason)
        if to_restore:
            to_restore._process_write(
                {"state": "granted", "grace_until": False, "last_reason": self.env._("Meets the rules again.")}
            )

    def _grant(self, reason, today=None):
        """Give these memberships' packages to their customers: keep the values they replace,
        set the privileges (one write per package), log it."""
        today = today or fields.Date.context_today(self)
        for package in self.package_id:
            memberships = self.filtered(lambda m, p=package: m.package_id == p)
            privileges = package._privileges()
            partners = memberships.partner_id.with_company(package.company_id).sudo()
            before = {row["id"]: row for row in partners.read(list(PRIVILEGE_FIELDS))}
            # one write per set of kept values: most customers share the same few
            by_previous = defaultdict(self.browse)
            for membership in memberships:
                row = before[membership.partner_id.id]
                previous = tuple(
                    (kept, row[name][0] if isinstance(row[name], tuple) else row[name])
                    for name, kept in PRIVILEGE_FIELDS.items()
                )
                by_previous[previous] |= membership
            for previous, group in by_previous.items():
                group._process_write(
                    dict(
                        previous,
                        state="granted",
                        date_granted=today,
                        date_revoked=False,
                        grace_until=False,
                        last_reason=reason,
                    )
                )
            if privileges:
                partners.write(privileges)
                _contacts_of(partners).write({k: v for k, v in privileges.items() if k in CONTACT_FIELDS})
            memberships._log(self.env._("Package %(package)s granted: %(reason)s", package=package.name, reason=reason))

    def _revoke(self, reason, today=None):
        """Take the packages back: the customers' values from before the grant return (one write
        per package and set of values), log it."""
        today = today or fields.Date.context_today(self)
        restore = defaultdict(lambda: self.env["res.partner"].sudo())
        for membership in self:
            changed = membership.package_id._privileges()
            values = tuple(
                (
                    name,
                    membership[PRIVILEGE_FIELDS[name]].id
                    if name != "service_tier"
                    else membership.previous_service_tier,
                )
                for name in changed
            )
            restore[(membership.company_id, values)] |= membership.partner_id
        for (company, values), partners in restore.items():
            if values:
                restored = {name: value or (False if name != "service_tier" else "standard") for name, value in values}
                partners = partners.with_company(company)
                partners.write(restored)
                _contacts_of(partners).write({k: v for k, v in restored.items() if k in CONTACT_FIELDS})
        self._process_write({"state": "revoked", "date_revoked": today, "grace_until": False, "last_reason": reason})
        for package in self.package_id:
            self.filtered(lambda m, p=package: m.package_id == p)._log(
                self.env._("Package %(package)s revoked: %(reason)s", package=package.name, reason=reason)
            )

    def _log(self, text):
        """Write ``text`` on each customer's chatter and on the memberships', in batch."""
        body = escape(text)
        self.partner_id.sudo()._message_log_batch(bodies=dict.fromkeys(self.partner_id.ids, body))
        self.sudo()._message_log_batch(bodies=dict.fromkeys(self.ids, body))

    @api.model
    def _customer_features(self, companies, today):
        """``{(company_id, partner_id): features}`` of every customer who ever bought from
        ``companies``: service tier, lifecycle stage, ABC class and BCG quadrant of the company's
        last done portfolio run, revenue of the last twelve months and tenure in months."""
        Revenue = self.env["crm.revenue.source"]
        source = Revenue._default_source()
        year = Revenue._period_ending_on(today, 12)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH first_sale AS (
                    SELECT h.company_id, h.partner_id, MIN(h.ts) AS first_ts FROM (%(history)s) h GROUP BY 1, 2
                ), revenue AS (
                    SELECT d.company_id, d.partner_id, SUM(d.amount) AS revenue FROM (%(documents)s) d GROUP BY 1, 2
                ), last_run AS (
                    SELECT DISTINCT ON (company_id) id, company_id FROM crm_portfolio_analysis
                    WHERE state = 'done' AND company_id = ANY(%(companies)s) ORDER BY company_id, date DESC, id DESC
                )
                SELECT f.company_id, f.partner_id, p.service_tier, p.lifecycle_stage, l.abc_class, l.bcg_quadrant,
                       COALESCE(r.revenue, 0), f.first_ts::date
                FROM first_sale f
                JOIN res_partner p ON p.id = f.partner_id
                LEFT JOIN revenue r ON r.company_id = f.company_id AND r.partner_id = f.partner_id
                LEFT JOIN last_run a ON a.company_id = f.company_id
                LEFT JOIN crm_portfolio_line l ON l.analysis_id = a.id AND l.partner_id = f.partner_id
                """,
                history=Revenue._revenue_document_dates(
                    companies, source, Revenue._period_until(year.end), sales_only=True
                ),
                documents=Revenue._revenue_documents(companies, source, year),
                companies=companies.ids,
            )
        )
        features = {}
        for company_id, partner_id, tier, stage, abc, bcg, revenue, first_day in self.env.cr.fetchall():
            months = (today.year - first_day.year) * 12 + today.month - first_day.month - (today.day < first_day.day)
            features[(company_id, partner_id)] = {
                "service_tier": tier,
                "lifecycle_stage": stage,
                "abc_class": abc,
                "bcg_quadrant": bcg,
                "revenue": revenue,
                "tenure_months": months,
            }
        return features
