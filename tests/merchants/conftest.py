"""Fixtures of the marketplace tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.merchants import market


@pytest.fixture
async def retire_providers(connected: str) -> AsyncIterator[None]:
    """Suspend the providers a test registered, so no later test finds them."""
    yield
    await market.retire_registered()
