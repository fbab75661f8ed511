"""schema/schema.graphql is the public contract; it must match the code."""

from schema import SDL_PATH, export_sdl


def test_committed_schema_is_current() -> None:
    assert SDL_PATH.read_text(encoding="utf-8") == export_sdl(), (
        "schema/schema.graphql is stale: run `wuyou export-schema` and review the diff"
    )
