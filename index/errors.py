"""The one exception type whose message is safe to show a user."""

from __future__ import annotations


class NewsdeskError(Exception):
    """A problem the user can fix (bad input, missing index, busy lock); the message says how."""
