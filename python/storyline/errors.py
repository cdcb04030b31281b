"""Errors: every failure of the C library raises StorylineError, carrying sl_strerror's text."""

from ._native import ffi, lib

_NAMES = ffi.typeof("sl_error").elements  # {0: "SL_OK", 1: "SL_ERR_NOMEM", ...}


class StorylineError(Exception):
    """A call into libstoryline failed.

    code: the sl_error value; name: its C name ("SL_ERR_STORE"); strerror: sl_strerror's
    text; detail: what the library said beyond it (the store's message: the file, what
    was being done, SQLite's reason), or "".
    """

    def __init__(self, code, detail=""):
        self.code = int(code)
        self.name = _NAMES.get(self.code, "SL_ERR_%d" % self.code)
        self.strerror = ffi.string(lib.sl_strerror(self.code)).decode("utf-8", "replace")
        self.detail = detail or ""
        super().__init__("%s: %s" % (self.strerror, self.detail) if self.detail else self.strerror)


class NotFoundError(StorylineError, LookupError):
    """SL_ERR_NOT_FOUND: no such store, article, event or family."""


def error_for(code, detail=""):
    """The exception for sl_error `code` (not SL_OK)."""
    cls = NotFoundError if code == lib.SL_ERR_NOT_FOUND else StorylineError
    return cls(code, detail)


def check(code, detail=None):
    """Raise for a failed call; detail: a function giving the detail, called only then."""
    if code != lib.SL_OK:
        raise error_for(code, detail() if detail else "")
