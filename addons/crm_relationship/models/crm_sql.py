"""SQL fragments shared by the modules that aggregate invoices."""

# The unit cost (company currency) of an invoice line, from the order line it invoices:
# Community keeps no cost on invoice lines, the order line's purchase price is the margin's base.
INVOICE_LINE_UNIT_COST = """
    LEFT JOIN LATERAL (
        SELECT sol.purchase_price / COALESCE(NULLIF(so.currency_rate, 0), 1) AS unit_cost
        FROM sale_order_line_invoice_rel rel
        JOIN sale_order_line sol ON sol.id = rel.order_line_id
        JOIN sale_order so ON so.id = sol.order_id
        WHERE rel.invoice_line_id = aml.id
        LIMIT 1
    ) cost ON TRUE
"""
