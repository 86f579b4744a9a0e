from . import main
from . import portal
from . import announcement
from . import faq
