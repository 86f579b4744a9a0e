from . import crm_portfolio_xlsx
