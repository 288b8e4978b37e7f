"""A webhook receiver to try Flightline's webhooks with: it verifies each delivery's
signature (Standard Webhooks) and prints the event.

    .venv/bin/python docs/examples/webhook_receiver.py --port 9000 --secret whsec_...

Register http://127.0.0.1:9000/hook under the club's Webhooks page (plain http is accepted
while developing), copy the secret it shows once, and start this with it. A delivery that
does not verify is answered 400 and not printed.
"""

import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients" / "python"))

from flightline_client.webhooks import WebhookVerificationError, verify_webhook  # noqa: E402


def handler_for(secret: str):
    seen: set[str] = set()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                event = verify_webhook(body, dict(self.headers.items()), secret)
            except (WebhookVerificationError, ValueError) as exc:
                self.send_response(400)
                self.end_headers()
                print(f"refused a delivery: {exc}", flush=True)
                return
            self.send_response(204)
            self.end_headers()
            message_id = self.headers["webhook-id"]
            if message_id in seen:  # a retry of one we already have
                return
            seen.add(message_id)
            print(f"verified {event.get('type')} {message_id}", flush=True)
            print(json.dumps(event, indent=2), flush=True)

        def log_message(self, *args):
            pass

    return Hook


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--secret", required=True, help="the whsec_... secret the Webhooks page showed")
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer((args.host, args.port), handler_for(args.secret))
    print(f"listening on http://{args.host}:{args.port}/hook", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
