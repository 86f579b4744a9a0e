from . import period
from . import business_case
