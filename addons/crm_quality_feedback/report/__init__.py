from . import crm_complaint_sla_report
