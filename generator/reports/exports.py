"""Exports kb reads back (search logs, feedback votes): CSV with a header, or JSON lines, as the
widgets send their records and as analytics tools export them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any


def records(
    path: Path, needed: tuple[str, ...], optional: tuple[str, ...], error: type[Exception]
) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(line, record) of each record of the export at `path`; any problem raises `error` with the
    file and line. A CSV export must have a header naming every field of `needed`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise error(f"{path}: cannot be read ({err})") from err
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first.lstrip().startswith("{"):
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as err:
                raise error(f"{path}:{number}: not a JSON object ({err.args[0]})") from err
            if not isinstance(record, dict):
                raise error(f"{path}:{number}: not a JSON object")
            yield number, record
        return
    reader = csv.DictReader(io.StringIO(text))
    if not set(needed) <= set(reader.fieldnames or ()):
        fields = " and ".join(needed) + (f" (and {', '.join(optional)})" if optional else "")
        raise error(f"{path}:1: a CSV export needs a header with {fields}")
    for record in reader:
        yield reader.line_num, record
