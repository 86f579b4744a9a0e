from . import crm_key_account_plan
from . import crm_key_account_objective
from . import crm_key_account_team_member
from . import crm_key_account_stakeholder
from . import crm_key_account_review
from . import crm_key_account_review_line
from . import res_partner
from . import res_config_settings
