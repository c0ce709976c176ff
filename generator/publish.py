"""Atomic publish: build beside the live site, verify, then swap folders in one rename each.

Layout under the output folder (e.g. `site/`):
    site/public/, site/internal/     the live sites
    site/.building-<pid>-<rand>/     a build in progress (same filesystem, so renames are atomic)
    site/.previous/public/, ...      the sites that were live before the last publish
A build that fails or is interrupted never touches the live folders; its scratch folder is removed
(or, after a hard kill, by the next build)."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

BUILDING = ".building-"
PREVIOUS = ".previous"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class PublishError(Exception):
    """The new build cannot be published; the live site is unchanged."""


@contextlib.contextmanager
def scratch(out: Path) -> Iterator[Path]:
    """A fresh folder inside `out` to build into; removed afterwards whatever happens."""
    out.mkdir(parents=True, exist_ok=True)
    remove_orphans(out, BUILDING)  # scratch folders of builds killed hard mid-build
    work = Path(tempfile.mkdtemp(prefix=f"{BUILDING}{os.getpid()}-", dir=out))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def swap(work: Path, out: Path, names: Iterable[str]) -> None:
    """Make `work/<name>` live as `out/<name>` for each name; the old one goes to `.previous/`."""
    names = list(names)
    for name in names:
        if not (work / name).is_dir():
            raise PublishError(f"nothing was built for '{name}'")
    previous = out / PREVIOUS
    previous.mkdir(exist_ok=True)
    for name in names:
        new, live = work / name, out / name
        if live.exists():
            if not _exchange(new, live):
                # No atomic exchange on this system: two renames, the gap is one system call.
                os.rename(live, work / f"{name}.old")
                os.rename(new, live)
                os.rename(work / f"{name}.old", new)
            shutil.rmtree(previous / name, ignore_errors=True)
            os.rename(new, previous / name)  # `new` now holds the old site
        else:
            os.rename(new, live)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def remove_orphans(parent: Path, prefix: str) -> list[Path]:
    """Remove the folders `<prefix><pid>-...` in `parent` whose process is gone: one killed with
    SIGKILL had no chance to remove its own. A folder whose process still runs, or that this user
    does not own, is left alone."""
    removed = []
    for folder in parent.glob(f"{prefix}*-*"):
        pid = folder.name[len(prefix) :].split("-", 1)[0]
        try:
            if not pid.isdigit() or folder.is_symlink() or folder.lstat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        if not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def minimal_verify(work: Path, names: Iterable[str], prefixes: Iterable[str]) -> list[str]:
    """Problems that make a build unpublishable, when the full verifier is not available."""
    prefixes = list(prefixes)
    return [
        f"{name}/{prefix}index.html is missing"
        for name in names
        for prefix in prefixes
        if not (work / name / prefix / "index.html").is_file()
    ]
