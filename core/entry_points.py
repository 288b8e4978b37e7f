"""Marking the public functions of a services module that no member calls.

Every other public service takes `actor: Membership` and checks club and role itself;
tests/test_service_tenancy.py walks the services modules and holds each function to that,
unless it says here who calls it instead (a worker, a subscriber, Wi-Flight, a token).
"""


def system_entry_point(reason: str):
    def mark(fn):
        fn.system_entry_point = reason
        return fn

    return mark
