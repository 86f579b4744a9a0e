from . import complaint_deadlines
from . import input_limits
from . import faq_words
from . import third_party_waits
