"""Deterministic demo landing files for every service of the BEDROT label, year 2025.

Each service writes its own demo exports (`src/<service>/demo.py`, named by its declaration's
`demo_writer`); this package keeps what they share: the catalog, the daily series and the
DistroKid bank rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from common.declarations import ServiceDeclaration, service_declarations

DemoWriter = Callable[[Path], list[Path]]


def demo_writers(
    declarations: Sequence[ServiceDeclaration] | None = None,
) -> dict[str, DemoWriter]:
    """Each service's demo writer by service name (services without one are left out)."""
    chosen = service_declarations().values() if declarations is None else declarations
    writers: dict[str, DemoWriter] = {}
    for declaration in chosen:
        writer = declaration.demo()
        if writer is not None:
            writers[declaration.name] = writer  # type: ignore[assignment]
    return writers


def write_all(landing_root: Path) -> list[Path]:
    """Write each service's demo exports into `landing_root/<service>/` and return them."""
    return [
        path for service, write in demo_writers().items() for path in write(landing_root / service)
    ]
