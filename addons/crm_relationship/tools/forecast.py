"""The sales forecast of J. Halstead Flooring, and how far a forecast was off. No database here.

A forecast for the coming months weighs what the customer ordered lately against what it
ordered in the same months a year before: ``forecast = w x recent + (1 - w) x a year ago``.
Over a run's three months, ``recent`` is the last three months' orders and ``a year ago`` the
forecast months one year back. Month by month, each forecast month gets a third of the last three
months (their monthly average) against that very month a year back, so that the three monthly
forecasts add up to the formula over the three months.

The error of a run is the mean absolute percentage error over the rows whose actual is known
and not zero (a percentage of nothing is undefined): ``mean(|actual - forecast| / actual)``.
"""

import math

# The default weight of the last three months: the rest goes to the same months a year back.
DEFAULT_WEIGHT = 0.6
# A run forecasts three months from the last three months.
FORECAST_MONTHS = 3


def weight_is_valid(weight):
    """Whether ``weight`` is a number from 0 to 1 (NaN is not)."""
    return isinstance(weight, int | float) and not math.isnan(weight) and 0.0 <= weight <= 1.0


def weighted_forecast(recent, year_ago, weight):
    """``weight x recent + (1 - weight) x year_ago``: 30,000 and 20,000 at 0.6 give 26,000."""
    if not weight_is_valid(weight):
        raise ValueError(f"The forecast weight is a number from 0 to 1, not {weight!r}.")
    return weight * recent + (1.0 - weight) * year_ago


def monthly_forecasts(recent_total, year_ago_months, weight):
    """One forecast per month: the monthly average of ``recent_total`` (the last
    ``len(year_ago_months)`` months' orders) weighed against each month's orders a year back.
    Their sum is ``weighted_forecast(recent_total, sum(year_ago_months), weight)``."""
    average = recent_total / len(year_ago_months)
    return [weighted_forecast(average, year_ago, weight) for year_ago in year_ago_months]


def absolute_percentage_error(forecast, actual):
    """``|actual - forecast| / |actual|`` in percent; None when the actual is zero (undefined)."""
    if not actual:
        return None
    return 100.0 * abs(actual - forecast) / abs(actual)


def mean_absolute_percentage_error(pairs):
    """The mean of the absolute percentage errors of ``(forecast, actual)`` pairs, in percent,
    over the pairs whose actual is not zero; None when there is none: 26,000 against 24,000
    gives 8.33."""
    errors = [error for forecast, actual in pairs if (error := absolute_percentage_error(forecast, actual)) is not None]
    return sum(errors) / len(errors) if errors else None
