"""What the modules share: C strings to Python and back, JSON written through sl_write_fn."""

import json
import os

from ._native import ffi


def text_of(p):
    """A C string as str (UTF-8, as every string the library gives), None for NULL."""
    return None if p == ffi.NULL else ffi.string(p).decode("utf-8", "replace")


def texts_of(arr, n):
    """n entries of a `const char *const *` as a list (None where NULL)."""
    return [text_of(arr[i]) for i in range(n)]


def path_of(p):
    """A C string that is a file path, as str (the file system's encoding, as os.fsdecode
    gives it: a name that is not UTF-8 opens again), None for NULL."""
    return None if p == ffi.NULL else os.fsdecode(ffi.string(p))


def c_body(s, what):
    """A text passed with its length (it may hold any byte; the library says what it
    refuses): str -> UTF-8 bytes; None or anything else is a TypeError."""
    if isinstance(s, bytes):
        return s
    if not isinstance(s, str):
        raise TypeError("%s must be str or bytes, not %s" % (what, type(s).__name__))
    return s.encode("utf-8", "surrogatepass")


def c_text(s, what):
    """A NUL-terminated string for the library (None stays NULL): a NUL inside it would
    cut it short unseen, so it is a ValueError; anything but str or bytes a TypeError."""
    if s is None:
        return ffi.NULL
    b = c_body(s, what)
    if b"\0" in b:
        raise ValueError("%s holds a NUL character" % what)
    return b


def c_path(p, what="path"):
    """A file path for the library, in the file system's encoding (os.fsencode)."""
    b = os.fsencode(p)
    if b"\0" in b:
        raise ValueError("%s holds a NUL character" % what)
    return b


@ffi.callback("sl_write_fn")
def _write(user, data, n):
    ffi.from_handle(user).parts.append(ffi.buffer(data, n)[:])
    return 0


class Sink:
    """Collects what the library writes through an sl_write_fn: pass .fn and .user. One
    callback serves every Sink (a new one each call would cost a closure made and freed
    per article); the Sink goes to it as a handle."""

    fn = _write

    def __init__(self):
        self.parts = []
        self.user = ffi.new_handle(self)  # alive as long as the Sink

    def bytes(self):
        return b"".join(self.parts)

    def json(self):
        return json.loads(self.bytes().decode("utf-8"))


class Calls:
    """A Python function called back by the library: an exception it raises stops the C
    iteration (the callback returns non-zero) and is raised again after the call returns."""

    def __init__(self):
        self.error = None

    def guard(self, fn):
        def call(*args):
            if self.error is not None:
                return 1
            try:
                return 1 if fn(*args) else 0
            except BaseException as e:  # raised again by .reraise
                self.error = e
                return 1

        return call

    def guard_void(self, fn):
        """guard for a callback that returns nothing (it cannot stop the C call: the
        exception is raised once it returns)."""
        call = self.guard(fn)

        def void(*args):
            call(*args)

        return void

    def reraise(self):
        if self.error is not None:
            e, self.error = self.error, None
            raise e
