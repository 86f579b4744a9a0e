"""The hostile-input sweep: bad values on create and write of every model of ours, by every role
that may write it; used by ``test_hostile_input.py``.

A seeded generator builds, for each writable field, values of the kinds an attacker or a broken
import sends (negative, zero, huge, NaN and infinite numbers; empty, 10,000-character and
``<script>`` strings; unknown selection values; wrong types; another company's ids; dates out of
order). Each attempt runs in a savepoint and ends in one of four outcomes:

- refused: ``UserError`` (``ValidationError``, ``AccessError``, ``MissingError``) or a violated SQL
  constraint of ours (the RPC layer, ``odoo.service.model``, turns it into a ``ValidationError``
  with the constraint's message); the message must be non-empty and name the field;
- accepted: the value is stored, and the table ``ACCEPTED`` says why that is right;
- platform: Odoo's own field conversion refuses a value of the wrong shape (``int('abc')``,
  an unknown selection key, a date that is not one) with a ``ValueError``/``TypeError``;
  Odoo's RPC layer reports it as a server error and rolls back; counted apart, not ours to fix;
- defect: anything else (another exception type, a value accepted without a row in the table,
  a message that does not name the field, a database left changed after a refusal).
"""

import math
import random
import re
import traceback
from collections import Counter, defaultdict
from datetime import date, timedelta
from fnmatch import fnmatchcase
from pathlib import Path

import psycopg2
from psycopg2 import IntegrityError, errors

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.service.model import _as_validation_error
from odoo.tests import new_test_user

MODULES = ("crm_relationship", "crm_key_accounts", "crm_quality_feedback")
OUR_ADDONS = str(Path(__file__).resolve().parent.parent / "addons")
SEED = 20261129
# Roles of the access matrix, and the two that administer settings and helpdesk teams.
ROLES = {
    "internal": "base.group_user",
    "salesperson": "sales_team.group_sale_salesman",
    "sales_manager": "sales_team.group_sale_manager",
    "key_account_manager": "sales_team.group_sale_salesman,crm_key_accounts.group_key_account_manager",
    "key_account_director": "sales_team.group_sale_salesman,crm_key_accounts.group_key_account_director",
    "helpdesk_user": "helpdesk_mgmt.group_helpdesk_user",
    "helpdesk_manager": "helpdesk_mgmt.group_helpdesk_manager",
    "quality_user": "crm_quality_feedback.group_quality_user",
    "quality_manager": "crm_quality_feedback.group_quality_manager",
    "administrator": "base.group_system,base.group_erp_manager,sales_team.group_sale_manager",
}
MAGIC = {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"}
# Models of other modules to which ours add fields: only our fields are swept there.
# Models never created in the sweep (a company, a settings page is created by the framework only).
NO_CREATE = {"res.company"}
# Field pairs that are a period: the end may not come before the start.
DATE_PAIRS = [("date_start", "date_end"), ("date_from", "date_to"), ("period_start", "period_end")]
# Fields filled by a computation or a process, never a user's input: one2many lines and the like
# are swept through their own model.
SWEPT_TYPES = {"char", "text", "html", "integer", "float", "monetary", "selection", "many2one", "date", "datetime"}
SCRIPT = "<script>alert(1)</script>"
UNCHANGED = "the current (or default) value sent back unchanged (a form saving every field) changes nothing"
# Models whose unique selection (a strategy's code, a quadrant's mapping) the data uses up.
TAKEN = {"crm.relationship.strategy", "crm.portfolio.strategy.map"}
# Records of other modules' models made in the other company (the partner is that company's).
FOREIGN = {
    "crm.team": {"name": "Hostile Foreign Team"},
    "helpdesk.ticket.team": {"name": "Hostile Foreign Helpdesk Team"},
    "helpdesk.ticket.category": {"name": "Hostile Foreign Category"},
    "product.product": {"name": "Hostile Foreign Product"},
    "sale.order": {"partner_id": True},
    "account.move": {"move_type": "out_invoice", "partner_id": True},
    "mail.activity.plan": {"name": "Hostile Foreign Plan", "res_model": "res.partner"},
}
NONEXISTENT_ID = 987654321
# Values of the wrong shape: Odoo's field conversion (or PostgreSQL's, on create) refuses them.
WRONG_SHAPE = ("selection_unknown", "int_nan", "int_inf")
PLATFORM_ERRORS = (ValueError, TypeError, OverflowError, psycopg2.DataError, psycopg2.ProgrammingError)

# The reviewed table of hostile values that are stored, and why that is right. Keys are
# (model, field, mutation) patterns (fnmatch); the first matching row gives the reason.
# fmt: off
ACCEPTED = [
    # text is data: stored verbatim, escaped by every view and report that shows it
    ("*", "*", "char_script", "text is stored verbatim and escaped wherever it is shown"),
    ("*", "*", "text_script", "text is stored verbatim and escaped wherever it is shown"),
    # Html fields keep the markup but the sanitizer strips the script (asserted on the stored value)
    ("*", "*", "html_script", "Html fields are sanitized: the <script> is removed, the text is kept"),
    ("*", "*", "html_long", "a long note is a note"),
    ("*", "*", "html_empty", "an empty note is no note"),
    ("*", "*", "text_long", "a long note is a note"),
    ("*", "*", "text_empty", "an optional note may be empty"),
    # Char without size is unbounded text in Odoo; a long name is stored whole, lists truncate it
    ("*", "*", "char_long", "Odoo stores an unbounded Char whole; views truncate it"),
    ("*", "*", "char_empty", "an optional text may be empty"),
    # ordering and display numbers: any integer in range orders or colours, negatives included
    ("*", "sequence", "int_*", "a sequence only orders the rows; any value orders them"),
    ("*", "color", "int_*", "a colour index outside the palette shows no colour"),
    # amounts have no business ceiling; Odoo's monetary column is an exact numeric
    ("*", "*", "monetary_zero", "an amount of 0 is a valid amount"),
    ("*", "*", "monetary_huge", "amounts have no business ceiling; the numeric column stores 1e18 exactly"),
    # rows of a transient report: filled by its computation, seen by their creator only, vacuumed
    ("crm.complaint.sla.compliance.line", "*", "[if]*_[nz]*", "a report row is its creator's own scratch copy"),
    ("crm.complaint.sla.compliance.line", "*", "float_huge", "a report row is its creator's own scratch copy"),
    ("crm.key.account.candidate", "*", "float_*", "a report row is its creator's own scratch copy"),
    # measured or planned figures that may be zero, negative or large
    ("crm.key.account.objective", "actual", "float_*", "a measure: typed if manual, negative after credit notes"),
    ("crm.key.account.objective", "target", "float_zero", "a target of 0 is meaningful (0 complaints)"),
    ("crm.key.account.objective", "target", "float_huge", "a revenue target is an amount: no business ceiling"),
    ("crm.key.account.review", "revenue", "monetary_negative", "revenue to date is net of credit notes"),
    ("crm.portfolio.analysis", "growth_threshold", "float_[nz]*", "high growth may start at 0 % or below"),
    ("res.config.settings", "crm_portfolio_growth_threshold", "float_[nz]*", "high growth may start at 0 % or below"),
    ("crm.portfolio.analysis", "xyz_x_threshold", "float_zero", "X up to 0 % variation is the lower bound"),
    ("res.config.settings", "crm_portfolio_xyz_x", "float_zero", "X up to 0 % variation is the lower bound"),
    ("res.config.settings", "crm_target_net_margin", "float_zero", "a target margin of 0 % is breaking even"),
    ("res.config.settings", "crm_datacard_target", "float_zero", "a data card target of 0 % reviews nobody"),
    # a weight or a delay of 0 turns the criterion off or acts at once
    ("res.config.settings", "ka_weight_*", "int_zero", "a weight of 0 leaves the criterion out"),
    ("res.config.settings", "quality_weight_*", "float_zero", "a weight of 0 leaves the role out"),
    ("crm.key.account.objective", "weight", "float_zero", "a weight of 0 leaves the objective out of the attainment"),
    ("res.config.settings", "ka_score_threshold", "int_zero", "every scored customer is a candidate"),
    ("crm.key.account.selection", "threshold", "float_zero", "every scored customer is a candidate"),
    ("crm.turnover.target", "target_turnover", "float_zero", "a turnover target of 0 % means keeping every customer"),
    ("res.config.settings", "quality_feedback_delay_days", "int_zero", "the feedback request goes out at once"),
    ("*", "quality_effectiveness_check_days", "int_zero", "the effectiveness is checked on completion"),
    ("crm.loyalty.package", "grace_days", "int_zero", "no grace period: the package is revoked at once"),
    ("crm.loyalty.package", "min_tenure_months", "int_zero", "no minimum tenure: new customers qualify"),
    ("crm.readiness.assessment", "transaction_growth", "float_zero", "a business case without growth is a scenario"),
    ("crm.readiness.assessment", "margin_points", "float_zero", "a business case without margin gain is a scenario"),
    ("crm.readiness.assessment", "cost_reduction", "float_zero", "a business case without savings is a scenario"),
    ("crm.sales.forecast", "weight", "float_zero", "a weight of 0 forecasts from a year back alone"),
    ("res.config.settings", "crm_forecast_weight", "float_zero", "a weight of 0 forecasts from a year back alone"),
    # an optional Integer that the web client clears to 0: 0 reads as "not estimated"
    ("crm.quality.gap", "staff_estimate", "int_zero", "no staff estimate: left out of the perception gap"),
    # a blueprint step's standard: 0 is no standard of that kind (a fail point needs the other one)
    ("crm.service.blueprint.step", "target_*", "float_zero", "0 sets no standard of this kind"),
    ("crm.service.blueprint.step", "target_hours", "float_huge", "a time standard has no business ceiling"),
    ("crm.service.blueprint.step", "target_value", "float_*", "a value standard is any number in its unit"),
    ("crm.service.blueprint.step", "complaint_threshold", "int_zero", "a threshold of 0 watches nothing"),
    ("crm.relationship.programme", "free_rider_threshold", "float_zero", "0 %: no better than control is free riding"),
]
# fmt: on


# Defects the sweep found and that are open, each reported to the owner of its module (issue 13,
# item 9). A row here is a known failure, not an acceptance: the test prints every hit, fails on a
# defect without a row, and fails on a row that no longer fails (the fix landed: delete the row).
# (model, field, mutation pattern, the defect)
OPEN = []


def field_names_it(message, field, env):
    """The message names the field: its label without the unit ("Lost After" for "Lost After
    (days)"), its technical name, or a word of either ("Restitution", "target")."""
    text = (message or "").lower()
    if not text.strip():
        return False
    label = re.sub(r"\s*\(.*?\)", "", field._description_string(env) or "").strip().lower()
    if label in text or field.name.lower() in text:
        return True
    words = set(re.findall(r"[a-z]{4,}", label)) | set(re.findall(r"[a-z]{4,}", field.name.lower()))
    return any(re.search(rf"\b{word}", text) for word in words)


class HostileSweep:
    """Runs the sweep in the given test case's environment and counts the outcomes."""

    def __init__(self, case):
        self.case = case
        self.env = case.env(context=dict(case.env.context, tracking_disable=True, mail_notrack=True))
        self.rng = random.Random(SEED)
        self.company = self.env.company
        self.other_company = self.env["res.company"].create({"name": "Hostile Sweep Other Co"})
        self.users = {
            role: new_test_user(
                self.env,
                login=f"hostile_{role}",
                groups=groups,
                company_id=self.company.id,
                company_ids=[Command.set(self.company.ids)],
            )
            for role, groups in ROLES.items()
        }
        self.other_user = new_test_user(
            self.env,
            login="hostile_other_company",
            groups="base.group_user",
            company_id=self.other_company.id,
            company_ids=[Command.set(self.other_company.ids)],
        )
        self.customer = self.env["res.partner"].create(
            {"name": "Hostile Sweep Customer", "is_company": True, "company_id": self.company.id}
        )
        self.second_customer = self.env["res.partner"].create(
            {"name": "Hostile Sweep Second Customer", "is_company": True, "company_id": self.company.id}
        )
        self.other_customer = self.env["res.partner"].create(
            {"name": "Hostile Sweep Foreign Customer", "is_company": True, "company_id": self.other_company.id}
        )
        self.counter = 0
        self.records = {}  # (model, company, role) -> base record
        self.outcomes = Counter()
        self.platform = Counter()  # exception type -> count
        self.accepted_by_rule = Counter()
        self.defects = []
        self.open_hits = Counter()
        self.skipped = []
        self.log = []

    # ------------------------------------------------------------------ what is swept

    def models(self):
        """Our models, and the models of others to which ours add stored fields."""
        names = []
        for name in sorted(self.env.registry):
            model = self.env[name]
            if model._abstract or name in NO_CREATE and not self.swept_fields(model):
                continue
            if model._original_module in MODULES or self.swept_fields(model):
                names.append(name)
        return names

    def swept_fields(self, model):
        """The fields a user can send a value for: ours, stored or inverse, not computed-only."""
        result = []
        for name, field in model._fields.items():
            if name in MAGIC or field._module not in MODULES or field.type not in SWEPT_TYPES:
                continue
            if field.compute and not field.inverse and (field.readonly or not field.store):
                continue
            if field.related and field.readonly:
                continue
            result.append(field)
        return result

    def writers(self, model):
        """The roles the access rights let create or write the model, with the operations."""
        Access = self.env["ir.model.access"]
        combos = []
        for role, user in self.users.items():
            for operation in ("write", "create"):
                if operation == "create" and model._name in NO_CREATE:
                    continue
                if operation == "write" and model._name == "res.config.settings":
                    continue
                if Access.with_user(user).check(model._name, operation, raise_exception=False):
                    combos.append((role, operation))
        return combos

    # ------------------------------------------------------------------ valid base records

    def unique_text(self, model_name, field_name):
        self.counter += 1
        return f"Hostile {model_name} {field_name} {self.counter}"

    def base_values(self, model_name, company, role):
        """Valid values for a new record: the required fields, built from their definitions,
        related records made in the same company; the acting user owns what a rule scopes to
        its owner."""
        model = self.env[model_name]
        user = self.users[role] if role else self.env.user
        defaults = model.with_company(company).default_get(list(model._fields))
        vals = {}
        for name, field in model._fields.items():
            if name in MAGIC or not field.store or (field.compute and field.readonly) or field.related:
                continue
            if field.inherited:  # a delegated record (a team's mail alias) is made by its model
                continue
            owner_field = field.type == "many2one" and field.comodel_name == "res.users" and name == "user_id"
            if not (field.required or owner_field or name == "company_id") or (
                defaults.get(name) and not owner_field and name != "company_id"
            ):
                continue
            vals[name] = self.valid_value(model, field, company, role, user)
        vals.update(self.model_overrides(model_name, company, role, vals))
        return vals

    def valid_value(self, model, field, company, role, user):
        match field.type:
            case "char" | "text":
                return self.unique_text(model._name, field.name)
            case "html":
                return "<p>Base note</p>"
            case "selection":
                return field._description_selection(self.env)[0][0]
            case "integer":
                return 1
            case "float" | "monetary":
                return 1.0
            case "boolean":
                return True
            case "date":
                return fields.Date.today()
            case "datetime":
                return fields.Datetime.now()
            case "many2one":
                return self.valid_record(field.comodel_name, company, role, user).id
            case "many2many":
                return [Command.set(self.valid_record(field.comodel_name, company, role, user).ids)]
        return False

    def valid_record(self, comodel, company, role, user):
        if comodel == "res.company":
            return company
        if comodel == "res.users":
            return user if company == self.company else self.other_user
        if comodel == "res.partner":
            return self.customer if company == self.company else self.other_customer
        if comodel == "res.currency":
            return company.currency_id
        return self.record(comodel, company, role)

    def model_overrides(self, model_name, company, role, vals):
        """What the generic builder cannot guess: values that make the record valid."""
        today = fields.Date.today()
        customer = self.customer if company == self.company else self.other_customer
        overrides = {
            "crm.key.account.plan": {
                "date_start": today,
                "date_end": today + timedelta(days=364),
                "partner_id": self.env["res.partner"]
                .create({"name": self.unique_text(model_name, "partner"), "is_company": True, "company_id": company.id})
                .id,
            },
            "crm.wallet.estimate": {"year": 2000 + self.counter % 90, "partner_id": customer.id},
            "crm.customer.mix.target": {"year": 2100 + self.counter % 800},
            "crm.turnover.target": {"year": 2100 + self.counter % 800, "target_turnover": 20.0},
            "crm.customer.feedback": {"score": 4},
            "crm.quality.gap": {"expectation": 4, "perception": 3},
            "crm.portfolio.analysis": {"period_months": 12},
            "crm.portfolio.run": {"period_months": 12},
            "crm.complaint.sla.compliance": {"date_from": today - timedelta(days=30), "date_to": today},
            "crm.key.account.team.member": {"role": "marketing"},
            "helpdesk.ticket": {"description": "<p>Hostile sweep</p>", "is_complaint": True, "partner_id": customer.id},
            "res.partner": {"name": self.unique_text(model_name, "name"), "is_company": True},
            "crm.quality.action": {"deadline": today + timedelta(days=30)},
            "crm.announcement": {"date_start": today + timedelta(days=7), "date_end": today + timedelta(days=8)},
        }
        return overrides.get(model_name, {})

    def record(self, model_name, company, role=None):
        """A valid record of the model in the company, made once and kept for the whole sweep."""
        key = (model_name, company.id, role)
        if key not in self.records:
            if model_name == "res.company":
                self.records[key] = company
            elif model_name == "res.partner":
                self.records[key] = self.customer if company == self.company else self.other_customer
            elif model_name == "res.users":
                self.records[key] = self.users[role] if role and company == self.company else self.other_user
            elif model_name in TAKEN:
                # every key of a unique selection is taken by the data: the sweep edits one of them
                self.records[key] = self.env[model_name].search([], limit=1)
            else:
                values = self.base_values(model_name, company, role)
                maker = self.env[model_name].with_company(company)
                # a wizard's rows belong to their creator: the role makes its own
                maker = maker.with_user(self.users[role]) if maker._transient and role else maker.sudo()
                self.records[key] = maker.create(values)
        return self.records[key]

    def prepared(self, make):
        """Run ``make`` in a savepoint: a base record that cannot be made leaves no trace, in the
        database or in the sweep's records."""
        known = set(self.records)
        try:
            with self.env.cr.savepoint():
                return make()
        except Exception:
            for key in set(self.records) - known:
                del self.records[key]
            raise

    # ------------------------------------------------------------------ the hostile values

    def mutations(self, model, field, current):
        """(name, value) pairs for a field; the generator draws the numbers and the long text."""
        rng = self.rng
        long_text = "".join(rng.choice("abcdefghij KLMNOP éàü漢字'\";%_\\") for _ in range(10_000))
        big = rng.choice([10**18, 2**63, 10**30])
        kind = field.type
        if kind in ("char", "text", "html"):
            script = SCRIPT if kind != "html" else f"<p>note</p>{SCRIPT}"
            return [
                (f"{kind}_empty", ""),
                (f"{kind}_long", long_text),
                (f"{kind}_script", script),
                (f"{kind}_wrong_type", rng.choice([{"a": 1}, ["a", "b"]])),
            ]
        if kind == "integer":
            return [
                ("int_negative", -rng.randint(1, 10**6)),
                ("int_zero", 0),
                ("int_huge", big),
                ("int_nan", math.nan),
                ("int_inf", math.inf),
                ("int_wrong_type", rng.choice(["abc", {"a": 1}])),
            ]
        if kind in ("float", "monetary"):
            return [
                (f"{kind}_negative", -round(rng.uniform(0.01, 1e6), 2)),
                (f"{kind}_zero", 0.0),
                (f"{kind}_huge", float(big)),
                (f"{kind}_nan", math.nan),
                (f"{kind}_inf", rng.choice([math.inf, -math.inf])),
                (f"{kind}_wrong_type", rng.choice(["abc", {"a": 1}])),
            ]
        if kind == "selection":
            return [
                ("selection_unknown", rng.choice(["<script>", "unknown_value", "DROP TABLE"])),
                ("selection_wrong_type", rng.choice([7, ["a"]])),
            ]
        if kind == "many2one":
            result = [
                ("m2o_nonexistent", NONEXISTENT_ID),
                ("m2o_wrong_type", rng.choice(["abc", {"a": 1}])),
            ]
            if field.comodel_name in self.env and "company_id" in self.env[field.comodel_name]._fields:
                foreign = self.foreign_record(field.comodel_name)
                if foreign:
                    result.append(("m2o_other_company", foreign.id))
            return result
        if kind in ("date", "datetime"):
            result = [(f"{kind}_garbage", rng.choice(["not a date", "2026-13-45", "31/12/2026"]))]
            for start, end in DATE_PAIRS:
                if field.name == end and start in model._fields:
                    result.append((f"{kind}_end_before_start", (current[start] or date.today()) - timedelta(days=1)))
                if field.name == start and end in model._fields:
                    result.append((f"{kind}_start_after_end", (current[end] or date.today()) + timedelta(days=1)))
            return result
        return []

    def foreign_record(self, comodel):
        """A record of the other company, or None when the sweep cannot make one there (an
        invoice needs that company's accounting, for one): the mutation is then skipped."""
        key = (comodel, self.other_company.id, None)
        if key not in self.records:
            try:
                if comodel in FOREIGN:
                    values = dict(FOREIGN[comodel], company_id=self.other_company.id)
                    if "partner_id" in values:
                        values["partner_id"] = self.other_customer.id
                    self.records[key] = self.prepared(lambda: self.env[comodel].sudo().create(values))
                else:
                    self.prepared(lambda: self.record(comodel, self.other_company, None))
            except Exception as exc:  # recorded, and the mutation skipped
                self.records[key] = None
                self.skipped.append((comodel, "other company", "create", f"{type(exc).__name__}: {exc}"[:150]))
        return self.records[key]

    # ------------------------------------------------------------------ one attempt

    def snapshot(self, model, record):
        cr = self.env.cr
        cr.execute(f'SELECT count(*) FROM "{model._table}"')  # a model's own table
        count = cr.fetchone()[0]
        row = None
        if record:
            cr.execute(f'SELECT row_to_json(t)::text FROM "{model._table}" t WHERE id = %s', [record.id])
            row = cr.fetchone()
        return count, row

    def attempt(self, model, field, role, operation, mutation, value):
        """Send the value; return the outcome and record it."""
        user = self.users[role]
        record = None if operation == "create" else self.record(model._name, self.company, role)
        before = self.snapshot(model, record)
        before_value = record.sudo()[field.name] if record else None
        acting = self.env[model._name].with_user(user).with_company(self.company)
        # made before the savepoint: what the base values need outlives the attempt
        vals = dict(self.create_values(model, role), **{field.name: value}) if operation == "create" else None
        outcome, detail = None, ""
        try:
            with self.env.cr.savepoint():
                if operation == "create":
                    record = acting.create(vals)
                else:
                    acting.browse(record.id).write({field.name: value})
                self.env.flush_all()
                outcome, detail = self.judge_accepted(model, field, mutation, value, record, before_value)
                raise _Rollback
        except _Rollback:
            pass
        except AccessError as exc:
            if mutation == "m2o_other_company":  # the user may not even read that record
                outcome, detail = "refused", "AccessError"
            else:
                outcome, detail = self.judge_refusal(field, exc.args[0] if exc.args else "")
        except UserError as exc:
            outcome, detail = self.judge_refusal(field, exc.args[0] if exc.args else "")
            detail = detail or type(exc).__name__
        except IntegrityError as exc:
            converted = _as_validation_error(self.env, exc)
            if isinstance(exc, errors.ForeignKeyViolation):
                outcome, detail = "platform", "ForeignKeyViolation"
            else:
                outcome, detail = self.judge_refusal(field, converted.args[0])
                if outcome == "refused":
                    outcome = "refused"
                    detail = "database constraint"
        except Exception as exc:  # every other type is the finding
            if _raised_by_field_conversion(exc) or (_wrong_shape(mutation) and isinstance(exc, PLATFORM_ERRORS)):
                outcome, detail = "platform", f"{type(exc).__name__} on a value of the wrong shape"
            else:
                outcome = "defect"
                detail = f"{type(exc).__name__}: {str(exc)[:200]} at {_where(exc)}"
        self.env.invalidate_all(flush=False)
        if outcome != "defect" or "accepted without" not in detail:
            after = self.snapshot(model, None if operation == "create" else record)
            if after != before:
                outcome, detail = "defect", f"database changed after {outcome}: {detail}"
        self.count(model, field, role, operation, mutation, outcome, detail)
        return outcome

    def create_values(self, model, role):
        key = (model._name, "create", role)
        if key not in self.records:
            self.records[key] = self.base_values(model._name, self.company, role)
        vals = dict(self.records[key])
        for name in vals:
            if model._fields[name].type in ("char", "text") and model._fields[name].required:
                vals[name] = self.unique_text(model._name, name)
        if model._name == "crm.wallet.estimate":  # another customer's estimate: no duplicate year
            vals.update(partner_id=self.second_customer.id, year=2030)
        if model._name == "crm.customer.mix.target":
            vals["year"] = 2100 + self.counter % 800
        if model._name == "crm.turnover.target":
            vals["year"] = 2100 + self.counter % 800
        if model._name == "crm.key.account.team.member":  # another role than the base member's
            vals["role"] = "finance"
        if model._name == "crm.key.account.plan":
            vals.update(self.model_overrides(model._name, self.company, role, vals))
        return vals

    def judge_refusal(self, field, message):
        if field_names_it(message, field, self.env):
            return "refused", ""
        if field.type == "many2one":
            # a record the user may not read or that does not exist: the message names its model
            comodel = self.env[field.comodel_name]
            if comodel._description in message or comodel._name in message:
                return "refused", ""
        return "defect", f"refused with a message that does not name the field: {message[:200]!r}"

    def judge_accepted(self, model, field, mutation, value, record, before_value):
        stored = record.sudo()[field.name]
        unchanged = stored == before_value if before_value is not None else not stored
        if unchanged and (before_value is not None or field.name in getattr(model, "_process_fields", ())):
            self.accepted_by_rule[UNCHANGED] += 1
            return "accepted", UNCHANGED
        for model_pattern, field_pattern, mutation_pattern, reason in ACCEPTED:
            if (
                fnmatchcase(model._name, model_pattern)
                and fnmatchcase(field.name, field_pattern)
                and fnmatchcase(mutation, mutation_pattern)
            ):
                stored = record.sudo()[field.name]
                if mutation.endswith("_script") and field.type == "html" and "<script" in (stored or ""):
                    return "defect", f"Html kept the script: {stored[:100]!r}"
                if mutation.endswith("_script") and field.type != "html" and stored != value:
                    return "defect", f"text not stored verbatim: {stored!r}"
                self.accepted_by_rule[reason] += 1
                return "accepted", reason
        stored = record.sudo()[field.name]
        shown = stored if not isinstance(stored, str) else stored[:60]
        if mutation.endswith("_wrong_type"):
            # Odoo converts it: a Char stores str(value), a dict for a number or record stores none
            return "platform", "converted by Odoo's field (a dict or list stored as text, or as empty)"
        return "defect", f"accepted without a row in ACCEPTED (stored {shown!r})"

    def count(self, model, field, role, operation, mutation, outcome, detail):
        if outcome == "defect":
            for row in OPEN:
                if (
                    fnmatchcase(model._name, row[0])
                    and fnmatchcase(field.name, row[1])
                    and any(fnmatchcase(mutation, pattern) for pattern in row[2].split("|"))
                ):
                    self.open_hits[row] += 1
                    outcome = "open"
                    break
        self.outcomes[outcome] += 1
        if outcome == "platform":
            self.platform[detail] += 1
        if outcome == "defect":
            self.defects.append((model._name, field.name, mutation, role, operation, detail))
        self.log.append((model._name, field.name, mutation, role, operation, outcome, detail))

    # ------------------------------------------------------------------ the run

    def sanity(self, model, role, operation):
        """The role can do the operation with valid values: a refusal is then the value's doing."""
        user = self.users[role]
        acting = self.env[model._name].with_user(user).with_company(self.company)
        try:
            if operation == "create":
                vals = self.prepared(lambda: self.create_values(model, role))
            else:
                record = self.prepared(lambda: self.record(model._name, self.company, role))
            with self.env.cr.savepoint():
                if operation == "create":
                    acting.create(vals)
                else:
                    field = self.swept_fields(model)[0]
                    acting.browse(record.id).write({field.name: field.convert_to_write(record[field.name], record)})
                self.env.flush_all()
                raise _Rollback
        except _Rollback:
            return True
        except Exception as exc:
            self.skipped.append((model._name, role, operation, f"{type(exc).__name__}: {str(exc)[:150]}"))
            return False
        finally:
            self.env.invalidate_all(flush=False)

    def run(self):
        for name in self.models():
            model = self.env[name]
            fields_ = self.swept_fields(model)
            if not fields_:
                continue
            combos = [combo for combo in self.writers(model) if self.sanity(model, *combo)]
            by_operation = defaultdict(list)
            for role, operation in combos:
                by_operation[operation].append(role)
            for operation, roles in sorted(by_operation.items()):
                self.rng.shuffle(roles)
                turn = 0
                # the current values, against which a period's end is set before its start
                if operation == "write":
                    current = self.record(name, self.company, roles[0])
                else:
                    current = self.create_values(model, roles[0])
                for field in fields_:
                    for mutation, value in self.mutations(model, field, current):
                        self.attempt(model, field, roles[turn % len(roles)], operation, mutation, value)
                        turn += 1
        return self

    def stale_open_rows(self):
        """Rows of OPEN that no attempt hit: their defect is fixed, the row must go."""
        return [row for row in OPEN if not self.open_hits[row]]

    def summary(self):
        lines = [
            f"hostile sweep (seed {SEED}): {sum(self.outcomes.values())} attempts, "
            f"{self.outcomes['refused']} refused, {self.outcomes['accepted']} accepted, "
            f"{self.outcomes['platform']} refused by Odoo's field conversion, "
            f"{self.outcomes['open'] + self.outcomes['defect']} defects "
            f"({self.outcomes['open']} open and reported, {self.outcomes['defect']} new)",
        ]
        for reason, number in sorted(self.accepted_by_rule.items()):
            lines.append(f"  accepted {number:4d}: {reason}")
        for kind, number in sorted(self.platform.items()):
            lines.append(f"  platform {number:4d}: {kind}")
        for row in OPEN:
            lines.append(f"  open {self.open_hits[row]:4d}: {row[0]} {row[1]} {row[2]}: {row[3]}")
        for skip in self.skipped:
            lines.append(f"  skipped: {skip}")
        for defect in self.defects:
            lines.append(f"  DEFECT: {defect}")
        return "\n".join(lines)


class _Rollback(Exception):
    """Leaves the savepoint of an accepted attempt: the sweep never keeps what it sent."""


def _raised_by_field_conversion(exc):
    """A ValueError/TypeError/OverflowError raised while Odoo converts a value for a field."""
    if not isinstance(exc, ValueError | TypeError | OverflowError):
        return False
    frames = traceback.extract_tb(exc.__traceback__)
    for index, frame in enumerate(frames):
        if frame.filename.endswith(("odoo/fields.py", "odoo/models.py")) and frame.name.startswith(
            ("convert_to_", "_convert_to_")
        ):
            return not any(later.filename.startswith(OUR_ADDONS) for later in frames[index:])
    return False


def _wrong_shape(mutation):
    return mutation.endswith(("_wrong_type", "_garbage")) or mutation in WRONG_SHAPE


def _where(exc):
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{frame.filename.rsplit('/', 3)[-1]}:{frame.lineno} {frame.name}"
