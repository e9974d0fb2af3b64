"""Exceptions of the code under test, as plain data."""

import traceback


def exception_info(error, limit=20):
    return {
        "type": type(error).__name__,
        "message": _message(error)[:2000],
        "traceback": "".join(traceback.format_exception(type(error), error, error.__traceback__, limit=limit))[-8000:],
    }


def _message(error):
    try:
        return str(error)
    except Exception:  # a broken __str__ is the code's problem, not ours
        return f"<{type(error).__name__} with an unprintable message>"
