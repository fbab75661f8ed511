"""Which department each demo ticket goes to, and which an agent may send it to by mistake.

Routing (:func:`tickets.routing.responsible_department`) is asked once per key and place
before the tickets live, so living them needs no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from grids.catalogue import DepartmentRecord
from grids.models import Department
from tickets.demo.draw import Draft
from tickets.routing import responsible_department

#: Where an agent sends a ticket by mistake, by the key of the body it belongs to.
_CONFUSED_WITH = {
    "CG": "ZJ", "ZJ": "CG", "HJ": "CG", "GA": "CG", "SQ": "JD", "JD": "CG", "RL": "ZJ",
    "GS": "CG", "SCJG": "CG", "RS": "MZ", "MZ": "RS", "WJ": "YB", "YB": "WJ", "JT": "GA",
    "XFZD": "YJ", "YJ": "ZJ", "ZR": "HJ", "LC": "ZR", "NM": "ZR", "JY": "RS", "GJ": "JT",
}  # fmt: skip


class Router:
    """:func:`~tickets.routing.responsible_department`, asked once per key and place.

    Routing walks up from a ticket's place to the nearest body with the category's key;
    where no body with a key sits below some level, the answer for that key depends only
    on the place's path down to that level, so it is asked once per such path.
    """

    def __init__(self, depths: dict[str, int]) -> None:
        self._depths = depths  # the deepest level (1: the city) a body with each key sits at
        self._found: dict[tuple[str, str], DepartmentRecord | None] = {}
        self._known: dict[tuple[str, str], DepartmentRecord | None] = {}  # by key and path

    def _scope(self, key: str, path: str) -> tuple[str, str]:
        codes = path.rstrip("/").split("/")[: self._depths.get(key, 1)] if path else []
        return key, "".join(f"{code}/" for code in codes)

    async def learn(self, wanted: Iterable[tuple[str | None, str]]) -> None:
        """Ask routing about every (key, place) not asked yet."""
        for key, path in wanted:
            if key and (scope := self._scope(key, path)) not in self._found:
                self._found[scope] = await responsible_department(*scope)

    def __call__(self, key: str | None, path: str) -> DepartmentRecord | None:
        if not key:
            return None
        if (key, path) not in self._known:
            self._known[key, path] = self._found.get(self._scope(key, path))
        return self._known[key, path]


async def router_for(drafts: Sequence[Draft]) -> Router:
    """A router that has asked routing about every place the drafts may go to."""
    depths: dict[str, int] = {}
    for row in await Department.filter(is_active=True).values("code", "area__path"):
        key = str(row["code"]).rsplit("-", 1)[-1]
        depth = len(str(row["area__path"]).rstrip("/").split("/"))
        depths[key] = max(depths.get(key, 1), depth)
    router = Router(depths)
    await router.learn(_routes(drafts))
    return router


def destinations(router: Router, drafts: Sequence[Draft]) -> list[DepartmentRecord]:
    """The departments the drafts may go to (the wrong ones of the misrouted too), each once
    in the order first found."""
    found: dict[int, DepartmentRecord] = {}
    for key, path in _routes(drafts):
        department = router(key, path)
        if department is not None:
            found[department.id] = department
    return list(found.values())


def wrong_keys(key: str | None) -> list[str]:
    """The keys of the bodies an agent may mistake the one with ``key`` for."""
    confused = _CONFUSED_WITH.get(key or "")
    return [*([confused] if confused else []), "CG", "ZJ"]


def _routes(drafts: Iterable[Draft]) -> Iterator[tuple[str | None, str]]:
    """Every (key, path) the drafts may be routed by, the wrong ones of the misrouted too."""
    for draft in drafts:
        path = draft.grid.path if draft.grid else ""
        yield draft.leaf.key, path
        if draft.misrouted:
            yield from ((key, path) for key in wrong_keys(draft.leaf.key))
