"""Time a complaint waited for third parties (suppliers, carriers, software vendors).

No database here: the caller hands the requests of each complaint as (asked at, answered at)
pairs, naive UTC; ``None`` as the answer means the request is still open.

The rule: the waits are a union of intervals. Two requests running at the same time (the
supplier and the carrier asked the same morning) make the complaint wait once, not twice. A
request still open waits until ``until`` (now, or the complaint's resolution); nothing after
``until`` counts, since the complaint no longer waited then.
"""

from datetime import timedelta


def merged_waits(requests, until):
    """The waits as disjoint (start, stop) intervals in time order, none past ``until``."""
    spans = sorted((asked, min(answered or until, until)) for asked, answered in requests if asked and asked < until)
    merged = []
    for start, stop in spans:
        if stop <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def waiting_hours(requests, until, window=None):
    """Hours waited for third parties up to ``until``; with ``window`` (start, stop), only the
    part of the waits inside it (e.g. the late time between the first deadline and the answer)."""
    total = timedelta()
    for start, stop in merged_waits(requests, until):
        if window:
            start, stop = max(start, window[0]), min(stop, window[1])
        if stop > start:
            total += stop - start
    return total.total_seconds() / 3600.0
