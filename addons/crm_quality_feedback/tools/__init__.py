from . import complaint_deadlines
from . import input_limits
from . import faq_words
