from . import crm_portfolio_xlsx
from . import crm_sales_measure_report
from . import crm_retention_report
