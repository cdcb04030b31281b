"""storyline: the news story engine's C library from Python (cffi, ABI mode).

    import storyline
    with storyline.Store("news.db") as st:
        summary = st.add(["articles.jsonl"])
        for ev in st.events():
            print(ev.id, ev.headline, len(ev.articles))
    storyline.facts('"We will rebuild," said Mayor Jane Doe.')

docs/python.md says more.
"""

from ._native import ffi as _ffi, lib as _lib
from .errors import NotFoundError, StorylineError
from .store import (Article, BatchSummary, Entity, Event, EventArticle, Fact, Family, Hit,
                    Member, Quote, Report, Store, Variant)
from .reader import read, read_records
from .text import (LineCounts, LineTally, TextTools, clean, clean_record, compare, facts, features,
                   record_fields, sketch)
from . import keys

__version__ = _ffi.string(_lib.sl_version()).decode()

__all__ = [
    "Article", "BatchSummary", "LineCounts", "LineTally", "Entity", "Event", "EventArticle", "Fact", "Family", "Hit",
    "Member", "NotFoundError", "Quote", "Report", "Store", "StorylineError", "TextTools",
    "Variant", "clean", "clean_record", "compare", "keys", "facts", "features", "read", "read_records", "record_fields", "sketch", "__version__",
]
