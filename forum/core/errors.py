"""Domain errors: raised by services with a message a member can read."""


class DomainError(Exception):
    """A rule was broken; `message` is shown to the member, `field` names the form field if any."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404
