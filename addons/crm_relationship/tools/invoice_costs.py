"""The costs of customer invoice lines that existed before ``account_invoice_margin``.

When OCA's ``account_invoice_margin`` is installed into a database that already holds invoices,
its hook leaves their lines without a cost and counts their whole untaxed amount as margin. The
invoice revenue source reads the margin kept on the invoices, so this gives such lines the cost
the product used to read for them, the cost of the first order line they invoice (no cost
without an order line), and recomputes their margins and their invoices' as
``account_invoice_margin`` and ``account_invoice_margin_sale`` compute them: a line's margin is
its subtotal less its quantity at its cost, negative on a credit note; a down payment has no
margin; an invoice's margin is the sum of its lines'. Lines that already have a cost are left
alone. Two statements, whatever the number of invoices.
"""


def cost_invoice_lines(cr):
    cr.execute(
        """
        WITH uncosted AS (
            SELECT aml.id, aml.move_id, aml.price_subtotal, aml.quantity,
                   CASE WHEN am.move_type = 'out_refund' THEN -1 ELSE 1 END AS sign,
                   COALESCE(sol.purchase_price, 0) AS cost, COALESCE(sol.is_downpayment, FALSE) AS is_downpayment
            FROM account_move_line aml
            JOIN account_move am ON am.id = aml.move_id
            -- the first order line the line invoices: one index lookup per line, whatever the
            -- planner's estimates (the cost columns are new: no statistics on them yet)
            LEFT JOIN LATERAL (
                SELECT rel.order_line_id FROM sale_order_line_invoice_rel rel
                WHERE rel.invoice_line_id = aml.id ORDER BY rel.order_line_id LIMIT 1
            ) first_order_line ON TRUE
            LEFT JOIN sale_order_line sol ON sol.id = first_order_line.order_line_id
            WHERE aml.purchase_price IS NULL AND aml.display_type = 'product'
              AND am.move_type IN ('out_invoice', 'out_refund')
        ),
        costed AS (
            SELECT id, move_id, price_subtotal, sign, cost,
                   CASE WHEN is_downpayment THEN 0 ELSE price_subtotal - cost * quantity END AS margin
            FROM uncosted
        )
        UPDATE account_move_line aml
        SET purchase_price = costed.cost,
            margin = costed.margin,
            margin_signed = costed.margin * costed.sign,
            margin_percent = CASE WHEN costed.price_subtotal <> 0 THEN costed.margin / costed.price_subtotal * 100
                                  ELSE 0 END
        FROM costed
        WHERE costed.id = aml.id
        RETURNING aml.move_id
        """
    )
    move_ids = list({move_id for (move_id,) in cr.fetchall()})
    if not move_ids:
        return
    cr.execute(
        """
        UPDATE account_move am
        SET margin = lines.margin,
            margin_signed = lines.margin_signed,
            margin_percent = CASE WHEN lines.subtotal <> 0 THEN lines.margin_signed / lines.subtotal * 100 ELSE 0 END
        FROM (
            SELECT aml.move_id, SUM(COALESCE(aml.margin, 0)) AS margin,
                   SUM(COALESCE(aml.margin_signed, 0)) AS margin_signed, SUM(aml.price_subtotal) AS subtotal
            FROM account_move_line aml
            WHERE aml.move_id = ANY(%s) AND aml.display_type IN ('product', 'line_section', 'line_note')
              AND NOT EXISTS (
                  SELECT 1 FROM sale_order_line_invoice_rel rel
                  JOIN sale_order_line sol ON sol.id = rel.order_line_id
                  WHERE rel.invoice_line_id = aml.id AND sol.is_downpayment)
            GROUP BY aml.move_id
        ) lines
        WHERE lines.move_id = am.id
        """,
        [move_ids],
    )
