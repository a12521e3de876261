"""Where Fellowship reaches into Whoosh 2.7's internals: re-check both on every Whoosh upgrade.

1. Reading compound index segments in place instead of copying them.

Whoosh memory-maps a segment file and hands out each part of it as a BufferFile, whose constructor wraps
the part in io.BytesIO: a copy. Every searcher (one per thread) and every writer.searcher() in a drain then
copies the whole index into its own memory when it opens: about 165 MB and 90 ms at 100,000 posts. Reading
the memory map in place leaves one copy, in the page cache, shared by all threads and processes.

2. Reading a term's postings and positions a block at a time (postings_blocks, positions_in), and a field's
   lengths in one read (field_lengths), for ranking.py.
"""

import io
from array import array
from bisect import bisect_left

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.filedb import structfile
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length


class _ViewReader:
    """The file methods StructFile uses (read, readline, seek, tell), over a memoryview, without copying it."""

    __slots__ = ("_view", "_pos")

    def __init__(self, view):
        self._view = view
        self._pos = 0

    def read(self, size=-1):
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._pos = end
        return bytes(self._view[start:end])

    def peek(self, size=0):
        # pickle.load reads ahead through peek() when there is one: a block's header is then one call, not
        # one per opcode. A short answer is allowed; pickle falls back to read() for the rest.
        return bytes(self._view[self._pos:self._pos + min(max(size, 1), 512)])

    def readline(self, size=-1):
        end = len(self._view) if size is None or size < 0 else min(self._pos + size, len(self._view))
        chunk = bytes(self._view[self._pos:end])
        cut = chunk.find(b"\n")
        return self.read(len(chunk) if cut < 0 else cut + 1)

    def seek(self, position, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._view)}[whence]
        self._pos = base + position
        return self._pos

    def tell(self):
        return self._pos

    def flush(self):
        pass

    def fileno(self):
        raise io.UnsupportedOperation("fileno")

    def close(self):
        self._view = b""


def _buffer_file_init(self, buf, name=None, onclose=None):
    # As whoosh.filedb.structfile.BufferFile.__init__ (Whoosh 2.7), but without io.BytesIO(buf).
    self._buf = buf
    self._name = name
    self.file = _ViewReader(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def postings_blocks(matcher, values: bool = False):
    """(document numbers, weights[, encoded values]) of a term's postings in a segment, a stored block at a
    time: what forum.search.ranking scores from. Deleted documents are included (the caller leaves them
    out). Whoosh's matchers offer postings one at a time only; the block arrays are read through its
    (private) block loader, and any other matcher is stepped through."""
    if isinstance(matcher, FilterMatcher):  # the segment's deletions, wrapped around the postings
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            if values:
                matcher._read_values()
                yield matcher._ids, matcher._weights, matcher._values
            else:
                yield matcher._ids, matcher._weights
            matcher._next_block()
        return
    ids, weights, encoded = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values:
            encoded.append(matcher.value())
        matcher.next()
    yield (ids, weights, encoded) if values else (ids, weights)


def positions_in(matcher, wanted: list[int]) -> dict[int, list[int]]:
    """{document: the term's positions in it} for the `wanted` segment document numbers (ascending) that
    have the term. Blocks holding none of them are passed over without being decoded."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    found = {}
    if not isinstance(matcher, W3LeafMatcher):
        for docnum in wanted:
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                found[docnum] = list(matcher.value_as("positions"))
        return found
    decode = matcher.format.decoder("positions")
    at = 0
    while matcher.is_active() and at < len(wanted):
        if wanted[at] > matcher.block_max_id():
            matcher._next_block()
            continue
        matcher._read_ids()
        matcher._read_values()
        ids, values = matcher._ids, matcher._values
        while at < len(wanted) and wanted[at] <= matcher.block_max_id():
            i = bisect_left(ids, wanted[at])
            if i < len(ids) and ids[i] == wanted[at]:
                found[wanted[at]] = decode(values[i])
            at += 1
        matcher._next_block()
    return found


_BYTE_LENGTHS = [byte_to_length(b) if b else 0 for b in range(256)]


def field_lengths(reader, fieldname: str) -> array:
    """Every document's length in `fieldname`, by segment document number, as Whoosh stores them (a byte
    each): read as one string from the lengths column rather than a method call per document (100,000 calls
    take 200 ms)."""
    count = reader.doc_count_all()
    try:
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        raw = b"" if column is None else column._dbfile.get(column._basepos, column._count)
    except AttributeError:  # not a Whoosh 3 segment: ask document by document
        return array("f", (reader.doc_field_length(d, fieldname, 0) or 0 for d in range(count)))
    lengths = array("f", (_BYTE_LENGTHS[b] for b in raw[:count]))
    lengths.extend([0.0] * (count - len(lengths)))
    return lengths


def install() -> None:
    structfile.BufferFile.__init__ = _buffer_file_init
