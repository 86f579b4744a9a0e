from . import crm_quality_action
from . import crm_quality_cost
from . import helpdesk_ticket
from . import res_company
from . import res_config_settings
