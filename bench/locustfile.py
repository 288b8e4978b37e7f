"""The users of bench/load.py (run by it: `locust --headless -f bench/locustfile.py`).

LOAD_STATE names the JSON that bench/load.py wrote (club, API key, aircraft, crew, the
bookings Wi-Flight's flights match); every write a user was told succeeded goes, one JSON
line, into LOAD_JOURNAL, which bench/load.py checks against the database afterwards.

- Dispatcher: the board, and new, moved and cancelled bookings through the pages' forms
  (CSRF token from the cookie, as a browser's form carries it). Each booking takes the next
  free slot of a lane no one else uses, so a refusal is a real error, not a race.
- Pilot: their flights, a flight's page, their bookings.
- (Dispatchers also read the bookings and flights lists.)
- ApiClient: lists bookings (a window, and changed_since), creates flight-log entries.
- Baseline: one user asking /healthz (one SELECT 1) twice a second throughout, the
  baseline every endpoint's p50 is divided by: the same machine, load and moment.
- WiFlight: records a flight over one of the seeded bookings at the simulator (/sim/flights);
  the simulator's delivery loop sends the notification to the portal.
"""

import http.cookiejar
import itertools
import json
import os
import random
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from locust import HttpUser, between, task

STATE = json.loads(open(os.environ["LOAD_STATE"]).read())
JOURNAL = open(os.environ["LOAD_JOURNAL"], "a", buffering=1)
CLUB = f"/o/{STATE['club']}"
TZ = ZoneInfo(STATE["timezone"])
FIRST_DAY = date.fromisoformat(STATE["lanes_first_day"])
SLOTS_PER_DAY = 6  # 06:00, 08:00, ... 16:00 local, 90 minutes each
SLOTS = itertools.count()  # one process, greenlets: a plain counter hands out unique slots
TARGETS = iter(STATE["targets"])
FLIGHT_LINK = re.compile(rf'href="{CLUB}/flights/(\d+)/"')
BOOKING_PK = re.compile(r"#booking-(\d+)$")
BASELINE = "baseline: /healthz"


def journal(**entry) -> None:
    JOURNAL.write(json.dumps(entry) + "\n")


# Production cookies are Secure and the stack under test is plain HTTP on loopback: in this
# load-test process only, send them anyway (requests copies the session's cookies into a fresh
# jar for every request, so a policy set on the session's jar would not survive).
http.cookiejar.DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


def next_slot() -> tuple[dict, int, datetime, datetime]:
    """The next unused (time, aircraft, crew): each time has one aircraft per crew member."""
    n = next(SLOTS)
    aircraft, crew = STATE["aircraft"][n % len(STATE["aircraft"])], STATE["crew"][n % len(STATE["crew"])]
    row = n // len(STATE["aircraft"])
    day = FIRST_DAY + timedelta(days=row // SLOTS_PER_DAY)
    start = datetime(day.year, day.month, day.day, 6 + 2 * (row % SLOTS_PER_DAY), tzinfo=TZ)
    return aircraft, crew, start, start + timedelta(minutes=90)


def local(moment: datetime) -> str:
    return moment.astimezone(TZ).strftime("%Y-%m-%dT%H:%M")


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


class SignedIn(HttpUser):
    abstract = True
    username = ""

    def on_start(self):
        self.client.get("/accounts/login/", name="sign-in form")
        with self.client.post("/accounts/login/", name="sign in", allow_redirects=False, catch_response=True,
                              data={"login": self.username, "password": STATE["password"],
                                    "csrfmiddlewaretoken": self.csrf()}) as r:
            if r.status_code != 302:
                r.failure(f"sign-in as {self.username}: {r.status_code}")

    def csrf(self) -> str:
        return self.client.cookies.get("flightline_csrftoken", "")

    def page(self, url: str, name: str):
        """GET a page; a 200 that is really the sign-in page (signed out) is an error."""
        with self.client.get(url, name=name, catch_response=True) as r:
            if r.ok and "/accounts/login/" in r.url:
                r.failure(f"signed out: {url} answered the sign-in page")
        return r


class Dispatcher(SignedIn):
    weight = 6
    wait_time = between(0.5, 2)
    username = "dispatcher"

    def on_start(self):
        super().on_start()
        self.mine: list[int] = []

    def _form(self, aircraft, crew, start, end) -> dict:
        return {"csrfmiddlewaretoken": self.csrf(), "aircraft": aircraft["id"], "start": local(start),
                "end": local(end), "pic": crew, "purpose": "rental",
                "notes": "load"}

    @task(4)
    def board(self):
        day = FIRST_DAY + timedelta(days=random.randrange(0, 10))
        self.page(f"{CLUB}/board/?date={day.isoformat()}", name="board (day)")

    @task(1)
    def board_week(self):
        self.page(f"{CLUB}/board/?view=week", name="board (week)")

    @task(1)
    def booking_list(self):
        self.page(f"{CLUB}/bookings/", name="bookings list")

    @task(1)
    def flight_list(self):
        self.page(f"{CLUB}/flights/", name="flights list")

    @task(4)
    def book(self):
        aircraft, crew, start, end = next_slot()
        self.page(f"{CLUB}/bookings/new/", name="booking form (new)")
        with self.client.post(f"{CLUB}/bookings/new/", data=self._form(aircraft, crew, start, end),
                              name="book (form POST)", allow_redirects=False, catch_response=True) as r:
            found = BOOKING_PK.search(r.headers.get("Location", "")) if r.status_code == 302 else None
            if not found:
                r.failure(f"booking refused: {r.status_code} {r.text[:300]!r}")
                return
            pk = int(found.group(1))
        self.mine.append(pk)
        journal(op="create", pk=pk, aircraft=aircraft["id"], start=utc_iso(start), end=utc_iso(end))

    @task(2)
    def move(self):
        if not self.mine:
            return
        pk = random.choice(self.mine)
        aircraft, crew, start, end = next_slot()
        self.page(f"{CLUB}/bookings/{pk}/edit/", name="booking form (edit)")
        with self.client.post(f"{CLUB}/bookings/{pk}/edit/", data=self._form(aircraft, crew, start, end),
                              name="move (form POST)", allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"move refused: {r.status_code} {r.text[:300]!r}")
                return
        journal(op="move", pk=pk, aircraft=aircraft["id"], start=utc_iso(start), end=utc_iso(end))

    @task(1)
    def cancel(self):
        if len(self.mine) < 3:
            return
        pk = self.mine.pop(random.randrange(len(self.mine)))
        self.page(f"{CLUB}/bookings/{pk}/cancel/", name="cancel form")
        with self.client.post(f"{CLUB}/bookings/{pk}/cancel/", name="cancel (form POST)", allow_redirects=False,
                              catch_response=True, data={"csrfmiddlewaretoken": self.csrf(), "reason": "load"}) as r:
            if r.status_code != 302:
                r.failure(f"cancel refused: {r.status_code} {r.text[:300]!r}")
                return
        journal(op="cancel", pk=pk)


class Pilot(SignedIn):
    weight = 6
    wait_time = between(0.5, 2)
    username = "pilot"

    @task(3)
    def my_flights(self):
        r = self.page(f"{CLUB}/flights/mine/", name="my flights")
        ids = FLIGHT_LINK.findall(r.text or "")
        if ids:
            self.page(f"{CLUB}/flights/{random.choice(ids)}/", name="flight page")

    @task(2)
    def my_bookings(self):
        self.page(f"{CLUB}/bookings/mine/", name="my bookings")


class ApiClient(HttpUser):
    weight = 4
    wait_time = between(0.5, 2)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {STATE['api_key']}"
        self.base = f"/api/v1/organizations/{STATE['club']}"
        self.since = (datetime.now(timezone.utc) - timedelta(minutes=5)).isoformat()

    @task(3)
    def list_window(self):
        start = datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=timezone.utc)
        self.client.get(f"{self.base}/bookings", name="api: bookings (window)",
                        params={"start": start.isoformat(), "end": (start + timedelta(days=7)).isoformat()})

    @task(2)
    def list_changed(self):
        r = self.client.get(f"{self.base}/bookings", name="api: bookings (changed_since)",
                            params={"changed_since": self.since, "page_size": 50})
        rows = (r.json().get("data") if r.ok else None) or []
        if rows:
            self.since = max(row["attributes"]["updated_at"] for row in rows)

    @task(2)
    def flight_log(self):
        body = {"data": {"type": "flight_log", "attributes": {
            "date": STATE["today"], "aircraft": random.choice(STATE["aircraft"])["registration"],
            "duration": round(random.uniform(0.5, 3.0), 1), "remarks": "load"}}}
        with self.client.post(f"{self.base}/flight-logs", json=body, name="api: create flight log",
                              catch_response=True) as r:
            if r.status_code != 201:
                r.failure(f"flight log refused: {r.status_code} {r.text[:300]!r}")
                return
            journal(op="flight_log", id=int(r.json()["data"]["id"]))


class Baseline(HttpUser):
    fixed_count = 1
    wait_time = between(0.4, 0.6)

    @task
    def healthz(self):
        self.client.get("/healthz", name=BASELINE)


class WiFlight(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    @task
    def fly(self):
        target = next(TARGETS, None)
        if target is None:
            return
        start = datetime.strptime(target["start"], "%Y%m%dT%H%M%SZ") + timedelta(minutes=10)
        with self.client.post(f"{STATE['sim']}/sim/flights", name="simulator: record a flight", catch_response=True,
                              json={"tail": target["tail"], "start": start.strftime("%Y%m%dT%H%M%SZ"),
                                    "duration": 3600}) as r:
            if r.status_code != 201:
                r.failure(f"simulator refused the flight: {r.status_code} {r.text[:300]!r}")
                return
            answer = r.json()
        journal(op="flight", sim_flight=answer["id"], booking=target["booking"], matched=bool(answer["matched"]))
