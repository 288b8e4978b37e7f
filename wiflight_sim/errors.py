class ApiError(Exception):
    """An HTTP refusal. `reason` becomes the reason phrase (clients act on it) and the body."""

    def __init__(self, status: int, reason: str, detail: str | None = None):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.detail = detail or reason
