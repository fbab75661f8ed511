"""Areas (city → district → street → community → grid), their spatial index,
grid workers, departments and intake channels."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

CODE_MAX_LENGTH = 32
NAME_MAX_LENGTH = 64


class AreaLevel(StrEnum):
    CITY = "CITY"
    DISTRICT = "DISTRICT"
    STREET = "STREET"
    COMMUNITY = "COMMUNITY"
    GRID = "GRID"


class GridType(StrEnum):
    COMMUNITY = "COMMUNITY"
    RURAL = "RURAL"
    DEDICATED = "DEDICATED"


class DepartmentLevel(StrEnum):
    CITY = "CITY"
    DISTRICT = "DISTRICT"
    STREET = "STREET"
    COMMUNITY = "COMMUNITY"


class ChannelKind(StrEnum):
    HOTLINE = "HOTLINE"
    ONLINE = "ONLINE"
    GRID = "GRID"
    WALK_IN = "WALK_IN"


class Area(Model):
    """One node of the hierarchy, with its GeoJSON boundary and bounding box."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=CODE_MAX_LENGTH, unique=True)
    name = fields.CharField(max_length=NAME_MAX_LENGTH)
    level = fields.CharEnumField(AreaLevel, max_length=16, db_index=True)
    grid_type = fields.CharEnumField(GridType, max_length=16, null=True)
    parent: fields.ForeignKeyNullableRelation[Area] = fields.ForeignKeyField(
        "grids.Area", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    # Codes from the root down to this area, each followed by "/": "150300/150302/".
    # Descendants of X are the rows whose path starts with X's path.
    path = fields.CharField(max_length=255, db_index=True)
    population = fields.IntField(default=0)
    # What a dedicated grid serves (a hospital, a school, an industrial park ...).
    description = fields.CharField(max_length=255, default="")
    # GeoJSON Polygon or MultiPolygon geometry, coordinates as [lng, lat].
    boundary: fields.JSONField[dict[str, Any]] = fields.JSONField()
    centroid_lat = fields.FloatField()
    centroid_lng = fields.FloatField()
    min_lat = fields.FloatField()
    min_lng = fields.FloatField()
    max_lat = fields.FloatField()
    max_lng = fields.FloatField()
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "area"


class GridCell(Model):
    """Spatial index: which grids' bounding boxes touch a lattice cell (see grids.geometry)."""

    id = fields.BigIntField(primary_key=True)
    cell = fields.BigIntField(db_index=True)
    area: fields.ForeignKeyRelation[Area] = fields.ForeignKeyField(
        "grids.Area", related_name="cells", on_delete=fields.CASCADE
    )

    class Meta:
        table = "grid_cell"
        unique_together = (("cell", "area"),)


class GridWorker(Model):
    """A grid-worker account and the grid it currently serves (none while unassigned)."""

    id = fields.IntField(primary_key=True)
    account: fields.OneToOneRelation = fields.OneToOneField(
        "accounts.Account", related_name="grid_worker", on_delete=fields.RESTRICT
    )
    grid: fields.ForeignKeyNullableRelation[Area] = fields.ForeignKeyField(
        "grids.Area", related_name="grid_workers", null=True, on_delete=fields.RESTRICT
    )
    grid_id: int | None
    # 专职 (full-time) or 兼职 (part-time) and similar local titles.
    title = fields.CharField(max_length=32, default="专职网格员")
    assigned_at = fields.DatetimeField(null=True)

    class Meta:
        table = "grid_worker"
        indexes = (("grid_id",),)


class GridAssignmentEvent(Model):
    """History of grid-worker assignments: from which grid to which, by whom, when."""

    id = fields.BigIntField(primary_key=True)
    worker: fields.ForeignKeyRelation[GridWorker] = fields.ForeignKeyField(
        "grids.GridWorker", related_name="events", on_delete=fields.RESTRICT
    )
    from_grid: fields.ForeignKeyNullableRelation[Area] = fields.ForeignKeyField(
        "grids.Area", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    to_grid: fields.ForeignKeyNullableRelation[Area] = fields.ForeignKeyField(
        "grids.Area", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    actor: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.Account", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    note = fields.CharField(max_length=255, default="")
    occurred_at = fields.DatetimeField()

    class Meta:
        table = "grid_assignment_event"


class Department(Model):
    """A body that handles tickets: a department, a street office or a community committee."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=CODE_MAX_LENGTH, unique=True)
    name = fields.CharField(max_length=NAME_MAX_LENGTH)
    short_name = fields.CharField(max_length=16)
    level = fields.CharEnumField(DepartmentLevel, max_length=16)
    area: fields.ForeignKeyRelation[Area] = fields.ForeignKeyField(
        "grids.Area", related_name="departments", on_delete=fields.RESTRICT
    )
    duty_phone = fields.CharField(max_length=20, default="")
    is_active = fields.BooleanField(default=True)
    sort_order = fields.IntField(default=0)

    class Meta:
        table = "department"


class DepartmentMember(Model):
    """A department-staff account and the department it works for."""

    id = fields.IntField(primary_key=True)
    account: fields.OneToOneRelation = fields.OneToOneField(
        "accounts.Account", related_name="department_member", on_delete=fields.RESTRICT
    )
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "grids.Department", related_name="members", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "department_member"


class Channel(Model):
    """A way a request reaches the platform: a merged hotline, an online channel, a grid
    worker's report or a walk-in counter."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=CODE_MAX_LENGTH, unique=True)
    name = fields.CharField(max_length=NAME_MAX_LENGTH)
    kind = fields.CharEnumField(ChannelKind, max_length=16, db_index=True)
    # The dialled number for hotlines ("12315"), empty otherwise.
    number = fields.CharField(max_length=20, default="")
    # The department or enterprise whose line was merged into 12345, if any.
    department: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "grids.Department", related_name="channels", null=True, on_delete=fields.RESTRICT
    )
    is_active = fields.BooleanField(default=True)
    sort_order = fields.IntField(default=0)

    class Meta:
        table = "channel"


class ChannelAccount(Model):
    """A channel integration's service account and the one channel it submits on."""

    id = fields.IntField(primary_key=True)
    account: fields.OneToOneRelation = fields.OneToOneField(
        "accounts.Account", related_name="channel_binding", on_delete=fields.RESTRICT
    )
    channel: fields.ForeignKeyRelation[Channel] = fields.ForeignKeyField(
        "grids.Channel", related_name="accounts", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "channel_account"


class SafetyIndexSetting(Model):
    """The safety index's weights and scales as administrators configured them."""

    # One row (no row: the documented defaults). Like the SLA policy, the numbers are
    # checked together and saved whole with a conditional update on ``version``.
    id = fields.IntField(primary_key=True)
    settings: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    version = fields.IntField()
    updated_at = fields.DatetimeField()
    updated_by: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, on_delete=fields.RESTRICT
    )

    class Meta:
        table = "safety_index_setting"
