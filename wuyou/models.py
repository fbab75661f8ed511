"""Tables the domain packages share: the daily sequences behind human-readable numbers."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class NumberSequence(Model):
    """The last number handed out for a prefix on a civil day (numbers restart daily)."""

    id = fields.IntField(primary_key=True)
    prefix = fields.CharField(max_length=8)
    day = fields.DateField()
    value = fields.IntField(default=0)

    class Meta:
        table = "number_sequence"
        unique_together = (("prefix", "day"),)
