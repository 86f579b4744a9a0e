"""Module lifecycle on a copy of the test database, as an administrator would run it.

Upgrading (``-u``) with data present keeps every record and every setting; uninstalling
``crm_quality_feedback`` and ``crm_key_accounts`` leaves the relationship core working, which
its own test suite then proves on that database.

The test command (``scripts/crm.py test``) runs this file on its own, after the main suite, on a
copy it names in CRM_LIFECYCLE_DB; it is skipped anywhere else.
"""

import os
import subprocess
import sys

import crm
import pytest

DB = os.environ.get("CRM_LIFECYCLE_DB")
CONFIG = os.environ.get("CRM_LIFECYCLE_CONFIG")
pytestmark = pytest.mark.skipif(not (DB and CONFIG), reason="run by `scripts/crm.py test` on a database copy")

CHANGED_SETTING = ("crm_relationship.portfolio_growth_threshold", "12.5")


def connect():
    host, port, user = os.environ["CRM_LIFECYCLE_PG"].split(":")
    return crm.pg_connect(host, int(port), user, DB)


def snapshot():
    """Row counts of every table of ours (and the helpdesk's) and the values of our settings."""
    conn = connect()
    try:
        with conn.cursor() as cr:
            cr.execute(
                r"""SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace
                    AND (relname LIKE 'crm\_%' OR relname IN ('helpdesk_ticket', 'res_partner', 'sale_order'))"""
            )
            counts = {}
            for (table,) in cr.fetchall():
                cr.execute(f'SELECT COUNT(*) FROM "{table}"')  # table names come from the catalogue
                counts[table] = cr.fetchone()[0]
            cr.execute(r"SELECT key, value FROM ir_config_parameter WHERE key LIKE 'crm\_%' ORDER BY key")
            return counts, dict(cr.fetchall())
    finally:
        conn.close()


def run_odoo(*args, log_name):
    log = crm.LOCAL / log_name
    log.unlink(missing_ok=True)
    done = subprocess.run(
        crm.odoo_command("-c", CONFIG, "-d", DB, *args, "--stop-after-init", "--no-http", "--logfile", str(log)),
        env=crm.odoo_env(),
        check=False,
    )
    text = log.read_text(errors="replace") if log.exists() else ""
    errors = [line for line in text.splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert done.returncode == 0 and not errors, f"odoo {' '.join(args)} failed: {errors[:5]} (see {log})"


def execute_sql(query, params=None):
    conn = connect()
    try:
        with conn, conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else None
    finally:
        conn.close()


def set_setting(key, value):
    if value is None:
        execute_sql("DELETE FROM ir_config_parameter WHERE key = %s", [key])
        return
    execute_sql(
        """INSERT INTO ir_config_parameter (key, value, create_date, write_date) VALUES (%s, %s, NOW(), NOW())
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""",
        [key, value],
    )


def test_1_upgrade_keeps_every_record_and_setting():
    key, value = CHANGED_SETTING
    original = snapshot()[1].get(key)
    set_setting(key, value)  # an administrator's own setting, not the shipped default
    try:
        counts, settings = snapshot()
        assert counts["crm_portfolio_line"] and counts["crm_key_account_plan"] and counts["helpdesk_ticket"]
        run_odoo("-u", ",".join(crm.MODULES), log_name="lifecycle-upgrade.log")
        counts_after, settings_after = snapshot()
        assert counts_after == counts
        assert settings_after == settings
        assert settings_after[key] == value
    finally:
        set_setting(key, original)  # the core's tests below expect the shipped defaults


def test_2_uninstalling_the_leaf_modules_leaves_the_core_working():
    script = (
        "env['ir.module.module'].search([('name', 'in', ['crm_quality_feedback', 'crm_key_accounts'])])"
        ".button_immediate_uninstall(); env.cr.commit()"
    )
    done = subprocess.run(
        crm.odoo_command("shell", "-c", CONFIG, "-d", DB, "--no-http", "--log-level=warn"),
        input=script,
        text=True,
        env=crm.odoo_env(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    states = dict(execute_sql("SELECT name, state FROM ir_module_module WHERE name IN %s", [crm.MODULES]))
    assert states == {
        "crm_relationship": "installed",
        "crm_key_accounts": "uninstalled",
        "crm_quality_feedback": "uninstalled",
    }
    assert not execute_sql("SELECT to_regclass('crm_key_account_plan')")[0][0], "the leaf's tables are gone"
    # the core's own suite, on this database without the leaves
    tests = crm.ROOT / "addons" / "crm_relationship" / "tests"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            f"--odoo-config={CONFIG}",
            f"--odoo-database={DB}",
            "--odoo-log-level=warn",
            "-p",
            "no:cacheprovider",
            "-q",
            str(tests),
        ],
        cwd=crm.ROOT,
        env=crm.odoo_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.strip().splitlines()[-1]
