"""Where an API service's next pull starts: the newest day its landed pulls already hold."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from common.zones import file_timestamp


def newest_landed_day(
    landing: Path, suffixes: Iterable[str], newest_in: Callable[[Path], date | None]
) -> date | None:
    """The newest day any landed pull holds, as `newest_in` reads it from one file (None for a
    file that holds none or cannot be read: the cleaners quarantine it and say why).

    A pull never holds a day after the day it ran, so files are read newest pull first and the
    search stops at a file pulled no later than the best day found: usually one file is read.
    """
    if not landing.is_dir():
        return None
    wanted = {suffix.lower() for suffix in suffixes}
    pulls = [p for p in landing.iterdir() if p.is_file() and p.suffix.lower() in wanted]
    newest: date | None = None
    for path in sorted(pulls, key=lambda p: (file_timestamp(p), p.name), reverse=True):
        if newest is not None and file_timestamp(path).date() <= newest:
            break
        found = newest_in(path)
        if found is not None and (newest is None or found > newest):
            newest = found
    return newest
