"""`python -m wiflight_sim <command>` is manage.py for the simulator.

The settings module is forced, not defaulted: a shell that exported the portal's
DJANGO_SETTINGS_MODULE must not make the simulator write into the portal's database.
"""

import os
import sys


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "wiflight_sim.settings"
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wiflight_sim", *sys.argv[1:]])


if __name__ == "__main__":
    main()
