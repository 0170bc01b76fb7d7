@echo off
rem Full unattended daily run (cookie check, health, extractors, cleaners, ETL, reports).
rem Services whose saved login expired are skipped with a warning. See docs\scheduling.md.
setlocal
call "%~dp0_ensure_venv.bat"
if errorlevel 1 exit /b %ERRORLEVEL%
"%BEDROT%" run --automated %*
exit /b %ERRORLEVEL%
