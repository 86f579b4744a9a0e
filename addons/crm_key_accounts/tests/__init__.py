from . import test_attainment
from . import test_key_account_plan
from . import test_key_account_selection
from . import test_key_account_tour
from . import test_key_accounts_dashboard_tour
from . import test_datacard_decision_maker
