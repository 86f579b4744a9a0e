#!/usr/bin/env python3
"""Benchmark: installing the three modules into an empty database and into a big one.

    python3 tests/benchmarks/bench_install.py [--db crm_bench_install] [--customers 20000] [--orders 400000]

Builds ``<db>_base`` with the modules ours depend on (demo data on, as ``scripts/crm.py up``
installs them), copies it twice: ``<db>_empty`` as it is, ``<db>_big`` with the customers and
confirmed orders inserted in bulk; then installs crm_relationship, crm_key_accounts and
crm_quality_feedback into each and prints both wall times. The install into a big database
must not recompute anything per customer: the difference stays within a few seconds. With
``--without-demo`` Odoo is asked to install our modules without their demo data (the demo story
runs the nightly jobs and a portfolio run over every customer of the database); on a base with
demo data Odoo 18 loads it anyway. The three
databases are dropped at the end (``--keep`` keeps them).
"""

import ast
import re
import subprocess
import tempfile
import time
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import psycopg2
from bench_common import ROOT, crm, insert_customers_and_orders, parse_size_args


def dependencies():
    """The modules our three depend on, ours left out."""
    depends = set()
    for module in crm.MODULES:
        manifest = ast.literal_eval((ROOT / "addons" / module / "__manifest__.py").read_text())
        depends.update(manifest["depends"])
    return sorted(depends - set(crm.MODULES))


def odoo(config_path, dbname, step, modules, demo=True):
    """Run ``step`` (``-i``) for ``modules``; its wall time, and its log (level info) by line."""
    log = Path(tempfile.gettempdir()) / f"{dbname}.log"
    log.unlink(missing_ok=True)  # Odoo appends to its log file
    args = crm.odoo_command(
        "-c",
        str(config_path),
        "-d",
        dbname,
        step,
        ",".join(modules),
        "--stop-after-init",
        "--no-http",
        "--log-level=info",
        "--logfile",
        str(log),
        *(() if demo else ("--without-demo=all",)),
    )
    started = time.perf_counter()
    subprocess.run(args, env=crm.odoo_env(), check=True)
    return time.perf_counter() - started, log.read_text(errors="replace").splitlines()


def slowest_steps(lines, count=6):
    """The ``count`` longest gaps between two lines of an Odoo log: (seconds, the line before the gap)."""
    stamped = []
    for line in lines:
        match = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) \d+ \w+ \S+ (.*)", line)
        if match:
            stamped.append((datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f"), match[2][:110]))
    gaps = [((later - earlier).total_seconds(), text) for (earlier, text), (later, _t) in pairwise(stamped)]
    return sorted(gaps, reverse=True)[:count]


def main():
    parser_options = options = parse_size_args(__doc__, orders=400000)
    db = parser_options.db if parser_options.db != "crm_bench" else "crm_bench_install"
    _major, package_dir = crm.find_odoo()
    sample = crm.read_sample_config()
    pg = crm.ensure_postgres(sample)
    config_path = crm.write_config(sample, pg, f"{db}_base", 8069, package_dir, f"odoo-{db}.conf")
    base, empty, big = f"{db}_base", f"{db}_empty", f"{db}_big"
    for name in (base, empty, big):
        crm.drop_database(pg, name)
    started = time.perf_counter()
    odoo(config_path, base, "-i", dependencies())
    print(f"{base}: {', '.join(dependencies())} installed in {time.perf_counter() - started:.0f} s")
    crm.server_statement(pg, f'CREATE DATABASE "{empty}" TEMPLATE "{base}"')
    crm.server_statement(pg, f'CREATE DATABASE "{big}" TEMPLATE "{base}"')
    host, port, user = pg
    conn = psycopg2.connect(host=host, port=port, user=user, dbname=big)
    with conn, conn.cursor() as cr:
        cr.execute("SELECT id FROM res_company ORDER BY id LIMIT 1")
        company_id = cr.fetchone()[0]
        insert_customers_and_orders(cr, company_id, parser_options.customers, parser_options.orders)
    conn.close()
    times, logs = {}, {}
    for name in (empty, big):
        times[name], logs[name] = odoo(config_path, name, "-i", crm.MODULES, demo=not options.without_demo)
    for name in (empty, big):
        print(f"slowest steps of the install into {name}:")
        for seconds, text in slowest_steps(logs[name]):
            print(f"  {seconds:6.1f} s after: {text}")
    print(
        f"install of {', '.join(crm.MODULES)}: empty database {times[empty]:.1f} s, "
        f"database with {parser_options.customers} customers and {parser_options.orders} orders {times[big]:.1f} s "
        f"(difference {times[big] - times[empty]:+.1f} s)"
    )
    if not parser_options.keep:
        for name in (base, empty, big):
            crm.drop_database(pg, name)


if __name__ == "__main__":
    main()
