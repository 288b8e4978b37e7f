"""Wi-Flight simulator: a stand-alone Django project that plays the Wi-Flight server.

It is never imported by the portal. Run it with `python -m wiflight_sim serve`; every other
Django command works too (`python -m wiflight_sim migrate`). See wiflight_sim/README.md.
"""
