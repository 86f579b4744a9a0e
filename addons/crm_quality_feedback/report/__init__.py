from . import crm_complaint_sla_report
from . import crm_sales_measure_report
from . import crm_complaint_pareto_report
from . import crm_complaint_pareto_xlsx
from . import crm_service_blueprint_report
