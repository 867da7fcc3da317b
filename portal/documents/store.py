"""The document store: files under DOCUMENT_STORE, written atomically (temp file, fsync, rename)."""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

from portal.hashing import sha256_hex

# Files written for rows of a transaction that has not committed yet (Session.info key).
_PENDING = "portal.store.pending"


def root() -> Path:
    path = Path(current_app.config["DOCUMENT_STORE"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def absolute(relative: str) -> Path:
    path = (root() / relative).resolve()
    if root().resolve() not in path.parents:
        raise ValueError("path outside the document store")
    return path


sha256_bytes = sha256_hex  # the store's files are named and checked by it


class StoredFileMismatch(ValueError):
    """A stored file whose bytes no longer hash to the SHA-256 recorded for it."""

    def __init__(self, relative: str, expected: str, found: str) -> None:
        super().__init__(f"{relative}: SHA-256 {found} instead of the recorded {expected}")
        self.found = found


def read_verified(relative: str, sha256: str) -> bytes:
    """The stored file's bytes, after checking they still hash to ``sha256`` (StoredFileMismatch if
    not; OSError if the file is missing)."""
    data = absolute(relative).read_bytes()
    found = sha256_bytes(data)
    if found != sha256:
        raise StoredFileMismatch(relative, sha256, found)
    return data


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_atomic(relative: str, data: bytes) -> Path:
    """Write ``data`` so that ``relative`` holds either nothing or the whole file, never a part."""
    final = absolute(relative)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(final)
    try:
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final


def _temporary(final: Path) -> Path:
    return final.with_name(f".tmp-{final.name}-{secrets.token_hex(4)}")


class Writing:
    """A file written under a temporary name whose fsync and rename to its final name run in a thread,
    beside what the caller does meanwhile (a worker's bookkeeping statements, sent to the database
    while the disk flushes): ``wait()`` returns the final path once the whole file is durable there, or
    raises what failed (the temporary file removed). Nothing may treat the file as stored before
    ``wait()`` returns: a ready document is committed only after it."""

    def __init__(self, tmp: Path, final: Path, file: Any) -> None:
        self.tmp, self.final = tmp, final
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._finish, args=(file,), name="store-fsync", daemon=True)
        self._thread.start()

    def _finish(self, file: Any) -> None:
        try:
            with file:
                file.flush()
                os.fsync(file.fileno())
            os.replace(self.tmp, self.final)
        except BaseException as exc:  # noqa: BLE001 - handed to wait(), in the caller's thread
            self._error = exc
            self.tmp.unlink(missing_ok=True)

    def wait(self) -> Path:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.final


def write_started(relative: str, data: bytes) -> Writing:
    """``write_atomic`` with its fsync and rename in a thread (``Writing``): the bytes go to a temporary
    file now, and the caller works on until ``wait()``."""
    final = absolute(relative)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(final)
    file = tmp.open("wb")
    try:
        file.write(data)
        return Writing(tmp, final, file)
    except BaseException:
        file.close()
        tmp.unlink(missing_ok=True)
        raise


def remove(relative: str | None) -> None:
    if relative:
        absolute(relative).unlink(missing_ok=True)


def leftovers(folder: str, prefix: str, keep: str | None) -> list[Path]:
    """Files of one document (``prefix*``) in ``folder`` other than ``keep``: temp files and lost renders."""
    directory = absolute(folder)
    kept = absolute(keep).name if keep and absolute(keep).parent == directory else None
    # The folder of a case holds every version of its documents (hundreds in a long-lived case): names
    # are compared as strings and only the matches become paths (half a millisecond for 1,000 entries,
    # where a Path per entry took two, twice per render).
    try:
        with os.scandir(directory) as entries:
            names = [e.name for e in entries if e.name.startswith((prefix, f".tmp-{prefix}"))]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [directory / name for name in names if name != kept]


def write_for_transaction(session: Session | scoped_session[Any], relative: str, data: bytes) -> Path:
    """Write the file of a row saved in ``session``'s transaction (call it after the row's flush).
    If the transaction ends without a commit (a refused upload, a failure after the write, a
    rollback), the file is removed again; a file that was already there (same name) is left alone."""
    _listen()
    final = absolute(relative)
    existed = final.exists()
    path = write_atomic(relative, data)
    if not existed:
        session.info.setdefault(_PENDING, set()).add(path)
    return path


def _committed(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None or transaction.nested:
        return  # a savepoint: the outer transaction decides
    for path in session.info.pop(_PENDING, ()):
        path.unlink(missing_ok=True)


def _listen() -> None:
    if not event.contains(Session, "after_commit", _committed):
        event.listen(Session, "after_commit", _committed)
        event.listen(Session, "after_transaction_end", _ended)
