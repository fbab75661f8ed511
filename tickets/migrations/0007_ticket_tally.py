"""``ticket_tally``: how many tickets each place holds in each status, kept by triggers on
``ticket`` (see tickets/tally.py), filled from the tickets already there.

The triggers are created before the tally is filled, in the migration's transaction: on
PostgreSQL ``CREATE TRIGGER`` locks the table against writes until it commits, so no
ticket changes between the two.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

_SQLITE = """
CREATE TABLE ticket_tally (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    area_path VARCHAR(255) NOT NULL,
    status VARCHAR(12) NOT NULL,
    n INT NOT NULL
);
CREATE TRIGGER ticket_tally_insert AFTER INSERT ON ticket BEGIN
    INSERT INTO ticket_tally (area_path, status, n) VALUES (NEW.area_path, NEW.status, 1);
END;
CREATE TRIGGER ticket_tally_delete AFTER DELETE ON ticket BEGIN
    INSERT INTO ticket_tally (area_path, status, n) VALUES (OLD.area_path, OLD.status, -1);
END;
CREATE TRIGGER ticket_tally_update AFTER UPDATE OF area_path, status ON ticket
WHEN OLD.area_path IS NOT NEW.area_path OR OLD.status IS NOT NEW.status BEGIN
    INSERT INTO ticket_tally (area_path, status, n)
    VALUES (OLD.area_path, OLD.status, -1), (NEW.area_path, NEW.status, 1);
END;
"""

_POSTGRES = """
CREATE TABLE ticket_tally (
    id BIGSERIAL PRIMARY KEY,
    area_path VARCHAR(255) COLLATE "C" NOT NULL,
    status VARCHAR(12) NOT NULL,
    n INT NOT NULL
);
CREATE FUNCTION ticket_tally_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO ticket_tally (area_path, status, n) VALUES (OLD.area_path, OLD.status, -1);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO ticket_tally (area_path, status, n) VALUES (NEW.area_path, NEW.status, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION ticket_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ticket_tally;
    RETURN NULL;
END $$;
CREATE TRIGGER ticket_tally_insert_delete AFTER INSERT OR DELETE ON ticket
    FOR EACH ROW EXECUTE FUNCTION ticket_tally_row();
CREATE TRIGGER ticket_tally_update AFTER UPDATE OF area_path, status ON ticket
    FOR EACH ROW
    WHEN (OLD.area_path IS DISTINCT FROM NEW.area_path OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION ticket_tally_row();
CREATE TRIGGER ticket_tally_truncate AFTER TRUNCATE ON ticket
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_tally_truncate();
"""

_FILL = """INSERT INTO ticket_tally (area_path, status, n)
SELECT area_path, status, COUNT(*) FROM ticket GROUP BY area_path, status"""

_DROP = {
    "sqlite": """DROP TRIGGER ticket_tally_insert; DROP TRIGGER ticket_tally_delete;
        DROP TRIGGER ticket_tally_update; DROP TABLE ticket_tally""",
    "postgres": """DROP TRIGGER ticket_tally_insert_delete ON ticket;
        DROP TRIGGER ticket_tally_update ON ticket; DROP TRIGGER ticket_tally_truncate ON ticket;
        DROP FUNCTION ticket_tally_row(); DROP FUNCTION ticket_tally_truncate();
        DROP TABLE ticket_tally""",
}


async def create_tally(apps, schema_editor) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    await client.execute_script(_POSTGRES if dialect == "postgres" else _SQLITE)
    await client.execute_script(_FILL)


async def drop_tally(apps, schema_editor) -> None:
    client = schema_editor.client
    await client.execute_script(_DROP[client.capabilities.dialect])


class Migration(migrations.Migration):
    dependencies = [("tickets", "0006_list_and_figure_indexes")]

    initial = False

    operations = [ops.RunPython(create_tally, drop_tally)]
