@echo off
rem Set up .venv with the dev tools and run pytest with coverage, black, isort, flake8, mypy and import-linter.
setlocal
set "BEDROT_EXTRAS=[dev]"
rem Let Python cache the tests' bytecode whatever the environment says (see test.sh).
set PYTHONDONTWRITEBYTECODE=
call "%~dp0_venv.bat" || exit /b 1
set STATUS=0
if "%BEDROT_TEST_WORKERS%"=="" set BEDROT_TEST_WORKERS=2
"%VENV_BIN%\python.exe" -m pytest -n %BEDROT_TEST_WORKERS% --cov --cov-report=term %* || set STATUS=1
"%VENV_BIN%\black.exe" --check --quiet src tests etl benchmarks || set STATUS=1
"%VENV_BIN%\isort.exe" --check-only --quiet src tests etl benchmarks || set STATUS=1
"%VENV_BIN%\flake8.exe" src tests etl benchmarks || set STATUS=1
"%VENV_BIN%\mypy.exe" || set STATUS=1
"%VENV_BIN%\lint-imports.exe" --no-cache || set STATUS=1
exit /b %STATUS%
