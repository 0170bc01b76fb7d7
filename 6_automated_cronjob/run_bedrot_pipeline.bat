@echo off
rem Pipeline run; every argument goes straight to "bedrot run" (e.g. --automated).
rem See docs\scheduling.md.
setlocal
call "%~dp0_ensure_venv.bat"
if errorlevel 1 exit /b %ERRORLEVEL%
"%BEDROT%" run %*
exit /b %ERRORLEVEL%
