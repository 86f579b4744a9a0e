"""Portfolio lines read their company from their run and keep their suggestion as a strategy code.

The two columns become non-stored fields: the ORM leaves such columns in place (with the company's
NOT NULL, which would refuse every new line), so their values are carried over and they are dropped.
Lines written by earlier versions also get the analysis date they were missing.
"""

from odoo.tools import sql


def migrate(cr, version):
    if sql.column_exists(cr, "crm_portfolio_line", "suggested_strategy_id"):
        cr.execute(
            """
            UPDATE crm_portfolio_line line SET suggested_strategy = strategy.code
            FROM crm_relationship_strategy strategy
            WHERE strategy.id = line.suggested_strategy_id
            """
        )
        cr.execute("ALTER TABLE crm_portfolio_line DROP COLUMN suggested_strategy_id")
    if sql.column_exists(cr, "crm_portfolio_line", "company_id"):
        cr.execute("ALTER TABLE crm_portfolio_line DROP COLUMN company_id")
    cr.execute(
        """
        UPDATE crm_portfolio_line line SET analysis_date = analysis.date
        FROM crm_portfolio_analysis analysis
        WHERE analysis.id = line.analysis_id AND line.analysis_date IS DISTINCT FROM analysis.date
        """
    )
