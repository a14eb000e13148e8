class Refused(Exception):
    """A request the rules do not allow; `message` says why, in words for the person.

    Services raise a subclass (EnrolmentRefused, AdviceRefused, RsvpRefused); views show
    the message and save nothing.
    """

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class RateLimited(Refused):
    """Too many of one action in a while (the limits are settings). The person gets the
    429 page with `message` (community.accounts.middleware.RateLimitedMiddleware)."""
