"""`python -m wiflight_sim serve` end to end: migrations on a fresh DB, seed, login, PUT."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_command(tmp_path):
    env = {**os.environ, "WIFLIGHT_SIM_DB": str(tmp_path / "sim.sqlite3"), "DJANGO_SETTINGS_MODULE": "portal.settings"}
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "wiflight_sim", "serve", "--port", str(port), "--quiet"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                requests.get(f"{base}/sim/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        subprocess.run([sys.executable, "-m", "wiflight_sim", "seed_demo"], cwd=REPO, env=env, check=True, capture_output=True)
        s = requests.Session()
        login = s.post(f"{base}/auth/login", data={"username": "flightline@demo.flightline.test", "password": "demo-wiflight"})
        assert login.status_code == 200 and "gasn-session" in s.cookies
        body = (
            b'<?xml version="1.0"?><reservation name="x@demo.flightline.test"><aircraft tail="C-GDFA"/>'
            b"<start>20260301T100000Z</start><end>20260301T110000Z</end><crew/></reservation>"
        )
        put = s.put(f"{base}/a/reservation/x%40demo.flightline.test", data=body, headers={"Content-Type": "text/xml"})
        assert put.status_code == 201 and put.reason == "Created" and put.headers["ETag"]
        assert (tmp_path / "sim.sqlite3").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
