@echo off
rem Unattended run without extractors: cleaners, ETL and reports on what is already in
rem the zones (e.g. manually dropped exports). See docs\scheduling.md.
setlocal
call "%~dp0_ensure_venv.bat"
if errorlevel 1 exit /b %ERRORLEVEL%
"%BEDROT%" run --automated --no-extract %*
exit /b %ERRORLEVEL%
