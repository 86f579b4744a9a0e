"""Installation hooks."""

from .tools.invoice_costs import cost_invoice_lines


def post_init_hook(env):
    """Invoices posted before ``account_invoice_margin`` was installed get their lines' costs."""
    cost_invoice_lines(env.cr)
