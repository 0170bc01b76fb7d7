"""Services: folders of src/ with extractors/ or cleaners/; broken ones are reported apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.discovery import builtin_service_folders, discover_services, order_cleaners
from common.lake import ALL_BUILTIN, SERVICES_CONFIG, Lake, choose_builtin_services

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


def _builtin(root: Path, service: str) -> Path:
    """An installed service package: `__init__.py` and its three cleaners."""
    folder = root / service
    (folder / "cleaners").mkdir(parents=True)
    (folder / "__init__.py").write_text("", encoding="utf-8")
    for step in ("landing2raw", "raw2staging", "staging2curated"):
        (folder / "cleaners" / f"{service}_{step}.py").write_text(SCRIPT, encoding="utf-8")
    return folder


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    """A site-packages: two built-in services, the framework, and a stranger with cleaners/."""
    root = tmp_path / "site-packages"
    for service in ("capitalone", "distrokid"):
        _builtin(root, service)
    (root / "common" / "cleaners").mkdir(parents=True)
    (root / "common" / "__init__.py").write_text("", encoding="utf-8")
    (root / "stranger" / "cleaners").mkdir(parents=True)
    return root


def test_a_lake_without_a_selection_runs_only_its_own_services(lake: Lake, installed: Path) -> None:
    add_cleaners(lake, "bandcamp")

    found = discover_services(lake, installed)

    assert [(s.name, s.builtin) for s in found.services] == [("bandcamp", False)]


def test_an_init_made_lake_runs_every_built_in_service_beside_its_own(
    lake: Lake, installed: Path
) -> None:
    choose_builtin_services(lake, ALL_BUILTIN)
    add_cleaners(lake, "bandcamp")

    found = discover_services(lake, installed)

    assert [(s.name, s.builtin) for s in found.services] == [
        ("bandcamp", False),
        ("capitalone", True),
        ("distrokid", True),
    ]
    assert found.services[1].folder == installed / "capitalone"
    assert found.broken == {}


def test_a_lake_folder_overrides_the_built_in_service_of_its_name(
    lake: Lake, installed: Path
) -> None:
    choose_builtin_services(lake, ALL_BUILTIN)
    mine = add_cleaners(lake, "capitalone")

    found = discover_services(lake, installed)

    capitalone = next(s for s in found.services if s.name == "capitalone")
    assert capitalone.cleaners == tuple(mine)
    assert not capitalone.builtin
    assert [s.name for s in found.services] == ["capitalone", "distrokid"]


def test_saved_logins_alone_do_not_override_a_built_in_service(lake: Lake, installed: Path) -> None:
    choose_builtin_services(lake, ALL_BUILTIN)
    (lake.src / "distrokid" / "cookies").mkdir(parents=True)

    distrokid = next(
        s for s in discover_services(lake, installed).services if s.name == "distrokid"
    )

    assert distrokid.builtin and distrokid.folder == installed / "distrokid"


def test_a_lake_may_run_only_some_built_in_services(lake: Lake, installed: Path) -> None:
    choose_builtin_services(lake, ["distrokid"])

    assert [s.name for s in discover_services(lake, installed).services] == ["distrokid"]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ('{"builtin": ["bandcamp"]}', "bandcamp, which is not a built-in service"),
        ('{"builtin": "some"}', 'must be "all" or a list of service names'),
        ("[1, 2", "is not valid JSON"),
    ],
    ids=["unknown-name", "bad-value", "bad-json"],
)
def test_a_wrong_selection_is_reported_and_the_lakes_own_services_still_run(
    lake: Lake, installed: Path, document: str, expected: str
) -> None:
    (lake.config / SERVICES_CONFIG).write_text(document, encoding="utf-8")
    add_cleaners(lake, "bandcamp")

    found = discover_services(lake, installed)

    assert [s.name for s in found.services] == ["bandcamp"]
    assert expected in found.broken[SERVICES_CONFIG]


def test_the_installed_services_are_the_checkouts_service_packages() -> None:
    checkout = Path(__file__).resolve().parents[2] / "src"
    shaped = {
        folder.name
        for folder in checkout.iterdir()
        if (folder / "cleaners").is_dir() or (folder / "extractors").is_dir()
    }

    assert set(builtin_service_folders()) == shaped - {"common"}
    assert {"capitalone", "distrokid", "metaads"} <= shaped
