"""A portfolio line keeps the customer's ABC class in the run before (``previous_abc_class``,
``abc_class_changed``) beside his quadrant there, since this version.

The lines of earlier runs get them from the run each run followed. Which run that was is not
stored: it was the company's last done run dated on or before it, among the runs computed before
it, on the same revenue source (a rule added during 18.0.1.4.0) or on any (before). A candidate is
a run computed before it (``date_done`` is to the second: a run computed in the same second is a
candidate too, and then the next one is tried), whatever its state now (a run reset to draft keeps
its lines). A candidate is taken only when it explains every previous quadrant the run stored, and
only when the two rules do not name two runs that both explain it. A run without such a run keeps
no previous class and shows no move."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# per computed run and rule, its candidates in the rule's order: the first computed before it,
# and those computed in the same second ahead of it
CANDIDATES = SQL(
    """
    SELECT run.id, rules.rule, before.id, before.date_done = run.date_done
    FROM crm_portfolio_analysis run
    CROSS JOIN (VALUES (1), (2)) AS rules(rule)
    CROSS JOIN LATERAL (
        SELECT before.id, before.date, before.date_done FROM crm_portfolio_analysis before
        WHERE before.company_id = run.company_id AND before.id <> run.id
          AND before.date <= run.date AND before.date_done <= run.date_done
          AND (rules.rule = 2 OR before.revenue_source = run.revenue_source)
        ORDER BY before.date DESC, before.id DESC
        LIMIT 5
    ) before
    WHERE run.date_done IS NOT NULL
    ORDER BY run.id, rules.rule, before.date DESC, before.id DESC
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


def followed_runs(cr):
    """({run: the run it followed}, runs no candidate explains, runs two candidates explain)."""
    candidates = {}
    cr.execute(CANDIDATES)
    for run_id, rule, candidate_id, same_second in cr.fetchall():
        candidates.setdefault(run_id, {}).setdefault(rule, []).append((candidate_id, same_second))
    followed, unexplained, ambiguous = {}, [], []
    checked = {}
    for run_id, rules in candidates.items():
        found = set()
        for rule_candidates in rules.values():
            for candidate_id, same_second in rule_candidates:
                key = (run_id, candidate_id)
                if key not in checked:
                    checked[key] = explains(cr, run_id, candidate_id)
                if checked[key]:
                    found.add(candidate_id)
                    break
                if not same_second:
                    break  # the rule's run: it does not explain this run
        if len(found) == 1:
            followed[run_id] = found.pop()
        elif found:
            ambiguous.append(run_id)
        else:
            unexplained.append(run_id)
    return followed, unexplained, ambiguous


def migrate(cr, version):
    # the runs' ids into the planner's statistics before their lines are joined run to run
    cr.execute("ANALYZE crm_portfolio_line (analysis_id, partner_id)")
    followed, unexplained, ambiguous = followed_runs(cr)
    updated = 0
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
        updated += cr.rowcount
    # a line without a class before did not move, as a run writes it
    cr.execute("UPDATE crm_portfolio_line SET abc_class_changed = FALSE WHERE abc_class_changed IS NULL")
    _logger.info(
        "Portfolio lines: the ABC class of the run before set on %s line(s) of %s run(s); left unset on "
        "the runs no candidate explains (%s) and those two candidates explain (%s)",
        updated,
        len(followed),
        unexplained,
        ambiguous,
    )
