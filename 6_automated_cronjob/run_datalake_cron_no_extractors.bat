@echo off
rem Unattended run without extractors: cleaners, ETL and reports on what is already in
rem the zones (e.g. manually dropped exports). See docs\scheduling.md.
rem Its output also goes to logs\bedrot_pipeline.log, and its WARNING, ERROR and FAIL lines (and a
rem failed ending) to logs\bedrot_pipeline_errors.log (common/wrapper_log.py).
setlocal
call "%~dp0_ensure_venv.bat"
if errorlevel 1 exit /b %ERRORLEVEL%
"%PYTHON%" -m common.wrapper_log "%BEDROT%" run --automated --no-extract %*
exit /b %ERRORLEVEL%
