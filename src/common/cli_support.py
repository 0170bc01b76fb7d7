"""What every `bedrot` command starts with: the lake (and its .env), and one way to fail."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from common.lake import Lake

EXIT_BAD_ROOT = 2


def fail(message: str, code: int = EXIT_BAD_ROOT) -> typer.Exit:
    """Print `[FAIL] message` on stderr; raise the returned Exit."""
    typer.echo(f"[FAIL] {message}", err=True)
    return typer.Exit(code)


def open_lake() -> Lake:
    """The lake with its `.env` loaded, or exit 2 with the sentence naming the right root."""
    from common.lake import Lake, NotALakeError
    from common.settings import load_lake_env

    try:
        lake = Lake.locate()
    except NotALakeError as error:
        raise fail(str(error)) from None
    load_lake_env(lake)
    return lake
