from . import crm_strategy_assign
from . import crm_portfolio_run
from . import crm_relationship_level_place
