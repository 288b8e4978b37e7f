"""Sync flight-log entries from a CSV file into a Flightline club, with the Python client.

    pip install ./clients/python
    export FLIGHTLINE_API_KEY=fl_...        # a read+write key of the club (Settings > API keys)
    python docs/examples/csv_flight_logs.py --url https://flightline.example.org --club demo \\
        docs/examples/flight_logs.csv [--dry-run]

Columns: date (YYYY-MM-DD), aircraft (registration), duration (hours: 1.5 is 1 h 30) and,
optionally, departure, arrival, landings, remarks, member (a member id or email; empty: the
key's own log). The API checks every value; this script only reads the file.

Running it again adds nothing twice: a row is skipped when the club's log already holds an
entry of the same date, aircraft, duration, departure and arrival (and member, when the row
names one). Each entry stands for one row, so two identical circuits flown the same day are
two rows and two entries. A row the API refuses is reported with the field and the reason,
and the others go on; the exit status is 1 when any row failed.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import requests
from flightline_client import ApiError, Client, Forbidden, RateLimited, Unauthorized, ValidationFailed

REQUIRED = ("date", "aircraft", "duration")
OPTIONAL = ("departure", "arrival", "landings", "remarks", "member")
Key = tuple  # (date, aircraft, minutes, departure, arrival)


class RowError(Exception):
    def __init__(self, field: str, issue: str):
        super().__init__(f"{field}: {issue}")
        self.field, self.issue = field, issue


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv_path")
    parser.add_argument("--url", required=True, help="the portal's address, e.g. https://flightline.example.org")
    parser.add_argument("--key", default=os.environ.get("FLIGHTLINE_API_KEY"),
                        help="a read+write API key (default: $FLIGHTLINE_API_KEY)")
    parser.add_argument("--club", required=True, help="the club's slug (as in its URLs)")
    parser.add_argument("--dry-run", action="store_true", help="say what would be added; add nothing")
    args = parser.parse_args()
    if not args.key:
        parser.error("give --key or set FLIGHTLINE_API_KEY")
    return args


def read_rows(path: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for every row, the column names lower-cased, values stripped."""
    with open(path, newline="", encoding="utf-8-sig") as handle:  # -sig: spreadsheets write a BOM
        reader = csv.DictReader(handle)
        columns = [(name or "").strip().lower() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED if name not in columns]
        if missing:
            sys.exit(f"{path}: missing column(s) {', '.join(missing)} (has: {', '.join(columns)})")
        reader.fieldnames = columns
        rows = []
        for row in reader:
            values = {k: (v or "").strip() for k, v in row.items() if k in REQUIRED + OPTIONAL}
            if any(values.values()):
                rows.append((reader.line_num, values))
        return rows


def minutes(hours) -> int | None:
    """Whole minutes, rounded as the API rounds (so 1.33 h here matches the 1.33 it answers)."""
    try:
        return int((Decimal(str(hours)) * 60).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError):
        return None


def key_of(d: str, aircraft: str, duration, departure: str, arrival: str) -> Key:
    return (d, aircraft.upper().replace(" ", "").replace("-", ""), minutes(duration), departure.upper(),
            arrival.upper())


def parses_as_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
        return len(text) == 10
    except ValueError:
        return False


def already_logged(club, rows) -> dict[Key, list[str]]:
    """The entries of the rows' date range, by key: the member ids of those with that key."""
    dates = sorted(row["date"] for _, row in rows if parses_as_date(row["date"]))
    present: dict[Key, list[str]] = defaultdict(list)
    if dates:
        for entry in club.flight_logs.list(start=dates[0], end=dates[-1], page_size=200):
            a = entry.attributes
            present[key_of(a["date"], a["aircraft"], a["duration"], a["departure"], a["arrival"])].append(
                a["member_id"])
    return present


def take(present: dict[Key, list[str]], key: Key, member: str | None) -> bool:
    """Whether an entry not yet matched to a row stands for this row (and match it)."""
    members = present.get(key, [])
    if member is None and members:
        members.pop()
        return True
    if member in members:
        members.remove(member)
        return True
    return False


def member_ids_by_email(club, rows) -> dict[str, str]:
    if not any("@" in row.get("member", "") for _, row in rows):
        return {}
    return {m.attributes["email"].lower(): m.id for m in club.members.list(page_size=200)}


def member_of(row: dict[str, str], by_email: dict[str, str]) -> str | None:
    given = row.get("member", "")
    if "@" in given:
        if given.lower() not in by_email:
            raise RowError("member", f"no member has the email {given}")
        return by_email[given.lower()]
    return given or None


def attributes_of(row: dict[str, str], member: str | None) -> dict[str, str]:
    attributes = {name: row[name] for name in REQUIRED + OPTIONAL if row.get(name)}
    if member is not None:
        attributes["member"] = member
    return attributes


def report(line: int, exc: Exception) -> None:
    if isinstance(exc, ValidationFailed):
        for error in exc.errors:
            print(f"line {line}: {error['field'] or '-'}: {error['issue']}")
    elif isinstance(exc, ApiError):
        print(f"line {line}: {exc.field or '-'}: {exc.message} ({exc.code})")
    else:
        print(f"line {line}: {exc}")


def main() -> int:
    args = parse_args()
    rows = read_rows(args.csv_path)
    club = Client(args.url, args.key).org(args.club)
    added = present_count = failed = 0
    try:
        present = already_logged(club, rows)
        by_email = member_ids_by_email(club, rows)
        for line, row in rows:
            try:
                member = member_of(row, by_email)
                if take(present, key_of(row["date"], row["aircraft"], row["duration"], row.get("departure", ""),
                                        row.get("arrival", "")), member):
                    present_count += 1
                    continue
                if args.dry_run:
                    print(f"line {line}: would add {row['date']} {row['aircraft']} {row['duration']} h")
                else:
                    entry = club.flight_logs.create(**attributes_of(row, member))
                    print(f"line {line}: added entry {entry.id}")
                added += 1
            except (Unauthorized, Forbidden, RateLimited):
                raise  # every other row would be refused the same way
            except (ApiError, RowError) as exc:
                report(line, exc)
                failed += 1
    except (Unauthorized, Forbidden, RateLimited) as exc:
        sys.exit(f"stopped: {exc.message} ({exc.code})")
    except ApiError as exc:  # reading the log or the members
        sys.exit(f"cannot read {args.club}'s flight log: {exc.message} ({exc.code})")
    except requests.RequestException as exc:
        sys.exit(f"cannot reach {args.url}: {exc}")
    print(f"{len(rows)} rows: {added} {'to add' if args.dry_run else 'added'}, {present_count} already present, "
          f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
