"""Working-day arithmetic for ticket deadlines (pure: no database, no I/O).

A :class:`WorkingCalendar` knows which civil days are working days: Monday to Friday,
minus public holidays, plus make-up working days (调休, a weekend day declared a working
day). Days are civil days in the calendar's time zone (the city's, UTC+8); moments in
and out are aware datetimes, and every datetime returned is in UTC.

Arithmetic is done on proleptic ordinals: plain weekdays are counted in closed form and
the calendar's exceptions (holidays on weekdays, make-up weekend days) are found by
bisection, so no call loops over days and cost does not grow with the span asked for.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from wuyou.clock import CITY_TIMEZONE

_ONE_DAY = timedelta(days=1)


def _weekdays_through(ordinal: int) -> int:
    """How many Mondays-to-Fridays lie in ordinals ``1..ordinal`` (ordinal 1 is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _plus_weekdays(ordinal: int, count: int) -> int:
    """The ``count``-th Monday-to-Friday strictly after ``ordinal`` (``count >= 1``)."""
    weekday = (ordinal - 1) % 7
    if weekday >= 5:  # from a weekend, count as if from the Friday before
        ordinal -= weekday - 4
        weekday = 4
    weeks, rest = divmod(weekday + count, 5)
    return ordinal - weekday + weeks * 7 + rest


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {moment!r}")


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days: Monday to Friday, minus ``holidays``, plus ``workdays`` (调休)."""

    holidays: frozenset[date] = frozenset()
    """Days off that would otherwise be working days (weekend dates are harmless)."""
    workdays: frozenset[date] = frozenset()
    """Weekend days declared working days (weekday dates are harmless)."""
    timezone: tzinfo = CITY_TIMEZONE
    """Where civil days begin and end."""

    _exceptions: tuple[int, ...] = field(init=False, repr=False, compare=False)
    """Sorted ordinals of holidays on weekdays and make-up days on weekends."""
    _shifts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    """``_shifts[i]``: make-up days minus holidays among the first ``i`` exceptions."""
    _ranks: tuple[int, ...] = field(init=False, repr=False, compare=False)
    """:meth:`_rank` of each exception."""

    def __post_init__(self) -> None:
        holidays, workdays = frozenset(self.holidays), frozenset(self.workdays)
        if clash := holidays & workdays:
            raise ValueError(f"days both holiday and working day: {sorted(clash)}")
        off = {d.toordinal() for d in holidays if d.weekday() < 5}
        on = {d.toordinal() for d in workdays if d.weekday() >= 5}
        exceptions = tuple(sorted(off | on))
        shifts = [0]
        for ordinal in exceptions:
            shifts.append(shifts[-1] + (1 if ordinal in on else -1))
        ranks = tuple(_weekdays_through(o) + shifts[i + 1] for i, o in enumerate(exceptions))
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "workdays", workdays)
        object.__setattr__(self, "_exceptions", exceptions)
        object.__setattr__(self, "_shifts", tuple(shifts))
        object.__setattr__(self, "_ranks", ranks)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day."""
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return date.fromordinal(self._nth_after(day.toordinal(), 1))

    def working_day_on_or_after(self, day: date) -> date:
        """``day`` itself if it is a working day, else the next one."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def local_date(self, moment: datetime) -> date:
        """The civil day (in :attr:`timezone`) of an aware ``moment``."""
        _require_aware(moment, "moment")
        return moment.astimezone(self.timezone).date()

    def end_of_day(self, day: date) -> datetime:
        """The end of civil ``day``: local midnight starting the next day, in UTC."""
        return datetime.combine(day + _ONE_DAY, time(), tzinfo=self.timezone).astimezone(UTC)

    def add_working_days(self, moment: datetime, days: int) -> datetime:
        """The deadline "within ``days`` working days" of ``moment``, in UTC.

        The end of the ``days``-th working day after ``moment``'s local day; ``days == 0``
        is the same working day (the end of that day, or of the next working day).
        """
        if days < 0:
            raise ValueError(f"days must not be negative, got {days}")
        start = self.local_date(moment)
        if days == 0:
            return self.end_of_day(self.working_day_on_or_after(start))
        return self.end_of_day(date.fromordinal(self._nth_after(start.toordinal(), days)))

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Working days after ``start``'s local day up to and including ``end``'s (0 if
        ``end <= start``)."""
        first, last = self.local_date(start), self.local_date(end)
        if end <= start or last <= first:
            return 0
        return self._count(first.toordinal(), last.toordinal())

    def _rank(self, ordinal: int) -> int:
        """Working days in ordinals ``1..ordinal``: a running count, only differences matter."""
        return _weekdays_through(ordinal) + self._shifts[bisect_right(self._exceptions, ordinal)]

    def _count(self, after: int, through: int) -> int:
        """Working days in ordinals ``(after, through]``."""
        return self._rank(through) - self._rank(after)

    def _nth_after(self, ordinal: int, count: int) -> int:
        """The ordinal of the ``count``-th working day strictly after ``ordinal``."""
        exceptions = self._exceptions
        target = self._rank(ordinal) + count
        # The first exception already at the target rank; before it and after the one
        # preceding it (or ``ordinal``) every working day is a plain weekday.
        index = bisect_left(self._ranks, target)
        base, base_rank = ordinal, target - count
        if index and exceptions[index - 1] > ordinal:
            base, base_rank = exceptions[index - 1], self._ranks[index - 1]
        found = _plus_weekdays(base, target - base_rank)
        if index < len(exceptions) and found >= exceptions[index]:
            return exceptions[index]  # a make-up day completes the count
        return found
