from . import period
from . import forecast
