@echo off
rem Interactive run: a browser opens for each service whose saved login expired.
rem Use it after an unattended run skipped services for authentication. See docs\scheduling.md.
setlocal
call "%~dp0_ensure_venv.bat"
if errorlevel 1 exit /b %ERRORLEVEL%
echo Interactive run: a browser window will open for any service whose saved login has expired; log in there, 2FA included, and the run carries on.
"%BEDROT%" run %*
exit /b %ERRORLEVEL%
