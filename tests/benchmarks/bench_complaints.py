#!/usr/bin/env python3
"""Benchmark: SLA compliance report and deadline recomputation over many complaints.

    python3 tests/benchmarks/bench_complaints.py [--db crm_bench] [--tickets 100000]

Bulk-inserts resolved and open complaints received over the last year on one team, then at
half and at full size: the SLA compliance report (wall time, queries) and the recomputation of
the deadlines after a change of the team's calendar (wall time, queries). Rolled back.
"""

import argparse
import time

from bench_common import open_registry

import odoo


def insert_complaints(cr, company_id, team_id, partner_id, count, offset):
    cr.execute(
        """
        INSERT INTO helpdesk_ticket (name, description, company_id, team_id, partner_id, is_complaint,
                                     received_date, resolved_date, on_time, complaint_step, active,
                                     create_date, write_date)
        SELECT 'Bench complaint ' || (g + %(offset)s), 'x', %(company_id)s, %(team_id)s, %(partner_id)s, TRUE,
               NOW() - make_interval(mins => ((g::bigint * 7919) %% 525600)::int),
               CASE WHEN g %% 10 = 0 THEN NULL
                    ELSE NOW() - make_interval(mins => ((g::bigint * 7919) %% 525600)::int) + interval '5 hours' END,
               g %% 20 <> 0, CASE WHEN g %% 10 = 0 THEN 'investigated' ELSE 'resolved' END, TRUE, NOW(), NOW()
        FROM generate_series(1, %(count)s) g
        """,
        {"company_id": company_id, "team_id": team_id, "partner_id": partner_id, "count": count, "offset": offset},
    )
    cr.execute("ANALYZE helpdesk_ticket")


def measure(env, team):
    env.invalidate_all()
    since = odoo.fields.Date.today().replace(year=odoo.fields.Date.today().year - 1)
    before = env.cr.sql_log_count
    started = time.perf_counter()
    # the SLA compliance report as a manager pivots it: by team, category and month of receipt
    rows = env["crm.complaint.sla.report"]._read_group(
        [("received_date", ">=", since)],
        ["team_id", "category_id", "received_date:month"],
        ["complaints:sum", "on_time_count:sum", "share_on_time:avg", "target:avg"],
    )
    report_time, report_queries = time.perf_counter() - started, env.cr.sql_log_count - before
    env.invalidate_all()
    before = env.cr.sql_log_count
    started = time.perf_counter()
    recomputed = env["helpdesk.ticket"]._recompute_open_complaints([("team_id", "=", team.id)])
    return (
        len(rows),
        report_time,
        report_queries,
        len(recomputed),
        time.perf_counter() - started,
        env.cr.sql_log_count - before,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="crm_bench")
    parser.add_argument("--tickets", type=int, default=100000)
    options = parser.parse_args()
    registry = open_registry(options.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        team = env["helpdesk.ticket.team"].create({"name": "Bench complaints desk"})
        partner = env["res.partner"].create({"name": "Bench complainer", "is_company": True})
        env.flush_all()
        print(
            f"{'tickets':>8} {'report rows':>11} {'report':>8} {'queries':>7} "
            f"{'open':>6} {'recompute':>9} {'queries':>7}"
        )
        half = options.tickets // 2
        for offset in (0, half):
            insert_complaints(cr, env.company.id, team.id, partner.id, half, offset)
            rows, report_time, report_queries, open_count, recompute_time, recompute_queries = measure(env, team)
            print(
                f"{offset + half:>8} {rows:>11} {report_time:>6.2f} s {report_queries:>7} {open_count:>6} "
                f"{recompute_time:>7.2f} s {recompute_queries:>7}"
            )
        cr.rollback()


if __name__ == "__main__":
    main()
