"""docs/examples/webhook_receiver.py, the receiver the README's webhook step uses: it prints a
delivery signed by standardwebhooks (not our code) and refuses one with a wrong signature."""

import base64
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import requests
from standardwebhooks import Webhook

from wiflight_sim.launcher import free_port

REPO = Path(__file__).resolve().parents[2]


def test_the_example_receiver_prints_a_signed_delivery_and_refuses_a_forged_one():
    secret = "whsec_" + base64.b64encode(os.urandom(24)).decode()
    port = free_port()
    receiver = subprocess.Popen([sys.executable, "docs/examples/webhook_receiver.py", "--port", str(port),
                                 "--secret", secret], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert "listening" in receiver.stdout.readline()
        body = '{"type": "flight_log.created", "data": {"entry_ids": [1]}}'
        now = datetime.now(timezone.utc)
        signature = Webhook(secret).sign("msg_1", now, body)
        headers = {"webhook-id": "msg_1", "webhook-timestamp": str(int(now.timestamp())),
                   "webhook-signature": signature, "content-type": "application/json"}
        assert requests.post(f"http://127.0.0.1:{port}/hook", data=body, headers=headers, timeout=5).status_code == 204
        forged = {**headers, "webhook-id": "msg_2"}
        assert requests.post(f"http://127.0.0.1:{port}/hook", data=body, headers=forged, timeout=5).status_code == 400
        time.sleep(0.2)
    finally:
        receiver.terminate()
        out, _ = receiver.communicate(timeout=10)
    assert "verified flight_log.created msg_1" in out
    assert "refused a delivery" in out and "msg_2" not in out
