"""Each service declares itself once (src/<service>/service.py); the warehouse, health, the login
policy, the demo and the scaffold read those declarations."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.declarations import (
    Dataset,
    DeclarationError,
    HealthWindow,
    ServiceDeclaration,
    check_loaders,
    find_declaration,
    load_declaration,
    service_declarations,
)
from common.demodata import demo_writers
from common.discovery import discover_services
from common.health.config import HealthConfigError, load_health_config
from common.lake import Lake
from common.scaffold import new_service
from common.sessions.policy import load_policy
from common.warehouse.sources import LOADERS, plan_sources

CHECKOUT = Lake(Path(__file__).resolve().parents[2])
HEAVY = ("polars", "pandera", "sqlalchemy", "pandas", "requests", "playwright")


def test_every_discovered_service_declares_itself_with_loaders_the_warehouse_has() -> None:
    discovered = [service.name for service in discover_services(CHECKOUT).services]
    declared = service_declarations(CHECKOUT)

    assert discovered and set(discovered) <= set(declared)
    for name in discovered:
        assert find_declaration(name) is not None, f"src/{name}/service.py is missing"
        check_loaders(declared[name], LOADERS)
    loaders = {d.loader for s in declared.values() for d in s.datasets if d.loader}
    assert loaders == set(LOADERS)  # every loader is fed, none is named in vain
    assert plan_sources(declared.values()).problems == []


def test_a_shared_file_is_loaded_once_and_feeds_the_catalog_when_it_holds_royalty_lines() -> None:
    plan = plan_sources(service_declarations(CHECKOUT).values())

    streams = [s for s in plan.sources("streaming") if s.dataset == "daily_streams"]
    assert [s.pattern for s in streams] == [
        load_declaration("distrokid").dataset("daily_streams").file
    ]
    assert load_declaration("toolost").dataset("daily_streams").file == streams[0].pattern
    assert plan.catalog_patterns == [load_declaration("distrokid").dataset("bank_details").file]


def test_reading_every_declaration_imports_no_dataframe_database_or_http_library() -> None:
    code = (
        "import sys\n"
        "from common.declarations import service_declarations\n"
        "assert len(service_declarations()) >= 7\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    assert shown.stdout.strip() == "[]"


def test_a_dataset_named_twice_is_refused_with_a_sentence() -> None:
    with pytest.raises(DeclarationError, match="declares the dataset name 'daily' twice"):
        ServiceDeclaration(
            "bandcamp", datasets=(Dataset("daily", "a.csv"), Dataset("daily", "b.csv"))
        )
    with pytest.raises(DeclarationError, match="declares the curated file 'a.csv' twice"):
        ServiceDeclaration("bandcamp", datasets=(Dataset("one", "a.csv"), Dataset("two", "a.csv")))


def test_an_unknown_loader_is_refused_and_the_other_datasets_still_load() -> None:
    wrong = ServiceDeclaration(
        "bandcamp",
        datasets=(
            Dataset("sales", "bandcamp_sales.csv", loader="royalty_line"),
            Dataset("streams", "bandcamp_streams.csv", loader="daily_streams"),
        ),
    )

    with pytest.raises(DeclarationError) as refused:
        check_loaders(wrong, LOADERS)
    plan = plan_sources([wrong])

    assert str(refused.value).startswith(
        "service bandcamp declares dataset sales with the warehouse loader 'royalty_line', "
        "which the warehouse does not have (it has: ad_actions, "
    )
    assert str(refused.value).endswith("fix src/bandcamp/service.py.")
    assert plan.problems == [str(refused.value)]
    assert [s.pattern for s in plan.sources("streaming")] == ["bandcamp_streams.csv"]


def test_login_defaults_are_the_declared_ones_and_the_lake_file_overrides_them(
    lake: Lake,
) -> None:
    defaults = load_policy(lake)
    (lake.config / "cookie_refresh_config.json").write_text(
        json.dumps({"services": {"distrokid": {"max_age_days": 20}}}), encoding="utf-8"
    )
    overridden = load_policy(lake)

    assert "capitalone" not in defaults.services  # Capital One declares no login
    tiktok = defaults.services["tiktok"]
    assert (tiktok.strategy, tiktok.max_age_days, tiktok.priority) == ("playwright", 30, "HIGH")
    assert tiktok.logins == ("zone.a0", "pig1987")
    assert defaults.services["toolost"].jwt_name == "jwt_token"
    assert defaults.services["metaads"].token_env == "META_ACCESS_TOKEN"
    assert overridden.services["distrokid"].max_age_days == 20
    assert overridden.services["distrokid"].refresh_interval_days == 10  # declared


def test_health_windows_are_declared_and_the_lake_file_overrides_them(lake: Lake) -> None:
    without_file = load_health_config(lake)
    (lake.config / "health.json").write_text(
        json.dumps(
            {
                "default": {"warn_days": 4, "fail_days": 9},
                "services": {"capitalone": {"warn_days": 40}, "soundcloud": {"fail_days": 6}},
            }
        ),
        encoding="utf-8",
    )
    with_file = load_health_config(lake)

    assert without_file.window_for("capitalone") == HealthWindow(35, 60)
    assert without_file.window_for("bandcamp") == HealthWindow(3, 7)
    assert with_file.window_for("capitalone") == HealthWindow(40, 60)  # 60 as declared
    assert with_file.window_for("distrokid") == HealthWindow(2, 5)
    assert with_file.window_for("soundcloud") == HealthWindow(4, 6)  # declares nothing
    assert with_file.window_for("bandcamp") == HealthWindow(4, 9)


def test_the_shipped_health_file_is_valid_and_leaves_each_service_its_declared_window() -> None:
    shipped = load_health_config(CHECKOUT)

    assert shipped.window_for("mailchimp") == HealthWindow(8, 15)
    assert shipped.window_for("instagram") == HealthWindow(3, 7)
    assert shipped.window_for("youtube") == HealthWindow(5, 10)  # the API lags 2-3 days


def test_a_service_declaring_a_warning_after_its_failure_is_refused(
    monkeypatch: pytest.MonkeyPatch, lake: Lake
) -> None:
    wrong = ServiceDeclaration("bandcamp", health=HealthWindow(warn_days=9, fail_days=4))
    monkeypatch.setattr("common.health.config.find_declaration", lambda name: wrong)

    with pytest.raises(HealthConfigError, match=r"src/bandcamp/service.py health: warn_days \(9\)"):
        load_health_config(lake).window_for("bandcamp")


def test_the_demo_asks_each_service_for_its_own_writer() -> None:
    writers = demo_writers()

    assert set(writers) == {
        name for name, declared in service_declarations().items() if declared.demo_writer
    }
    assert len(writers) == 10  # seven services, then Instagram, YouTube and Mailchimp
    assert all(write.__module__ == f"{name}.demo" for name, write in writers.items())


@pytest.fixture
def scaffolded(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServiceDeclaration]:
    """`bedrot new-service shopfront` in a fresh lake, its declaration imported from there."""
    new_service(lake, "shopfront")
    monkeypatch.syspath_prepend(str(lake.src))
    try:
        yield load_declaration("shopfront")
    finally:
        for module in [m for m in sys.modules if m.split(".")[0] == "shopfront"]:
            del sys.modules[module]


def test_new_service_writes_a_declaration_the_framework_reads(
    scaffolded: ServiceDeclaration, lake: Lake
) -> None:
    folder = lake.src / "shopfront"

    assert (folder / "service.py").is_file() and (folder / "settings.py").is_file()
    assert 'SERVICE = "shopfront"' in (folder / "settings.py").read_text(encoding="utf-8")
    assert scaffolded.name == "shopfront"
    assert [(d.name, d.file, d.keys) for d in scaffolded.datasets] == [
        ("exports", "shopfront/shopfront_*.csv", ("date",))
    ]
    assert "shopfront" in service_declarations(lake)
    assert plan_sources([scaffolded]).problems == []
    assert load_health_config(lake).window_for("shopfront") == scaffolded.health
