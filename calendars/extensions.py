"""What calendars adds to dispatch's pages, through dispatch.extensions."""


def register() -> None:
    pass
