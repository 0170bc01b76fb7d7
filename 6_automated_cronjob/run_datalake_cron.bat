@echo off
rem Full unattended daily run (cookie check, health, extractors, cleaners, ETL, reports).
rem Services whose saved login expired are skipped with a warning. See docs\scheduling.md.
rem Its output also goes to logs\bedrot_pipeline.log, and its WARNING, ERROR and FAIL lines (and a
rem failed ending) to logs\bedrot_pipeline_errors.log (common/wrapper_log.py).
setlocal
call "%~dp0_ensure_venv.bat"
if errorlevel 1 exit /b %ERRORLEVEL%
"%PYTHON%" -m common.wrapper_log "%BEDROT%" run --automated %*
exit /b %ERRORLEVEL%
