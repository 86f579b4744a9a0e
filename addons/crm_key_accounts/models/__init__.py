from . import crm_key_account_plan
from . import res_partner
