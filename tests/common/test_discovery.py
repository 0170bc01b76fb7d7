"""Services: folders of src/ with extractors/ or cleaners/; broken ones are reported apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.discovery import discover_services, order_cleaners
from common.lake import Lake

SCRIPT = "print('ok')\n"


def add_script(lake: Lake, service: str, kind: str, name: str, text: str = SCRIPT) -> Path:
    path = lake.src / service / kind / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def add_cleaners(lake: Lake, service: str) -> list[Path]:
    steps = ("landing2raw", "raw2staging", "staging2curated")
    return [add_script(lake, service, "cleaners", f"{service}_{step}.py") for step in steps]


def test_services_are_found_sorted_by_name(lake: Lake) -> None:
    for service in ("tiktok", "bandcamp", "spotify"):
        add_script(lake, service, "extractors", f"{service}_extract.py")

    found = discover_services(lake)

    assert [s.name for s in found.services] == ["bandcamp", "spotify", "tiktok"]
    assert found.broken == {}


def test_common_and_folders_without_scripts_folders_are_not_services(lake: Lake) -> None:
    add_script(lake, "common", "extractors", "common_extract.py")
    (lake.src / "notes").mkdir()
    (lake.src / "notes" / "readme.py").write_text(SCRIPT, encoding="utf-8")
    add_cleaners(lake, "spotify")

    found = discover_services(lake)

    assert [s.name for s in found.services] == ["spotify"]
    assert found.broken == {}


def test_a_discovered_service_runs_its_cleaners_in_zone_order(lake: Lake) -> None:
    landing, raw, staging = add_cleaners(lake, "spotify")
    add_script(lake, "spotify", "cleaners", "__init__.py")

    (service,) = discover_services(lake).services

    assert service.cleaners == (landing, raw, staging)


def test_cleaners_are_ordered_by_zone_whatever_order_they_come_in(tmp_path: Path) -> None:
    folder = tmp_path / "spotify" / "cleaners"
    landing, raw, staging = (
        folder / f"spotify_{step}.py" for step in ("landing2raw", "raw2staging", "staging2curated")
    )

    assert order_cleaners("spotify", [staging, landing, raw]) == (landing, raw, staging)
    assert order_cleaners("spotify", [staging, landing]) == (landing, staging)


def test_extractors_are_listed_with_their_service(lake: Lake) -> None:
    extractor = add_script(lake, "spotify", "extractors", "spotify_extract.py")
    add_script(lake, "spotify", "extractors", "_shared.py")

    (service,) = discover_services(lake).services

    assert service.extractors == (extractor,)
    assert service.cleaners == ()


@pytest.mark.parametrize(
    "name", ["spotify_cleanup.py", "tiktok_landing2raw.py"], ids=["unknown-step", "other-service"]
)
def test_a_wrongly_named_cleaner_breaks_only_its_service(lake: Lake, name: str) -> None:
    add_cleaners(lake, "bandcamp")
    add_script(lake, "spotify", "cleaners", name)

    found = discover_services(lake)

    assert [s.name for s in found.services] == ["bandcamp"]
    assert list(found.broken) == ["spotify"]
    assert name in found.broken["spotify"]
    assert "naming convention" in found.broken["spotify"]


def test_a_script_that_does_not_compile_breaks_only_its_service(lake: Lake) -> None:
    add_cleaners(lake, "bandcamp")
    add_cleaners(lake, "spotify")
    add_script(lake, "spotify", "cleaners", "spotify_raw2staging.py", "def broken(:\n")
    add_cleaners(lake, "tiktok")

    found = discover_services(lake)

    assert [s.name for s in found.services] == ["bandcamp", "tiktok"]
    assert list(found.broken) == ["spotify"]
    assert "spotify_raw2staging.py does not compile" in found.broken["spotify"]


def test_two_cleaners_for_the_same_step_break_the_service(lake: Lake) -> None:
    add_cleaners(lake, "spotify")
    add_script(lake, "spotify", "cleaners", "spotify_old_landing2raw.py")

    found = discover_services(lake)

    assert "spotify_old_landing2raw.py" in found.broken.get("spotify", "")
