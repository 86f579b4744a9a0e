from . import test_complaint
from . import test_quality_action
from . import test_quality_measures
from . import test_complaint_portal
from . import test_complaint_follow_through
from . import test_complaint_tour
from . import test_complaint_attacks
from . import test_complaint_deadlines
