"""Signed webhooks (Standard Webhooks): club admins register endpoints; every change event
they chose becomes an outbox row in the writer's transaction (outbox.py, fed by
subscribers.py); workers sign and send it afterwards (delivery.py, client.py, signing.py).
docs/webhooks.md is the receiver's side of the story."""
