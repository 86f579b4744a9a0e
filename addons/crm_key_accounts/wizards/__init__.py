from . import crm_key_account_selection
from . import crm_key_account_candidate
