#!/usr/bin/env python3
"""Benchmark: installing the three modules into an empty database and into a big one.

    python3 tests/benchmarks/bench_install.py [--db crm_bench_install] [--customers 20000] [--orders 400000]

Builds ``<db>_base`` with the modules ours depend on (demo data on, as ``scripts/crm.py up``
installs them), copies it twice: ``<db>_empty`` as it is, ``<db>_big`` with the customers and
confirmed orders inserted in bulk; then installs crm_relationship, crm_key_accounts and
crm_quality_feedback into each and prints both wall times. The install into a big database
must not recompute anything per customer: the difference stays within a few seconds. With
``--without-demo`` the base and our modules are installed without demo data (the demo story
runs the nightly jobs and a portfolio run over every customer of the database: with it, the
difference measures those jobs, not the install; on a base with demo data Odoo 18 loads ours
anyway). ``--rounds N`` (default 2) alternates the two installs N times on fresh copies. The
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
    parser_options = options = parse_size_args(__doc__, orders=400000, rounds=True)
    db = parser_options.db if parser_options.db != "crm_bench" else "crm_bench_install"
    _major, package_dir = crm.find_odoo()
    sample = crm.read_sample_config()
    pg = crm.ensure_postgres(sample)
    config_path = crm.write_config(sample, pg, f"{db}_base", 8069, package_dir, f"odoo-{db}.conf")
    base, empty, big = f"{db}_base", f"{db}_empty", f"{db}_big"
    for name in (base, empty, big):
        crm.drop_database(pg, name)
    started = time.perf_counter()
    odoo(config_path, base, "-i", dependencies(), demo=not options.without_demo)
    print(f"{base}: {', '.join(dependencies())} installed in {time.perf_counter() - started:.0f} s")
    big_base = f"{db}_big_base"
    crm.drop_database(pg, big_base)
    crm.server_statement(pg, f'CREATE DATABASE "{big_base}" TEMPLATE "{base}"')
    host, port, user = pg
    conn = psycopg2.connect(host=host, port=port, user=user, dbname=big_base)
    with conn, conn.cursor() as cr:
        cr.execute("SELECT id FROM res_company ORDER BY id LIMIT 1")
        company_id = cr.fetchone()[0]
        insert_customers_and_orders(cr, company_id, parser_options.customers, parser_options.orders)
    conn.close()
    # alternated rounds on fresh copies: the machine's load drifts more than the difference sought
    times = {empty: [], big: []}
    for round_number in range(options.rounds):
        for name, template in ((empty, base), (big, big_base)):
            crm.drop_database(pg, name)
            crm.server_statement(pg, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            seconds, log = odoo(config_path, name, "-i", crm.MODULES, demo=not options.without_demo)
            times[name].append(seconds)
            if round_number == options.rounds - 1:
                print(f"slowest steps of the last install into {name}:")
                for gap, text in slowest_steps(log):
                    print(f"  {gap:6.1f} s after: {text}")
    differences = [later - earlier for earlier, later in zip(times[empty], times[big], strict=True)]
    print(
        f"install of {', '.join(crm.MODULES)} ({'without' if options.without_demo else 'with'} demo data), "
        f"{options.rounds} alternated rounds: empty database "
        f"{', '.join(f'{t:.1f}' for t in times[empty])} s; database with {parser_options.customers} customers "
        f"and {parser_options.orders} orders {', '.join(f'{t:.1f}' for t in times[big])} s; differences "
        f"{', '.join(f'{d:+.1f}' for d in differences)} s"
    )
    if not parser_options.keep:
        for name in (base, big_base, empty, big):
            crm.drop_database(pg, name)


if __name__ == "__main__":
    main()
