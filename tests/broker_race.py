"""Run by tests/test_broker.py in a fresh process (kombu's virtual transports keep
process-wide state): one thread publishes while another consumes; prints what arrived."""

import json
import sys
import tempfile
import threading
from pathlib import Path

from kombu import Connection, Exchange, Queue

TOTAL = 300


def main(transport_path: str) -> None:
    module, _, name = transport_path.partition(":")
    transport = getattr(__import__(module, fromlist=[name]), name)
    folder = Path(tempfile.mkdtemp(prefix="broker-race-"))
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder),
               "control_folder": str(folder / "control"), "polling_interval": 0.001}
    exchange = Exchange("jobs")
    queue = Queue("jobs", exchange, "jobs")
    received, errors = [], []
    # Bind first: kombu records a binding in process-wide state before writing it, so two
    # threads binding at once could publish into a table not yet on disk (a same-process
    # artefact of this test; the web process and the workers are separate processes).
    with Connection("filesystem://", transport=transport, transport_options=options) as conn:
        queue(conn.default_channel).declare()

    def consume():
        with Connection("filesystem://", transport=transport, transport_options=options) as conn:
            simple = conn.SimpleQueue(queue)
            try:
                while len(received) < TOTAL:
                    message = simple.get(timeout=5)
                    received.append(message.payload["n"])
                    message.ack()
            except Exception as exc:  # noqa: BLE001 - what the test looks for
                errors.append(repr(exc))

    consumer = threading.Thread(target=consume)
    consumer.start()
    with Connection("filesystem://", transport=transport, transport_options=options) as conn:
        producer = conn.Producer()
        for i in range(TOTAL):
            producer.publish({"n": i, "pad": "x" * 2000}, exchange=exchange, routing_key="jobs", declare=[queue])
    consumer.join(timeout=60)
    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    print(json.dumps({"received": sorted(received), "errors": errors, "leftovers": leftovers}))


if __name__ == "__main__":
    main(sys.argv[1])
