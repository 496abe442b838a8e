"""The small set of refusals every service raises; views and the API turn them into a message
and a 4xx status. Django's own PermissionDenied, Http404 and ValidationError are used as they are:
ValidationError carries the list (or the field map) of what is wrong."""


class TransitionNotAllowed(Exception):
    """The object is not in a state where this step can be taken (HTTP 409).

    Also raised when someone else changed the object first: the user should reload and look.
    """

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message
