"""The C library through cffi in ABI mode: its public header, read at import, is the cdef.

ABI mode (ffi.dlopen) rather than API mode (a compiled extension module): the package is
then plain Python beside libstoryline.so, built by the project's own CMake with nothing
more (no Python headers, no compiler step per Python version), and one build serves every
Python 3 on the machine. The price, a libffi call per C call (about a microsecond), is
small against what each call does (an article cleaned, a batch added). The declarations
cannot drift from the library: they are made from include/storyline.h, shipped beside
this file, each time the package is imported.
"""

import os
import re

import cffi

_HERE = os.path.dirname(os.path.abspath(__file__))


def _cdef_of(header):
    """The header as cffi's cdef reads it: no comments, no preprocessor lines but integer
    #defines, no C++ guard, no SL_API."""
    text = re.sub(r"/\*.*?\*/", "", header, flags=re.S)
    lines = text.split("\n")
    out, skip, i = [], 0, 0
    while i < len(lines):
        line = lines[i]
        while line.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line.rstrip()[:-1] + lines[i]
        i += 1
        s = line.strip()
        if s.startswith("#"):
            if re.match(r"#\s*ifdef\s+__cplusplus\b", s):
                skip += 1
            elif skip and re.match(r"#\s*endif\b", s):
                skip -= 1
            m = re.match(r"#\s*define\s+(\w+)\s+(\d+)\s*$", s)
            if m and not skip:
                out.append("#define %s %s" % (m.group(1), m.group(2)))
            continue
        if not skip:
            out.append(re.sub(r"\bSL_API\s+", "", line))
    return "\n".join(out)


def _library_path():
    """libstoryline.so beside this file (the build and `cmake --install` put it there),
    else $STORYLINE_LIB, else the system's."""
    here = os.path.join(_HERE, "libstoryline.so")
    if os.path.exists(here):
        return here
    if os.environ.get("STORYLINE_LIB"):
        return os.environ["STORYLINE_LIB"]
    import ctypes.util

    found = ctypes.util.find_library("storyline")
    if not found:
        raise ImportError(
            "storyline: libstoryline.so not found beside %s, in $STORYLINE_LIB or on the "
            "system: build the project (cmake --build BUILD) and use BUILD/python" % _HERE
        )
    return found


ffi = cffi.FFI()
with open(os.path.join(_HERE, "storyline.h"), encoding="utf-8") as _f:
    ffi.cdef(_cdef_of(_f.read()))
lib = ffi.dlopen(_library_path())
