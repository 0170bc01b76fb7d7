@echo off
rem Called by demo.bat and test.bat: make or reuse .venv and install the project (editable).
cd /d "%~dp0.."
if not exist ".venv\Scripts\python.exe" (
    py -3 -m venv .venv 2>nul || python -m venv .venv
)
if not exist ".venv\Scripts\python.exe" (
    echo ERROR: could not create .venv - is Python 3.11+ installed? 1>&2
    exit /b 1
)
rem uv installs the same packages as pip, several times faster; pip installs uv and is the
rem fallback (see _venv.sh). Bytecode is compiled at install time only where the environment
rem forbids Python to cache it. setuptools and wheel: the build requirements (tests\test_install.py).
set "UV_COMPILE="
if defined PYTHONDONTWRITEBYTECODE set "UV_COMPILE=--compile-bytecode"
if not exist ".venv\Scripts\uv.exe" ".venv\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check uv
if exist ".venv\Scripts\uv.exe" ".venv\Scripts\uv.exe" pip install --python ".venv\Scripts\python.exe" --quiet %UV_COMPILE% "setuptools>=69" wheel -e ".%BEDROT_EXTRAS%" && goto installed
echo uv could not install the project; installing it with pip instead.
".venv\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check --upgrade pip setuptools wheel || exit /b 1
".venv\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check -e ".%BEDROT_EXTRAS%" || exit /b 1
:installed
set "VENV_BIN=%CD%\.venv\Scripts"
rem Compile the checkout's modules once (an editable install does not; see _venv.sh). A file that
rem does not compile is only reported: the runner names that service broken, setup goes on.
"%VENV_BIN%\python.exe" -m compileall -q -j 0 src etl || echo Some modules under src\ or etl\ do not compile (above).
exit /b 0
