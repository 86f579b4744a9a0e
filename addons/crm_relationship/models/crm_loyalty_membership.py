from datetime import timedelta

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id
from odoo.tools.sql import index_exists

from .res_partner import SERVICE_TIERS

MEMBERSHIP_STATES = [
    ("candidate", "Candidate"),
    ("granted", "Granted"),
    ("grace", "In Grace Period"),
    ("revoked", "Revoked"),
]
MANUAL_STATUSES = [("rules", "By the Rules"), ("pinned", "Pinned"), ("excluded", "Excluded")]
# A customer who never bought: what the rules see of him.
NO_FEATURES = {
    "service_tier": False,
    "lifecycle_stage": False,
    "abc_class": False,
    "bcg_quadrant": False,
    "revenue": 0.0,
    "tenure_months": 0,
}


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
        "previous_pricelist_id",
        "previous_payment_term_id",
        "previous_service_tier",
        "previous_user_id",
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
        no longer is into their grace period, and revoke those whose grace period is over.

        Set-based whatever the number of customers: one query reads every customer's features,
        one the memberships; the decisions are taken in Python, then each kind of change is one
        SQL statement (new memberships, grants, grace periods, returns from grace, revocations,
        the customers' privileges, and the chatter lines of all of them)."""
        today = today or fields.Date.context_today(self)
        Package = self.env["crm.loyalty.package"].sudo()
        packages = Package.search([("company_id", "in", companies.ids)] if companies else [])
        companies = packages.company_id | (companies or self.env["res.company"])
        if not companies:
            return
        features = self._customer_features(companies, today)
        listed = {(row["package_id"], row["partner_id"]): row for row in self._read_memberships(companies)}
        excluded = {key for key, row in listed.items() if row["manual_status"] == "excluded"}
        best = {}
        for package in packages:  # in sequence: the first eligible package wins, unless excluded from it
            for key, customer in features.items():
                if (
                    key[0] == package.company_id.id
                    and key not in best
                    and (package.id, key[1]) not in excluded
                    and not package._unmet_rules(customer)
                ):
                    best[key] = package
        holding, to_revoke, to_grace, to_restore = set(), {}, {}, []
        for row in listed.values():
            if row["state"] not in ("granted", "grace"):
                continue
            key = (row["company_id"], row["partner_id"])
            package = Package.browse(row["package_id"])
            winner = best.get(key)
            if row["manual_status"] == "pinned" or winner == package:
                holding.add(key)
                if row["state"] == "grace" and row["manual_status"] != "pinned":
                    to_restore.append(row["id"])
            elif winner:
                to_revoke[row["id"]] = self.env._("Now eligible for %(package)s.", package=winner.name)
            else:
                unmet = package._unmet_rules(features.get(key, NO_FEATURES))
                reason = self.env._(
                    "No longer meets the rules of %(package)s: %(rules)s.",
                    package=package.name,
                    rules="; ".join(unmet) or self.env._("the package is archived"),
                )
                if row["state"] == "granted" and package.grace_days:
                    to_grace[row["id"]] = (reason, today + timedelta(days=package.grace_days))
                    holding.add(key)
                elif row["state"] == "granted" or row["grace_until"] <= today:
                    to_revoke[row["id"]] = reason
                else:
                    holding.add(key)
        to_grant, new_rows = {}, []
        for key, package in best.items():
            if key in holding:
                continue
            reason = self.env._("Meets the rules of %(package)s.", package=package.name)
            row = listed.get((package.id, key[1]))
            if row:
                to_grant[row["id"]] = reason
            else:
                new_rows.append((package.id, key[1], reason))
        # the revocations reach the database before any grant: one current package per customer
        logs = self.browse(list(to_revoke))._revoke(to_revoke, today, log=False)
        logs += self._start_grace(to_grace)
        self._back_from_grace(to_restore)
        to_grant.update(self._insert_candidates(new_rows))
        logs += self.browse(list(to_grant))._grant(to_grant, today, log=False)
        self._log_lines(logs)

    @api.model
    def _read_memberships(self, companies):
        """Every membership of ``companies`` as a dict, in one query (the job reads tens of
        thousands: the ORM would read them a thousand at a time)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT id, package_id, partner_id, company_id, state, manual_status, grace_until
                FROM crm_loyalty_membership WHERE company_id = ANY(%(companies)s)
                """,
                companies=companies.ids,
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _insert_candidates(self, rows):
        """Insert memberships ``rows`` (package id, partner id, reason) as candidates in one
        statement; returns ``{membership id: reason}``."""
        if not rows:
            return {}
        package_ids, partner_ids, reasons = zip(*rows, strict=True)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_loyalty_membership (
                    package_id, partner_id, company_id, state, manual_status,
                    create_uid, write_uid, create_date, write_date)
                SELECT r.package_id, r.partner_id, k.company_id, 'candidate', 'rules',
                       %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                FROM unnest(%(package_ids)s::int[], %(partner_ids)s::int[]) WITH ORDINALITY
                     AS r(package_id, partner_id, place)
                JOIN crm_loyalty_package k ON k.id = r.package_id
                ORDER BY r.place
                RETURNING id
                """,
                uid=self.env.uid,
                package_ids=list(package_ids),
                partner_ids=list(partner_ids),
            )
        )
        return dict(zip((row[0] for row in self.env.cr.fetchall()), reasons, strict=True))

    def _grant(self, reasons, today=None, log=True):
        """Give these memberships' packages to their customers, in three statements whatever
        their number: keep the values the package replaces, mark them granted, set the privileges
        on the customers and their contacts (an order of a contact reads the contact's pricelist
        and terms). ``reasons``: a text, or ``{membership id: text}``. Returns the chatter lines
        (logged unless ``log`` is false)."""
        if not self:
            return []
        today = today or fields.Date.context_today(self)
        reasons = reasons if isinstance(reasons, dict) else dict.fromkeys(self.ids, reasons)
        ids = list(self.ids)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_loyalty_membership m
                SET state = 'granted', date_granted = %(today)s, date_revoked = NULL, grace_until = NULL,
                    last_reason = r.reason,
                    previous_pricelist_id = (
                        SELECT pl.id FROM product_pricelist pl
                        WHERE pl.id = (p.specific_property_product_pricelist ->> m.company_id::text)::int),
                    previous_payment_term_id = (
                        SELECT t.id FROM account_payment_term t
                        WHERE t.id = (p.property_payment_term_id ->> m.company_id::text)::int),
                    previous_service_tier = p.service_tier, previous_user_id = p.user_id,
                    write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
                FROM unnest(%(ids)s::int[], %(reasons)s::varchar[]) AS r(id, reason), res_partner p
                WHERE m.id = r.id AND p.id = m.partner_id
                RETURNING m.id, m.partner_id, m.package_id
                """,
                today=today,
                uid=self.env.uid,
                ids=ids,
                reasons=[reasons[membership_id] for membership_id in ids],
            )
        )
        changed = self.env.cr.fetchall()
        self._set_partner_values(
            ids,
            pricelist="k.pricelist_id",
            payment_term="k.payment_term_id",
            service_tier="k.service_tier",
            user="k.account_manager_id",
        )
        return self._changes_to_log(changed, reasons, self.env._("Package %(package)s granted: %(reason)s"), log)

    def _revoke(self, reasons, today=None, log=True):
        """Take the packages back, in two statements whatever their number: the customers'
        values from before the grant return (only those the package had set), the memberships
        are revoked. ``reasons``: a text, or ``{membership id: text}``. Returns the chatter lines
        (logged unless ``log`` is false)."""
        if not self:
            return []
        today = today or fields.Date.context_today(self)
        reasons = reasons if isinstance(reasons, dict) else dict.fromkeys(self.ids, reasons)
        ids = list(self.ids)
        self.env.flush_all()
        self._set_partner_values(
            ids,
            pricelist="m.previous_pricelist_id",
            payment_term="m.previous_payment_term_id",
            service_tier="COALESCE(m.previous_service_tier, 'standard')",
            user="m.previous_user_id",
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_loyalty_membership m
                SET state = 'revoked', date_revoked = %(today)s, grace_until = NULL, last_reason = r.reason,
                    write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
                FROM unnest(%(ids)s::int[], %(reasons)s::varchar[]) AS r(id, reason)
                WHERE m.id = r.id
                RETURNING m.id, m.partner_id, m.package_id
                """,
                today=today,
                uid=self.env.uid,
                ids=ids,
                reasons=[reasons[membership_id] for membership_id in ids],
            )
        )
        changed = self.env.cr.fetchall()
        return self._changes_to_log(changed, reasons, self.env._("Package %(package)s revoked: %(reason)s"), log)

    @api.model
    def _set_partner_values(self, membership_ids, pricelist, payment_term, service_tier, user):
        """One UPDATE of the customers of ``membership_ids`` and their contacts: each privilege
        their package sets takes the value of the SQL expression given for it (``m`` the
        membership, ``k`` its package); the others stay. The pricelist and the payment terms are
        company-dependent (a JSON object per company): the package's company key is set, or
        removed when the value is empty, which gives the customer back the company's default."""

        def company_value(column, expression):
            column = SQL.identifier("p", column)
            return SQL(
                "CASE WHEN (%(value)s) IS NULL THEN COALESCE(%(column)s, '{}'::jsonb) - m.company_id::text "
                "ELSE COALESCE(%(column)s, '{}'::jsonb) || jsonb_build_object(m.company_id::text, (%(value)s)) END",
                column=column,
                value=SQL(expression),
            )

        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                SET specific_property_product_pricelist = CASE WHEN k.pricelist_id IS NULL
                        THEN p.specific_property_product_pricelist ELSE %(pricelist)s END,
                    property_payment_term_id = CASE WHEN k.payment_term_id IS NULL
                        THEN p.property_payment_term_id ELSE %(payment_term)s END,
                    service_tier = CASE WHEN k.service_tier IS NULL OR p.id != m.partner_id
                        THEN p.service_tier ELSE %(service_tier)s END,
                    user_id = CASE WHEN k.account_manager_id IS NULL OR p.id != m.partner_id
                        THEN p.user_id ELSE %(user)s END,
                    write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
                FROM crm_loyalty_membership m
                JOIN crm_loyalty_package k ON k.id = m.package_id
                WHERE m.id = ANY(%(ids)s) AND p.commercial_partner_id = m.partner_id
                  AND (k.pricelist_id IS NOT NULL OR k.payment_term_id IS NOT NULL
                       OR (p.id = m.partner_id AND (k.service_tier IS NOT NULL OR k.account_manager_id IS NOT NULL)))
                RETURNING p.id
                """,
                pricelist=company_value("specific_property_product_pricelist", pricelist),
                payment_term=company_value("property_payment_term_id", payment_term),
                service_tier=SQL(service_tier),
                user=SQL(user),
                uid=self.env.uid,
                ids=list(membership_ids),
            )
        )
        partners = self.env["res.partner"].browse(row[0] for row in self.env.cr.fetchall())
        changed = ["specific_property_product_pricelist", "property_payment_term_id", "service_tier", "user_id"]
        partners.invalidate_recordset([*changed, "write_uid", "write_date"])
        # what depends on these values (stored computes of other modules) follows, as after a write
        partners.modified(changed)
        self.env["crm.loyalty.membership"].invalidate_model()

    @api.model
    def _start_grace(self, to_grace):
        """Start the grace period of ``{membership id: (reason, until)}`` in one statement;
        returns the chatter lines."""
        if not to_grace:
            return []
        ids = list(to_grace)
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_loyalty_membership m
                SET state = 'grace', grace_until = r.until, last_reason = r.reason,
                    write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
                FROM unnest(%(ids)s::int[], %(reasons)s::varchar[], %(untils)s::date[]) AS r(id, reason, until)
                WHERE m.id = r.id
                RETURNING m.id, m.partner_id, m.package_id
                """,
                uid=self.env.uid,
                ids=ids,
                reasons=[to_grace[membership_id][0] for membership_id in ids],
                untils=[to_grace[membership_id][1] for membership_id in ids],
            )
        )
        changed = self.env.cr.fetchall()
        self.invalidate_model()
        return [(partner_id, membership_id, to_grace[membership_id][0]) for membership_id, partner_id, _p in changed]

    @api.model
    def _back_from_grace(self, membership_ids):
        """Memberships in their grace period whose customer qualifies again: granted as before
        (no new grant, no log)."""
        if not membership_ids:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_loyalty_membership
                SET state = 'granted', grace_until = NULL, last_reason = %(reason)s,
                    write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
                WHERE id = ANY(%(ids)s)
                """,
                reason=self.env._("Meets the rules again."),
                uid=self.env.uid,
                ids=list(membership_ids),
            )
        )
        self.invalidate_model()

    def _changes_to_log(self, changed, reasons, template, log):
        """The chatter lines ``(partner id, membership id, text)`` of ``changed`` rows (membership
        id, partner id, package id): ``template`` filled with the package and the reason."""
        packages = self.env["crm.loyalty.package"].sudo().browse({package_id for _m, _p, package_id in changed})
        names = {package.id: package.name for package in packages}
        lines = [
            (partner_id, membership_id, template % {"package": names[package_id], "reason": reasons[membership_id]})
            for membership_id, partner_id, package_id in changed
        ]
        if log:
            self._log_lines(lines)
            return []
        return lines

    @api.model
    def _log_lines(self, lines):
        """Write each ``(partner id, membership id, text)`` as a note on the customer's chatter
        and on the membership's, in one INSERT (what ``_message_log_batch`` writes, without its
        hundred-row batches)."""
        if not lines:
            return
        author_id, email_from = self._message_compute_author(raise_on_email=False)
        partner_ids, membership_ids, texts = zip(*lines, strict=True)
        bodies = [str(escape(text)) for text in texts]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO mail_message (
                    model, res_id, body, message_type, subtype_id, author_id, email_from, reply_to,
                    message_id, is_internal, email_add_signature, date,
                    create_uid, write_uid, create_date, write_date)
                SELECT r.model, r.res_id, r.body, 'notification', %(subtype)s, %(author)s, %(email_from)s,
                       %(reply_to)s, %(message_id)s, TRUE, FALSE, NOW() AT TIME ZONE 'UTC',
                       %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                FROM unnest(%(models)s::varchar[], %(res_ids)s::int[], %(bodies)s::text[]) AS r(model, res_id, body)
                """,
                subtype=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                author=author_id,
                email_from=email_from,
                reply_to=self.env["mail.thread"]._notify_get_reply_to(default=email_from)[False],
                message_id=generate_tracking_message_id("message-notify"),
                uid=self.env.uid,
                models=["res.partner"] * len(lines) + [self._name] * len(lines),
                res_ids=list(partner_ids) + list(membership_ids),
                bodies=bodies * 2,
            )
        )
        self.env["mail.message"].invalidate_model()
        self.env["res.partner"].invalidate_model(["message_ids"])
        self.invalidate_model(["message_ids"])

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
