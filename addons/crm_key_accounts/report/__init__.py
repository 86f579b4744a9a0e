from . import crm_key_account_plans_xlsx
