@echo off
rem Set up .venv and start the dashboard (http://127.0.0.1:8080; --host, --port, --open, add-user NAME).
setlocal
call "%~dp0_venv.bat" || exit /b 1
"%VENV_BIN%\bedrot.exe" dashboard %*
exit /b %ERRORLEVEL%
