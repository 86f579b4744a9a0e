"""A portfolio line keeps the customer's ABC class in the run before (``previous_abc_class``,
``abc_class_changed``) beside his quadrant there, since this version.

The lines of earlier runs get them from the run each run followed. Which run that was is not
stored: it was the company's last done run dated on or before it, on the same revenue source
(18.0.1.4.0 and later) or on any (earlier versions), among the runs computed before it
(``date_done`` is to the second: same-second runs are candidates too). A candidate is taken only
when it explains every previous quadrant the run stored; a run no candidate explains (the run
before was deleted or recomputed since) keeps no previous class, as it shows no move."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# the run each done run followed, by each version's rule: same revenue source first
CANDIDATES = SQL(
    """
    SELECT run.id, candidate.id
    FROM crm_portfolio_analysis run
    CROSS JOIN LATERAL (
        (SELECT before.id, 1 AS rule FROM crm_portfolio_analysis before
         WHERE before.company_id = run.company_id AND before.state = 'done'
           AND before.revenue_source = run.revenue_source
           AND before.date <= run.date AND before.id <> run.id AND before.date_done <= run.date_done
         ORDER BY before.date DESC, before.id DESC LIMIT 1)
        UNION ALL
        (SELECT before.id, 2 AS rule FROM crm_portfolio_analysis before
         WHERE before.company_id = run.company_id AND before.state = 'done'
           AND before.date <= run.date AND before.id <> run.id AND before.date_done <= run.date_done
         ORDER BY before.date DESC, before.id DESC LIMIT 1)
    ) candidate
    WHERE run.state = 'done'
    ORDER BY run.id, candidate.rule
    """
)


def explains(cr, run_id, previous_id):
    """Whether every line of the run shows, as its previous quadrant, the customer's quadrant in
    the candidate run (none where the customer has no line there)."""
    cr.execute(
        SQL(
            """
            SELECT NOT EXISTS (
                SELECT 1 FROM crm_portfolio_line line
                LEFT JOIN crm_portfolio_line previous_line
                       ON previous_line.analysis_id = %(previous)s AND previous_line.partner_id = line.partner_id
                WHERE line.analysis_id = %(run)s
                  AND line.previous_bcg_quadrant IS DISTINCT FROM previous_line.bcg_quadrant
            )
            """,
            run=run_id,
            previous=previous_id,
        )
    )
    return cr.fetchone()[0]


def migrate(cr, version):
    # the runs' ids into the planner's statistics before their lines are joined run to run
    cr.execute("ANALYZE crm_portfolio_line (analysis_id, partner_id)")
    cr.execute(CANDIDATES)
    followed, unexplained = {}, set()
    for run_id, previous_id in cr.fetchall():
        if run_id in followed:
            continue
        if explains(cr, run_id, previous_id):
            followed[run_id] = previous_id
            unexplained.discard(run_id)
        else:
            unexplained.add(run_id)
    for run_id, previous_id in followed.items():
        cr.execute(
            SQL(
                """
                UPDATE crm_portfolio_line line
                SET previous_abc_class = previous_line.abc_class,
                    abc_class_changed = previous_line.abc_class IS DISTINCT FROM line.abc_class
                                        AND line.abc_class IS NOT NULL
                FROM crm_portfolio_line previous_line
                WHERE line.analysis_id = %(run)s AND previous_line.analysis_id = %(previous)s
                  AND previous_line.partner_id = line.partner_id AND previous_line.abc_class IS NOT NULL
                """,
                run=run_id,
                previous=previous_id,
            )
        )
    _logger.info(
        "Portfolio lines: the ABC class of the run before set on %s run(s); %s run(s) whose run before is unknown",
        len(followed),
        len(unexplained),
    )
