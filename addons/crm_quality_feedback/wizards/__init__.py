from . import crm_complaint_sla_compliance
from . import crm_complaint_sla_compliance_line
