from . import period
from . import business_case
from . import forecast
