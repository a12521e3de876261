"""The Whoosh index on disk, and the one writer that keeps it in step with the database (the search
backend behind forum.search.backend when FORUM_SEARCH_BACKEND is "whoosh", the default).

Layout under FORUM_SEARCH_INDEX_DIR: one folder per build ("gen-<time>", with a RECORDS file naming the kinds
of record it holds), and a CURRENT file naming the live one. A rebuild writes a new folder beside the live
index and swaps CURRENT atomically, so searches and incremental updates carry on while it runs. Whoosh allows
one writer per index at a time (a file lock that the OS releases if the process dies); drains wait briefly for
it and otherwise leave their rows queued.
"""

import fcntl
import logging
import os
import shutil
import threading
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select, update
from whoosh import index as whoosh_index
from whoosh.index import LockError

from forum.core.models import utcnow
from forum.extensions import db
from forum.search import documents, records, whoosh_compat
from forum.search.backend import IndexUnavailable, RebuildInProgress
from forum.search.models import SearchQueue

log = logging.getLogger(__name__)
# Compound segments (one memory-mapped file each) read in place: Whoosh would copy each segment's parts into
# memory every time a searcher opens them (165 MB and 90 ms at 100,000 posts, per thread and per drain).
whoosh_compat.install()

CURRENT = "CURRENT"
RECORDS = "RECORDS"
KEEP_PROCESSED = timedelta(days=1)
# Changes committed this long before a rebuild began may still have been drained into the old index while
# the rebuild read the database: replaying them into the new index is cheap and idempotent.
REPLAY_MARGIN = timedelta(minutes=5)


# --- where the index lives ----------------------------------------------------------------------------------

def index_root() -> Path:
    return Path(current_app.config["FORUM_SEARCH_INDEX_DIR"])


def current_folder() -> Path | None:
    try:
        name = (index_root() / CURRENT).read_text().strip()
    except FileNotFoundError:
        return None
    folder = index_root() / name
    return folder if name and folder.is_dir() else None


def open_index():
    """The live index; IndexUnavailable when there is none or it cannot be read."""
    folder = current_folder()
    if folder is None:
        raise IndexUnavailable("no search index has been built")
    try:
        return whoosh_index.open_dir(str(folder))
    except Exception as error:  # Whoosh raises many kinds on a damaged folder (EOFError, struct.error, ...)
        raise IndexUnavailable(f"the search index at {folder} cannot be read: {error}") from error


def _swap_in(folder: Path) -> None:
    pointer = index_root() / CURRENT
    temporary = pointer.with_suffix(".tmp")
    temporary.write_text(folder.name)
    os.replace(temporary, pointer)


def _remove_old_builds(keep: set[str]) -> None:
    """Delete builds other than the live one and the one before it (a reader may still hold it open)."""
    for folder in index_root().glob("gen-*"):
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)


# --- searchers: one per thread, reopened when the index changes ---------------------------------------------

_local = threading.local()


def searcher():
    """A searcher on the live index, reused across requests in this thread and reopened when the index changed.

    Not Whoosh's refresh(): it reuses a segment's reader by the segment's id alone, so the reader keeps the
    deletions the segment had when it was opened (an edited post was still found by its old words) and it
    brings back segments that a merge retired (their documents twice). Reopening costs opening each segment's
    files; what ranking works out per segment is kept by segment id (segments.py) and is not redone."""
    folder = current_folder()
    if folder is None:
        raise IndexUnavailable("no search index has been built")
    cached = getattr(_local, "searcher", None)
    _local.searcher = None
    try:
        if cached is not None and cached[0] == folder and _up_to_date(cached[1]):
            fresh = cached[1]
        else:
            if cached is not None:
                cached[1].close()
            fresh = open_index().searcher()
    except IndexUnavailable:
        raise
    except Exception as error:  # a damaged segment shows up here as any of several errors
        raise IndexUnavailable(str(error)) from error
    _local.searcher = (folder, fresh)
    return fresh


def _up_to_date(previous) -> bool:
    try:
        return previous.up_to_date()
    except Exception:  # its files are gone (a rebuild removed the folder): open anew
        return False


# --- the writer ---------------------------------------------------------------------------------------------

@contextmanager
def _writer(ix, timeout: float):
    writer = ix.writer(timeout=timeout)
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _apply(writer, rows: list[SearchQueue]) -> int:
    """Write the current database state of what `rows` name into the index; returns documents touched."""
    post_ids = {row.post_id for row in rows if row.post_id is not None}
    topic_ids = {row.topic_id for row in rows if row.topic_id is not None}
    if topic_ids:
        post_ids.update(documents.topic_post_ids(topic_ids))
    user_ids = {row.user_id for row in rows if row.user_id is not None}
    replaced, removed = [], []
    for fetch, ids in ((documents.post_documents, post_ids), (documents.member_documents, user_ids)):
        if ids:
            docs, removals = fetch(sorted(ids))
            replaced += docs
            removed += removals
    # Delete every old version through one searcher, then add: update_document would open a searcher per
    # document.
    with writer.searcher() as searcher:
        if any(row.post_id is None and row.topic_id is None and row.user_id is None for row in rows):
            docs, removals = _changed_records(searcher)
            replaced += docs
            removed += removals
        for key in [doc["key"] for doc in replaced] + removed:
            writer.delete_by_term("key", key, searcher=searcher)
    for doc in replaced:
        writer.add_document(**doc)
    return len(replaced) + len(removed)


def _changed_records(searcher) -> tuple[list[dict], list[str]]:
    """(documents to write, keys to remove): the records whose documents differ from what the index holds,
    and the keys of records that are gone."""
    indexed = {}
    for kind in records.kinds():
        indexed.update((fields["key"], fields.get("stamp")) for fields in searcher.documents(kind=kind.name))
    docs = list(documents.all_record_documents())
    changed = [doc for doc in docs if indexed.get(doc["key"]) != doc["stamp"]]
    return changed, sorted(set(indexed) - {doc["key"] for doc in docs})


def _pending(limit: int) -> list[SearchQueue]:
    return db.session.execute(
        select(SearchQueue).where(SearchQueue.processed_at.is_(None)).order_by(SearchQueue.id).limit(limit)
    ).scalars().all()


def drain(limit: int = 500, timeout: float = 2.0) -> int:
    """Apply queued changes to the live index; returns how many queue rows were taken. Call after commit.

    Safe to call from any number of processes: the index's write lock serialises them, and a row is marked
    done only after the index has committed it (a crash in between means it is applied again, harmlessly)."""
    if not db.session.execute(select(SearchQueue.id).where(SearchQueue.processed_at.is_(None)).limit(1)).first():
        return 0
    folder = current_folder()
    if folder is None:
        return 0  # no index yet: the rebuild that makes it reads everything anyway
    try:
        writer = open_index().writer(timeout=timeout)
    except (LockError, IndexUnavailable) as error:
        log.info("search: index not writable now (%s); changes stay queued", type(error).__name__)
        return 0
    try:
        if current_folder() != folder:
            writer.cancel()  # a rebuild swapped in a new index while we waited; the next drain uses that
            return 0
        # A fresh transaction now that we hold the lock: a snapshot taken while waiting could be older than
        # what the previous lock holder indexed, and would overwrite it with stale text.
        db.session.commit()
        rows = _pending(limit)
        _apply(writer, rows)
    except BaseException:
        writer.cancel()
        db.session.rollback()
        raise
    writer.commit()
    ids = [row.id for row in rows]
    db.session.execute(update(SearchQueue).where(SearchQueue.id.in_(ids)).values(processed_at=utcnow()))
    db.session.commit()
    return len(ids)


def drain_all(timeout: float = 10.0) -> int:
    total = 0
    while (taken := drain(timeout=timeout)) > 0:
        total += taken
    return total


def forget_processed() -> int:
    result = db.session.execute(delete(SearchQueue).where(SearchQueue.processed_at < utcnow() - KEEP_PROCESSED))
    return result.rowcount or 0


# --- rebuild ------------------------------------------------------------------------------------------------

@contextmanager
def _rebuild_lock():
    index_root().mkdir(parents=True, exist_ok=True)
    with open(index_root() / "rebuild.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RebuildInProgress("another rebuild of the search index is running") from None
        yield


def rebuild(progress: Callable[[int], None] | None = None, batch: int = 2000) -> int:
    """Build a fresh index from the database beside the live one, then swap it in; returns documents written.

    Writes that happen meanwhile go to the old index and are replayed into the new one after the swap."""
    with _rebuild_lock():
        started = utcnow()
        db.session.commit()
        previous = current_folder()
        folder = index_root() / f"gen-{started:%Y%m%dT%H%M%S%f}-{os.getpid()}"
        folder.mkdir(parents=True)
        ix = whoosh_index.create_in(str(folder), documents.make_schema())
        written = 0
        writer = _bulk_writer(ix)
        try:
            for ids in documents.all_post_ids(batch):
                docs, _removals = documents.post_documents(ids)
                for doc in docs:
                    writer.add_document(**doc)
                written += len(docs)
                db.session.rollback()  # release the snapshot: each batch reads the newest state
                if progress:
                    progress(len(ids))
            docs, _removals = documents.member_documents(documents.all_member_ids())
            docs += documents.all_record_documents()
            for doc in docs:
                writer.add_document(**doc)
            written += len(docs)
        except BaseException:
            writer.cancel()
            shutil.rmtree(folder, ignore_errors=True)
            raise
        writer.commit()
        (folder / RECORDS).write_text(_record_kinds())
        _swap_in(folder)
        _wait_for_old_writer(previous)
        _replay_since(ix, started - REPLAY_MARGIN)
        _mark_read_by_rebuild(started - REPLAY_MARGIN)
        _remove_old_builds(keep={folder.name, previous.name if previous else ""})
        return written


PARALLEL_FROM_POSTS = 20_000


def _bulk_writer(ix):
    """A writer for a whole index. A large one is written by one process per core, each analysing its share
    of the documents into a segment of its own (kept as it is: merging them would cost what was saved)."""
    procs = min(current_app.config.get("FORUM_SEARCH_REBUILD_PROCS") or os.cpu_count() or 1, 4)
    if procs > 1 and documents.count_indexable_posts() >= PARALLEL_FROM_POSTS:
        return ix.writer(procs=procs, multisegment=True, batchsize=500, limitmb=128)
    return ix.writer(limitmb=256)


def _wait_for_old_writer(previous: Path | None) -> None:
    """A drain that began before the swap may still be writing to the old index: let it finish, so that
    what it marks done is seen by the replay."""
    if previous is None:
        return
    try:
        old = whoosh_index.open_dir(str(previous))
        old.writer(timeout=30).cancel()
    except Exception:  # an unreadable old index has no writer to wait for
        log.info("search: old index %s not waited for", previous)


def _replay_since(ix, since) -> None:
    db.session.rollback()  # read what was committed up to now, not the snapshot of the last batch
    rows = db.session.execute(
        select(SearchQueue).where(SearchQueue.created_at >= since, SearchQueue.processed_at.is_not(None))
    ).scalars().all()
    if rows:
        with _writer(ix, timeout=60) as writer:
            _apply(writer, rows)
    db.session.commit()


def _mark_read_by_rebuild(before) -> None:
    """Changes queued well before the rebuild began are in the new index already."""
    db.session.execute(
        update(SearchQueue)
        .where(SearchQueue.processed_at.is_(None), SearchQueue.created_at < before)
        .values(processed_at=utcnow())
    )
    db.session.commit()


def ensure_index_needed() -> str | None:
    """Why the index must be rebuilt, or None: it is missing or unreadable, or it was built with other fields
    or analysis, or other kinds of record (a newer version of the forum changed them)."""
    try:
        ix = open_index()
        ix.doc_count()
    except IndexUnavailable:
        return "missing or unreadable"
    if not _same_analysis(ix.schema, documents.make_schema()):
        return "built with other fields or analysis"
    if _built_record_kinds(current_folder()) != _record_kinds():
        return "built with other kinds of record"
    return None


def _record_kinds() -> str:
    return "\n".join(sorted(kind.name for kind in records.kinds()))


def _built_record_kinds(folder: Path | None) -> str:
    """The kinds of record a build holds (none for one made before there were records)."""
    try:
        return (folder / RECORDS).read_text() if folder else ""
    except FileNotFoundError:
        return ""


def _same_analysis(built, wanted) -> bool:
    # Fields compared one by one, and only by what decides what is indexed: a whole-schema comparison
    # also compares objects (date columns) that are never equal once unpickled.
    if sorted(built.names()) != sorted(wanted.names()):
        return False
    return all(
        type(built[name]) is type(wanted[name])
        and getattr(built[name], "analyzer", None) == getattr(wanted[name], "analyzer", None)
        and built[name].format == wanted[name].format
        for name in wanted.names()
    )


def ensure_index(background: bool = False) -> bool:
    """Build the index if it is missing, unreadable or out of date (from the periodic job); True if a
    rebuild began. An out-of-date index keeps serving until the new one is swapped in.

    In a web worker the rebuild runs in a thread so that no member waits for it."""
    reason = ensure_index_needed()
    if reason is None:
        return False
    log.warning("search: the index is %s; rebuilding", reason)
    if background:
        app = current_app._get_current_object()
        threading.Thread(target=_rebuild_in_thread, args=(app,), name="search-rebuild", daemon=True).start()
        return True
    try:
        rebuild()
    except RebuildInProgress:
        return False
    return True


def _rebuild_in_thread(app) -> None:
    with app.app_context():
        try:
            rebuild()
        except RebuildInProgress:
            pass
        except Exception:
            log.exception("search: background rebuild failed")
        finally:
            db.session.remove()


# --- drift --------------------------------------------------------------------------------------------------

def check() -> dict[str, list[str]]:
    """Compare the database with the index: keys missing from the index, keys that should not be there, and
    documents whose content differs from what the database would give now."""
    ix = open_index()
    with ix.searcher() as s:
        indexed = {fields["key"]: fields.get("stamp") for fields in s.all_stored_fields()}
    expected: dict[str, str] = {}
    for ids in documents.all_post_ids():
        docs, _removals = documents.post_documents(ids)
        expected.update((doc["key"], doc["stamp"]) for doc in docs)
        db.session.rollback()
    docs, _removals = documents.member_documents(documents.all_member_ids())
    docs += documents.all_record_documents()
    expected.update((doc["key"], doc["stamp"]) for doc in docs)
    return {
        "missing": sorted(set(expected) - set(indexed)),
        "unexpected": sorted(set(indexed) - set(expected)),
        "stale": sorted(key for key in set(expected) & set(indexed) if expected[key] != indexed[key]),
    }
