"""The Wi-Flight integration: xml.py (pure build/parse), client.py (HTTP, no ORM); the sync
queue (services, tasks) and the notification receiver build on these.
See docs/wiflight.md for every assumption about Wi-Flight's undocumented corners."""
