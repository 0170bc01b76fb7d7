@echo off
rem Called (with "call") by the wrappers in this folder; not meant to be run on its own. It:
rem   - changes to the repository root (the parent of this folder),
rem   - creates .venv there if it is missing (py -3, falling back to python),
rem   - installs the project into it (pip install -e .) when .venv\Scripts\bedrot.exe is missing,
rem   - sets BEDROT to the venv's bedrot.exe and PYTHON to its python.exe.
rem No setlocal here on purpose: the directory change, BEDROT and PYTHON must reach the caller.
rem Paths echoed inside ( ) blocks stay quoted so a folder name with ")" cannot break them.
rem PROJECT_ROOT is left untouched: when it is set, bedrot uses it as the lake root;
rem when it is unset, bedrot uses this checkout.
rem Exit code 3 means this set-up failed (no Python, pip install failed, ...).

cd /d "%~dp0.."
if errorlevel 1 (
    echo ERROR: cannot change to the repository folder "%~dp0.." 1>&2
    exit /b 3
)

rem A venv of a Python older than 3.11 cannot install the project: it is replaced by a new one
rem (only when its Python says so; a venv whose Python does not start is left for pip to report).
set "BEDROT_VENV_NEW_ENOUGH="
if exist ".venv\Scripts\python.exe" (
    for /f "usebackq delims=" %%v in (`".venv\Scripts\python.exe" -c "import sys; print(sys.version_info >= (3, 11))"`) do set "BEDROT_VENV_NEW_ENOUGH=%%v"
)
if "%BEDROT_VENV_NEW_ENOUGH%"=="False" (
    echo "%CD%\.venv" was made with a Python older than 3.11: it is removed and made again. 1>&2
    rmdir /s /q ".venv"
)
if not exist ".venv\Scripts\python.exe" (
    echo Creating the virtual environment "%CD%\.venv" ... 1>&2
    py -3.13 -m venv .venv 2>nul || py -3.12 -m venv .venv 2>nul || py -3.11 -m venv .venv 2>nul || python -m venv .venv
)
if not exist ".venv\Scripts\python.exe" (
    echo ERROR: could not create "%CD%\.venv" - is Python 3.11 or newer installed, with the py launcher or python on PATH? 1>&2
    exit /b 3
)
set "BEDROT_VENV_NEW_ENOUGH="
for /f "usebackq delims=" %%v in (`".venv\Scripts\python.exe" -c "import sys; print(sys.version_info >= (3, 11))"`) do set "BEDROT_VENV_NEW_ENOUGH=%%v"
if "%BEDROT_VENV_NEW_ENOUGH%"=="False" (
    echo ERROR: the only Python found is older than 3.11 - install Python 3.11 or newer and run again. 1>&2
    rmdir /s /q ".venv"
    exit /b 3
)
rem Any character reaches the log files, whatever the console's code page.
set "PYTHONUTF8=1"

if not exist ".venv\Scripts\bedrot.exe" (
    echo Installing the project into .venv - pip install -e . ... 1>&2
    ".venv\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check -e .
)
if not exist ".venv\Scripts\bedrot.exe" (
    echo ERROR: pip install -e . did not create .venv\Scripts\bedrot.exe in "%CD%" - see the pip output above 1>&2
    exit /b 3
)

set "BEDROT=%CD%\.venv\Scripts\bedrot.exe"
set "PYTHON=%CD%\.venv\Scripts\python.exe"
exit /b 0
