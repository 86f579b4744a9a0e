from . import crm_complaint_sla_report
from . import crm_sales_measure_report
