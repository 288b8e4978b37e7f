"""Loading bench/scale.py's rows into a migrated PostgreSQL database with COPY.

One transaction truncates the tables, drops their secondary indexes and constraints (the
primary keys and CHECK constraints stay, so PostgreSQL checks every row against the models'
checks), and COPYs FREEZE the rows (pages written all-visible: index-only scans work at once,
no VACUUM). Then two connections rebuild the indexes and constraints, exactly as the
migrations defined them (read back from the catalog before dropping): the exclusion
constraint `booking_aircraft_no_overlap` proves no two bookings of an aircraft overlap, and
re-adding the foreign keys checks every reference in one pass.
"""

import time
from concurrent.futures import ThreadPoolExecutor

import psycopg

from bench import scale_rows

BLOCK_LINES = 20_000


def _definitions(conn, table: str) -> tuple[list[str], list[str], list[str]]:
    """(drop statements, index statements, constraint statements) for table's secondary
    indexes and its unique, exclusion and foreign-key constraints."""
    constraints = conn.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'x', 'f')", [table]).fetchall()
    owned = {name for name, kind, _ in constraints if kind in "ux"}
    indexes = conn.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary", [table]).fetchall()
    drops = [f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"' for name, _, _ in constraints]
    drops += [f'DROP INDEX "{name}"' for name, _ in indexes if name not in owned]
    creates = [definition for name, definition in indexes if name not in owned]
    adds = [f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}' for name, kind, definition in constraints
            if kind in "ux"]
    keys = [f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}' for name, kind, definition in constraints
            if kind == "f"]
    return drops, creates + adds, keys


def _copy(conn, table, rows) -> int:
    columns = ", ".join(f'"{c}"' for c in table.columns)
    count = 0
    with conn.cursor().copy(f'COPY "{table.name}" ({columns}) FROM STDIN WITH (FREEZE)') as copy:
        block = []
        for line in table.lines(rows):
            block.append(line)
            if len(block) == BLOCK_LINES:
                copy.write("".join(block))
                count += len(block)
                block = []
        copy.write("".join(block))
        count += len(block)
    return count


def _run_all(url: str, statements: list[str], log, workers: int = 2) -> None:
    """Run statements on `workers` connections, longest first (the exclusion constraint)."""
    def run(sql: str) -> None:
        began = time.perf_counter()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '512MB'")
            conn.execute(sql)
        if time.perf_counter() - began > 5:
            log(f"    {time.perf_counter() - began:.0f} s: {sql[:110]}")

    # The exclusion constraint's ALTER TABLE locks the table: build the table's other
    # indexes first, both connections busy, then the GiST alone.
    ordered = sorted(statements, key=lambda sql: "EXCLUDE" in sql)
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, ordered))


def load(url: str, clubs: list[int], schedule, log) -> dict[str, int]:
    """COPY the clubs' rows into the migrated database at url; rows per table."""
    plan = scale_rows.tables(clubs, schedule)
    names = [table.name for table, _ in plan]
    counts = {}
    with psycopg.connect(url) as conn:
        conn.execute("SET synchronous_commit = off")
        definitions = {name: _definitions(conn, name) for name in names}
        conn.execute("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " CASCADE")
        for drops, _, _ in definitions.values():
            for sql in drops:
                conn.execute(sql)
        for table, rows in plan:
            began = time.perf_counter()
            counts[table.name] = _copy(conn, table, rows)
            log(f"  COPY {table.name}: {counts[table.name]:,} rows in {time.perf_counter() - began:.1f} s")
        for name in names:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                         f"(SELECT coalesce(max(id), 0) + 1 FROM \"{name}\"), false)")
        conn.commit()
    began = time.perf_counter()
    _run_all(url, [sql for _, creates, _ in definitions.values() for sql in creates], log)
    log(f"  indexes, unique and exclusion constraints in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    _run_all(url, [sql for _, _, keys in definitions.values() for sql in keys], log)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    log(f"  foreign keys checked and ANALYZE in {time.perf_counter() - began:.1f} s")
    return counts
