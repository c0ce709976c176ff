"""Safe, atomic publishing of the public and internal sites into an output folder.

Layout of an output folder (e.g. `site/`):
    site/.kb-site                         marker: kb made this folder (and writes only the names below)
    site/public -> .kb/current/public     the live sites: relative links, made once
    site/internal -> .kb/current/internal
    site/.kb/current -> releases/000042   the one link a publish replaces (os.replace: atomic)
    site/.kb/releases/000042/             the live release: public/, internal/, manifest.json
    site/.kb/releases/000041/             the release before it, kept for rollback
    site/.kb/build-<pid>-<rand>/          a build in progress (same filesystem: renames are atomic)
    site/.kb/trash/<n>/                   an old release being removed, file by file (its manifest)
    site/.kb/lock                         flock'ed for the whole build; holds the builder's pid

Both audiences live in one release, so replacing `current` switches the pair in one step: a
reader sees the old pair or the new one. A build killed at any point leaves `current` naming a
whole release; the next build removes what the killed one left. kb deletes only what it wrote: a
release leaves by its manifest, so a file someone dropped into a live site stays in `trash/`."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MARKER = ".kb-site"
KB_DIR = ".kb"
RELEASES = "releases"
TRASH = "trash"
CURRENT = "current"
LOCK = "lock"
MANIFEST = "manifest.json"
SCRATCH = "build-"  # then the pid of the build, a dash and a random part
LINK_TMP = "link-"  # a new link is made under .kb/ first, then renamed over the old one
LINKED = ("public", "internal")  # the names kb owns at the top of a marked folder
# The layout of kb before releases: it wrote no marker, so its files cannot be told from others.
LEGACY = ("public", "internal", ".previous")
LEGACY_SCRATCH = ".building-"
_MARKER_TEXT = (
    "This folder is written by `kb build`: public and internal are links into .kb/, the published\n"
    "releases. kb removes only files it wrote; other files here are left alone.\n"
)

_held: set[Path] = set()  # output folders whose lock this process holds


class PublishError(Exception):
    """The new build cannot be published; the live site is unchanged."""


class OutputRefused(Exception):
    """The output folder is unsafe to build into, or another build holds it; nothing was written."""


def refusal(out: Path, project: Path | None = None, source: Path | None = None) -> str | None:
    """Why `out` must not be built into, or None. Symlinks are resolved first, so a link to the
    source folder is the source folder. Reads only."""
    real = out.resolve()
    if real.parent == real:
        return "it is the root of the file system"
    guarded = [("your home folder", _home()), ("the project folder", project), ("the source folder", source)]
    for label, folder in guarded:
        if folder is None:
            continue
        folder = folder.resolve()
        if real == folder:
            return f"it is {label}"
        if real in folder.parents:
            return f"it contains {label}, {folder}"
    if source is not None and source.resolve() in real.parents:
        # The next check would read the built site as sources (and the old kb moved sources away).
        return f"it is inside the source folder, {source.resolve()}"
    if not real.exists():
        return None
    if not real.is_dir():
        return "it is not a folder"
    names = sorted(os.listdir(real))
    if MARKER in names:
        return _unowned_in_marked(real)
    if not names:
        return None
    if all(n in LEGACY or n.startswith(LEGACY_SCRATCH) for n in names):
        return (
            "it holds a site built by an earlier kb, which marked nothing, so kb cannot tell its"
            " files there from yours: move the folder away or delete it, then build again"
        )
    shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
    return f"it holds files kb did not write ({shown}): choose a new or empty folder"


def _home() -> Path | None:
    try:
        return Path.home()
    except (RuntimeError, KeyError):  # no HOME and no password entry
        return None


def _unowned_in_marked(real: Path) -> str | None:
    """A marked folder whose own names were replaced by something kb did not make."""
    kb = real / KB_DIR
    if kb.is_symlink() or (kb.exists() and not kb.is_dir()):
        return f"{kb} is not kb's folder: move it away"
    for name in LINKED:
        path = real / name
        if path.exists() and not path.is_symlink():
            kind = "folder" if path.is_dir() else "file"
            return f"{path} is not kb's link but a {kind} kb did not write: move it away"
    return None


@contextlib.contextmanager
def claim(out: Path, project: Path | None = None, source: Path | None = None) -> Iterator[Path]:
    """Hold `out` for one build: refuse an unsafe folder (OutputRefused), mark a new one, take its
    lock (a second build refuses at once, naming this one's pid) and remove what killed builds
    left. Yields the resolved folder. Nested claims of one folder in one process share the lock."""
    real = out.resolve()
    if real in _held:  # the outer claim checked, locked and cleaned, and will unlock
        yield real
        return
    reason = refusal(out, project, source)
    if reason:
        raise OutputRefused(f"refusing to build into {_shown(out, real)}: {reason}")
    _adopt(real)
    lock = _lock(real / KB_DIR / LOCK, _shown(out, real))
    _held.add(real)
    try:
        _clean(real / KB_DIR)
        yield real
    finally:
        _held.discard(real)
        _unlock(lock)


def _shown(out: Path, real: Path) -> str:
    return f"'{out}'" if str(out) == str(real) else f"'{out}' ({real})"


def _adopt(real: Path) -> None:
    real.mkdir(parents=True, exist_ok=True)
    marker = real / MARKER
    if not marker.exists():
        marker.write_text(_MARKER_TEXT, encoding="utf-8")
    (real / KB_DIR).mkdir(exist_ok=True)


@dataclass(frozen=True)
class _Lock:
    fd: int
    pid: int  # the process that took it: a forked worker unwinding must not release it


def _lock(path: Path, shown: str) -> _Lock:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        pid = _take(fd)
    except BaseException:
        os.close(fd)
        raise
    if pid is not None:
        os.close(fd)
        who = f"pid {pid}" if pid else "pid unknown"
        raise OutputRefused(
            f"refusing to build into {shown}: another kb build ({who}) is writing it;"
            " wait for it to finish or choose another --out"
        )
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return _Lock(fd, os.getpid())


def _take(fd: int) -> str | None:
    """None once this process holds the lock; else the pid its holder wrote ('' if none shows).

    A holder writes its pid just after it locks and empties the file just before it unlocks, so
    a lock held without a pid is either just taken or about to be free: ask again for a moment."""
    for _ in range(20):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return None
        except BlockingIOError:
            text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            if text:
                return text
            time.sleep(0.05)
    return ""


def _unlock(lock: _Lock) -> None:
    if os.getpid() != lock.pid:
        os.close(lock.fd)  # a forked copy shares the lock; only its taker releases it
        return
    try:
        os.ftruncate(lock.fd, 0)  # the pid of a finished build would only mislead
    finally:
        fcntl.flock(lock.fd, fcntl.LOCK_UN)
        os.close(lock.fd)


def _clean(kb: Path) -> None:
    """Under the lock no other build runs here: scratch folders and temporary links are leftovers
    of killed builds, and releases other than the live one and the one before it are garbage."""
    for path in kb.iterdir():
        if path.name.startswith(SCRATCH) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.name.startswith(LINK_TMP) and path.is_symlink():
            path.unlink()
    _collect(kb)


@contextlib.contextmanager
def scratch(out: Path) -> Iterator[Path]:
    """A fresh folder under `out/.kb/` to build into, inside a claim of `out` (taken here if the
    caller holds none); removed afterwards whatever happens."""
    with claim(out) as real:
        work = Path(tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-", dir=real / KB_DIR))
        try:
            yield work
        finally:
            shutil.rmtree(work, ignore_errors=True)


def swap(work: Path, out: Path, names: Iterable[str]) -> None:
    """Publish `work/<name>` for each name as one new release, with the live release's other
    audiences carried over (hard links), and make it live in one step. Needs `claim(out)`."""
    names = list(names)
    for name in names:
        if not (work / name).is_dir():
            raise PublishError(f"nothing was built for '{name}'")
    real = out.resolve()
    if real not in _held:
        raise PublishError(f"{out} is not held by this build (publish.claim)")
    kb = real / KB_DIR
    stage = work / "release"
    stage.mkdir()
    for name in names:
        os.rename(work / name, stage / name)
    live = _live(kb)
    if live is not None:
        _carry_over(live, stage, names)
    (stage / MANIFEST).write_text(json.dumps({"files": _files(stage)}, indent=0), encoding="utf-8")
    (kb / RELEASES).mkdir(exist_ok=True)
    release = kb / RELEASES / _next_name(kb)
    os.rename(stage, release)  # whole: releases/ holds complete releases only
    for name in sorted(p.name for p in release.iterdir() if p.is_dir()):
        # Made before the switch, a new audience's link resolves to nothing until `current` moves.
        _point(real / name, f"{KB_DIR}/{CURRENT}/{name}", kb)
    _point(kb / CURRENT, f"{RELEASES}/{release.name}", kb)  # the switch
    # The new pair is live whatever happens now; the next build's claim collects again, and
    # reports a failure there before it builds anything.
    with contextlib.suppress(OSError):
        _collect(kb)


def live_release(out: Path) -> Path | None:
    """The folder of the release live under `out` (one folder per audience), or None."""
    return _live(out.resolve() / KB_DIR)


def _live(kb: Path) -> Path | None:
    link = kb / CURRENT
    if not link.is_symlink():
        return None
    release = kb / os.readlink(link)
    return release if release.is_dir() else None


def _files(root: Path) -> list[str]:
    """Everything but folders (a link the renderer made is kb's too)."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_symlink() or not p.is_dir())


def _listed(release: Path) -> list[str]:
    """The files kb wrote into a release; [] when its manifest is missing or unreadable."""
    try:
        files = json.loads((release / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    # Only plain relative paths: a damaged manifest must not reach outside the release.
    return [f for f in files if isinstance(f, str) and not f.startswith("/") and ".." not in f.split("/")]


def _carry_over(live: Path, stage: Path, built: list[str]) -> None:
    """The live release's other audiences, as kb wrote them (its manifest), into the new one."""
    for rel in _listed(live):
        if rel == MANIFEST or rel.split("/", 1)[0] in built:
            continue
        source, target = live / rel, stage / rel
        if not source.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)  # releases are never changed in place, so sharing is safe
        except OSError:
            shutil.copy2(source, target)


def _next_name(kb: Path) -> str:
    numbers = [int(n) for folder in (RELEASES, TRASH) for n in _names(kb / folder) if n.isdigit()]
    return f"{max(numbers, default=0) + 1:06d}"


def _names(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except FileNotFoundError:
        return []


def _point(link: Path, target: str, kb: Path) -> None:
    """Make `link` a symlink to `target` atomically: a new link renamed over the old one."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    fresh = kb / f"{LINK_TMP}{link.name}-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        fresh.unlink()
    os.symlink(target, fresh)
    try:
        os.replace(fresh, link)
    except OSError as exc:
        fresh.unlink()
        raise PublishError(f"cannot replace {link}: {exc}") from exc


def _collect(kb: Path) -> None:
    """Keep the live release and the newest one before it; remove the others by their manifest."""
    live = _live(kb)
    releases = [n for n in _names(kb / RELEASES) if n.isdigit()]
    keep = set()
    if live is not None and live.name.isdigit():
        keep.add(live.name)
        older = [n for n in releases if int(n) < int(live.name)]
        if older:
            keep.add(max(older, key=int))
    for name in releases:
        if name not in keep:
            _trash(kb, name)
    for name in _names(kb / TRASH):
        _remove_listed(kb / TRASH / name)
    with contextlib.suppress(OSError):
        (kb / TRASH).rmdir()  # only when empty


def _trash(kb: Path, name: str) -> None:
    """Move a release out of releases/ in one step, under a name trash/ does not hold yet."""
    (kb / TRASH).mkdir(exist_ok=True)
    target, n = kb / TRASH / name, 1
    while target.exists():
        target, n = kb / TRASH / f"{name}-{n}", n + 1
    os.rename(kb / RELEASES / name, target)


def _remove_listed(release: Path) -> None:
    """Delete the files the manifest lists, then the folders left empty, then the manifest; a
    file kb did not write keeps its folders and the manifest, and so stays in trash/."""
    folders: set[str] = set()
    for rel in _listed(release):
        if rel == MANIFEST:
            continue
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
            os.unlink(release / rel)  # a file, or a link (to a folder too), not a folder
        parent = rel.rpartition("/")[0]
        while parent and parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    for folder in sorted(folders, key=lambda f: -f.count("/")):  # deepest first
        with contextlib.suppress(OSError):
            (release / folder).rmdir()  # fails on a folder that still holds something kb did not write
    if _names(release) != [MANIFEST]:  # what is left: maybe folders that never held a file
        left = (p for p in release.rglob("*") if p.is_dir() and not p.is_symlink())
        for path in sorted(left, reverse=True):
            with contextlib.suppress(OSError):
                path.rmdir()
    if _names(release) == [MANIFEST]:
        (release / MANIFEST).unlink()
        release.rmdir()


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
