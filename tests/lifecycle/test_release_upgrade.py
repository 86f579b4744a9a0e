"""Upgrade from the last release (RELEASES) to the working tree, as a company running it would.

The test command extracts our addons as they are at the release's commit and names them in the
configuration CRM_RELEASE_CONFIG. Here that release is installed with its demo story into a database
of its own (CRM_RELEASE_DB); with the release's code an administrator changes settings and runs a
portfolio analysis, the customer value refresh and the key-account actuals. Then the working tree
upgrades the database (``-u``: its ``migrations/`` scripts run) and everything the release stored must
be there as it was: the rows of every table of ours (and of helpdesk_ticket, res_partner, sale_order),
our settings, and every stored column of our fields, which holds the figures of past runs (portfolio
runs and lines, customer value, objective actuals).

What the working tree adds (columns, tables, settings) is not compared. What a migration reshapes on
purpose is listed below with its reason; any other loss or change fails.

The test command runs this file after the main suite; it is skipped anywhere else.
"""

import ast
import configparser
import os
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import crm
import pytest

RELEASE = os.environ.get("CRM_RELEASE", "")
RELEASE_DB = os.environ.get("CRM_RELEASE_DB")
RELEASE_CONFIG = os.environ.get("CRM_RELEASE_CONFIG")
RELEASE_ERROR = os.environ.get("CRM_RELEASE_ERROR")
CONFIG = os.environ.get("CRM_LIFECYCLE_CONFIG")  # the working tree's addons
pytestmark = pytest.mark.skipif(
    not (RELEASE_ERROR or (RELEASE_DB and RELEASE_CONFIG and CONFIG)),
    reason="run by `scripts/crm.py test` on a database of the last release",
)

# (model, field): why a stored field of the release is no longer a stored column after the upgrade
# (its values moved elsewhere by a migration script).
RESHAPED = {}
# (model, field): why its stored values may differ after the upgrade.
CHANGED_BY_DESIGN = {
    ("crm.key.account.plan", "attainment"): "18.0.1.2.0 caps each objective's progress at 100 % (and weighs "
    "objectives, 1 by default): its migration recomputes every plan's attainment from the stored progress",
}
# table: why it may gain rows that carry no xmlid of shipped data.
GROWN_BY_DESIGN = {}

# Written against the release's code: an administrator's own settings (one boolean unticked, one
# shipped parameter changed, a company and a helpdesk team setting), then one run of everything
# that stores figures: a portfolio analysis with other parameters than the demo's, the nightly
# customer value refresh, the key-account objectives' actuals.
RELEASE_STORY = """
settings = env["res.config.settings"].create({
    "crm_portfolio_growth_threshold": 12.5,
    "crm_end_blocks_quotations": False,
    "quality_feedback_delay_days": 9,
    "ka_neglect_days": 60,
    "quality_effectiveness_check_days": 45,
})
settings.execute()
team = env["helpdesk.ticket.team"].search([], order="id", limit=1)
team.complaint_cutoff_hour = 15.5
analysis = env["crm.portfolio.analysis"].create(
    {"period_months": 6, "bcg_reference": "median", "share_threshold": 1.0, "abc_basis": "margin"}
)
analysis.action_compute()
env["crm.customer.value"]._cron_refresh()
env["crm.key.account.objective"]._compute_actuals()
env.cr.commit()
print("release story done:", analysis.display_name, analysis.line_count, "customers")
"""
# settings the story changes, and what each must read after the upgrade (None: unset, i.e. False)
STORY_SETTINGS = {
    "crm_relationship.portfolio_growth_threshold": "12.5",
    "crm_relationship.end_blocks_quotations": None,
    "crm_quality_feedback.feedback_delay_days": "9",
    "crm_key_accounts.neglect_days": "60",
}
FALSE_VALUES = (None, "", "False", "0")
AUDIT_COLUMNS = {"id", "write_date", "write_uid"}
COUNTED = ("helpdesk_ticket", "res_partner", "sale_order")


def connect():
    host, port, user = os.environ["CRM_LIFECYCLE_PG"].split(":")
    return crm.pg_connect(host, int(port), user, RELEASE_DB)


def error_lines(text):
    return [line for line in text.splitlines() if " ERROR " in line or " CRITICAL " in line]


def run_odoo(config, *args, log_name):
    """odoo with --stop-after-init on the release database: (exit code, its ERROR/CRITICAL lines, log)."""
    log = crm.LOCAL / log_name
    log.unlink(missing_ok=True)
    done = subprocess.run(
        crm.odoo_command(
            "-c", config, "-d", RELEASE_DB, *args, "--stop-after-init", "--no-http", "--logfile", str(log)
        ),
        env=crm.odoo_env(),
        check=False,
    )
    return done.returncode, error_lines(log.read_text(errors="replace") if log.exists() else ""), log


def normal(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def our_fields(cr):
    """{model: {field: (type, relation table, column1, column2)}} of the stored fields our modules
    define or extend, and the set of models that are ours (their id field is ours), transient ones left out."""
    cr.execute(
        """
        SELECT DISTINCT f.model, f.name, f.ttype, f.relation_table, f.column1, f.column2
        FROM ir_model_fields f
        JOIN ir_model m ON m.id = f.model_id AND NOT COALESCE(m.transient, FALSE)
        JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id AND d.module IN %s
        WHERE f.store
        """,
        [crm.MODULES],
    )
    fields = {}
    for model, name, ttype, relation_table, column1, column2 in cr.fetchall():
        fields.setdefault(model, {})[name] = (ttype, relation_table, column1, column2)
    return fields, {model for model, names in fields.items() if "id" in names}


def table_columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s", [table]
    )
    return {name for (name,) in cr.fetchall()}


def snapshot():
    """Everything the comparison needs, read in SQL (no Odoo code of either version runs)."""
    conn = connect()
    try:
        with conn.cursor() as cr:
            fields, own = our_fields(cr)
            values, columns, links = {}, {}, {}
            for model, names in fields.items():
                table = model.replace(".", "_")
                present = table_columns(cr, table)
                if not present:
                    continue
                columns[model] = {name for name in names if name in present}
                scalar = sorted(
                    name
                    for name, (ttype, *_rel) in names.items()
                    if ttype not in ("one2many", "many2many") and name in present and name not in AUDIT_COLUMNS
                )
                if scalar:
                    quoted = ", ".join(f'"{name}"' for name in scalar)  # names from the catalogue
                    cr.execute(f'SELECT id, {quoted} FROM "{table}"')
                    values[model] = {
                        row[0]: dict(zip(scalar, map(normal, row[1:]), strict=True)) for row in cr.fetchall()
                    }
                for name, (ttype, relation_table, column1, column2) in names.items():
                    if ttype == "many2many" and relation_table and table_columns(cr, relation_table):
                        cr.execute(f'SELECT "{column1}", "{column2}" FROM "{relation_table}"')
                        links[(model, name)] = set(cr.fetchall())
            tables = {model.replace(".", "_") for model in own} | set(COUNTED)
            cr.execute(r"SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE 'crm\_%'")
            tables |= {name for (name,) in cr.fetchall()}
            ids, counts = {}, {}
            for table in sorted(tables):
                present = table_columns(cr, table)
                if not present:
                    continue
                cr.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cr.fetchone()[0]
                if "id" in present:
                    cr.execute(f'SELECT id FROM "{table}"')
                    ids[table] = {row[0] for row in cr.fetchall()}
            cr.execute(r"SELECT key, value FROM ir_config_parameter WHERE key LIKE 'crm\_%'")
            settings = dict(cr.fetchall())
            cr.execute("SELECT model, res_id, noupdate, module FROM ir_model_data WHERE res_id IS NOT NULL")
            xmlids = {(model.replace(".", "_"), res_id): (noupdate, module) for model, res_id, noupdate, module in cr}
            cr.execute("SELECT name, state, latest_version FROM ir_module_module WHERE name IN %s", [crm.MODULES])
            modules = {name: (state, version) for name, state, version in cr.fetchall()}
        return {
            "fields": fields,
            "columns": columns,
            "values": values,
            "links": links,
            "counts": counts,
            "ids": ids,
            "settings": settings,
            "xmlids": xmlids,
            "modules": modules,
        }
    finally:
        conn.close()


@pytest.fixture(scope="module")
def upgrade():
    """The release installed with demo data, its story run, then upgraded: both snapshots and the upgrade's outcome."""
    if RELEASE_ERROR:
        pytest.fail(f"the last release could not be prepared: {RELEASE_ERROR}")
    code, errors, log = run_odoo(RELEASE_CONFIG, "-i", ",".join(crm.MODULES), log_name="lifecycle-release-install.log")
    assert code == 0 and not errors, f"installing the release {RELEASE} failed: {errors[:5]} (see {log})"
    story = subprocess.run(
        crm.odoo_command("shell", "-c", RELEASE_CONFIG, "-d", RELEASE_DB, "--no-http", "--log-level=warn"),
        input=RELEASE_STORY,
        text=True,
        env=crm.odoo_env(),
        capture_output=True,
        check=False,
    )
    assert story.returncode == 0 and "release story done" in story.stdout and not error_lines(story.stderr), (
        f"the release's story failed: {story.stdout[-2000:]} {story.stderr[-3000:]}"
    )
    print(story.stdout.strip().splitlines()[-1])
    before = snapshot()
    code, errors, log = run_odoo(CONFIG, "-u", ",".join(crm.MODULES), log_name="lifecycle-release-upgrade.log")
    return {"before": before, "after": snapshot(), "code": code, "errors": errors, "log": log}


def report(problems, what):
    assert not problems, f"{len(problems)} {what} (upgrade from {RELEASE}):\n  " + "\n  ".join(problems[:40])


def manifest_version(module):
    return ast.literal_eval((crm.ROOT / "addons" / module / "__manifest__.py").read_text())["version"]


def test_release_upgrades_cleanly_to_the_working_tree(upgrade):
    assert upgrade["code"] == 0 and not upgrade["errors"], (
        f"upgrading the release {RELEASE} failed: {upgrade['errors'][:5]} (see {upgrade['log']})"
    )
    before, after = upgrade["before"]["modules"], upgrade["after"]["modules"]
    for module in crm.MODULES:
        assert after[module] == ("installed", manifest_version(module)), (
            f"{module}: {before[module]} at the release, {after[module]} after the upgrade"
        )


def test_release_records_are_all_kept(upgrade):
    before, after = upgrade["before"], upgrade["after"]
    assert before["counts"]["crm_portfolio_line"] and before["counts"]["crm_customer_value"]
    problems = []
    for table, count in sorted(before["counts"].items()):
        if table not in after["counts"]:
            problems.append(f"table {table} ({count} rows) is gone")
            continue
        lost = before["ids"].get(table, set()) - after["ids"].get(table, set())
        if lost or after["counts"][table] < count:
            problems.append(
                f"{table}: {count} rows before, {after['counts'][table]} after; lost ids {sorted(lost)[:10]}"
            )
        new = after["ids"].get(table, set()) - before["ids"].get(table, set())
        unshipped = sorted(row for row in new if (table, row) not in after["xmlids"])
        if unshipped and table not in GROWN_BY_DESIGN:
            problems.append(
                f"{table}: {len(unshipped)} rows added by the upgrade that are no shipped data: {unshipped[:10]}"
            )
        elif not new and after["counts"][table] > count and table not in GROWN_BY_DESIGN:
            problems.append(f"{table}: {count} rows before, {after['counts'][table]} after")
    for key, pairs in sorted(before["links"].items()):
        missing = pairs - after["links"].get(key, set())
        if missing:
            problems.append(f"{key[0]}.{key[1]}: {len(missing)} links lost")
    report(problems, "records lost")


def release_known_keys():
    """Setting keys the release's code or data name (a new key is only new if the release did not know it)."""
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(RELEASE_CONFIG)
    addons = Path(conf["options"]["addons_path"].split(",")[0])
    pattern = re.compile(r"\b(?:" + "|".join(crm.MODULES) + r")\.[a-z0-9_]+")
    found = set()
    for path in addons.rglob("*"):
        if path.suffix in (".py", ".xml", ".csv"):
            found |= set(pattern.findall(path.read_text(errors="replace")))
    return found


def test_release_settings_are_all_kept(upgrade):
    before, after = upgrade["before"]["settings"], upgrade["after"]["settings"]
    problems = {
        key: f"{key}: {value!r} at the release, {after.get(key)!r} after the upgrade"
        for key, value in before.items()
        if after.get(key) != value
    }
    known = release_known_keys()
    for key, value in after.items():
        if key not in before and key in known and value not in FALSE_VALUES:
            problems[key] = f"{key}: unset at the release (an administrator's choice), {value!r} after the upgrade"
    for key, wanted in STORY_SETTINGS.items():
        value = after.get(key)
        if key not in problems and ((value not in FALSE_VALUES) if wanted is None else value != wanted):
            problems[key] = f"{key}: set to {wanted!r} with the release, {value!r} after the upgrade"
    report([problems[key] for key in sorted(problems)], "settings lost or changed")


def value_differences(upgrade, models):
    """Every stored value of our fields on the given models that the upgrade lost or changed."""
    before, after = upgrade["before"], upgrade["after"]
    problems = []
    for model in sorted(models):
        for name in sorted(before["columns"].get(model, ())):
            if (model, name) in RESHAPED:
                continue
            if name not in after["columns"].get(model, ()):
                problems.append(f"{model}.{name}: its column is gone")
            elif name not in after["fields"].get(model, {}):
                problems.append(f"{model}.{name}: no longer a stored field of ours (its column is left unread)")
        rows_after = after["values"].get(model, {})
        changed = {}
        for row, values in before["values"].get(model, {}).items():
            for name, value in values.items():
                if (model, name) in RESHAPED or (model, name) in CHANGED_BY_DESIGN or row not in rows_after:
                    continue  # a lost row is reported by the record test
                new = rows_after[row].get(name, value)  # a gone column is reported above
                if new != value:
                    shipped = after["xmlids"].get((model.replace(".", "_"), row))
                    if shipped and not shipped[0]:
                        continue  # data the new version's files rewrite (noupdate="0")
                    changed.setdefault(name, []).append(f"id {row}: {value!r} -> {new!r}")
        problems += [
            f"{model}.{name}: {len(rows)} changed, e.g. {'; '.join(rows[:3])}" for name, rows in changed.items()
        ]
    return problems


PAST_RUNS = (
    "crm.portfolio.analysis",
    "crm.portfolio.line",
    "crm.customer.value",
    "crm.key.account.objective",
    "crm.key.account.review.line",
)


def test_release_figures_of_past_runs_are_identical(upgrade):
    assert set(PAST_RUNS) <= set(upgrade["before"]["values"]), "the release stored no figures to compare"
    report(value_differences(upgrade, PAST_RUNS), "stored figures of past runs lost or changed")


def test_release_every_other_stored_value_is_kept(upgrade):
    others = set(upgrade["before"]["values"]) - set(PAST_RUNS)
    report(value_differences(upgrade, others), "stored values lost or changed")


def test_release_runs_get_the_abc_class_of_the_run_before(upgrade):
    """18.0.1.5.0 keeps on each line the customer's ABC class in the run before, beside his quadrant
    there. The release's lines get it from the run their run followed (its migration): the story's
    run followed the demo's, by the release's rule (the company's last done run dated on or before it)."""
    runs = upgrade["after"]["values"]["crm.portfolio.analysis"]
    lines = upgrade["after"]["values"]["crm.portfolio.line"]
    story_id = max(runs)
    story = runs[story_id]
    previous_id = max(
        (run["date"], run_id)
        for run_id, run in runs.items()
        if run_id != story_id
        and run["company_id"] == story["company_id"]
        and run["state"] == "done"
        and run["date"] <= story["date"]
    )[1]
    classes_before = {
        line["partner_id"]: line["abc_class"] for line in lines.values() if line["analysis_id"] == previous_id
    }
    story_lines = [line for line in lines.values() if line["analysis_id"] == story_id]
    found = [(line["partner_id"], line["previous_abc_class"], bool(line["abc_class_changed"])) for line in story_lines]
    wanted = [
        (
            line["partner_id"],
            classes_before.get(line["partner_id"]),
            bool(
                classes_before.get(line["partner_id"])
                and line["abc_class"]
                and classes_before[line["partner_id"]] != line["abc_class"]
            ),
        )
        for line in story_lines
    ]
    assert sorted(found, key=str) == sorted(wanted, key=str)
    moved = sum(changed for _partner, _before, changed in wanted)
    print(
        f"story run {story_id} after run {previous_id}: {len(story_lines)} lines, "
        f"{sum(1 for _p, before, _c in wanted if before)} with a class before, {moved} moved"
    )
    assert sum(1 for _partner, before, _changed in wanted if before) > 0, (
        "the release's runs share no classified customer"
    )
