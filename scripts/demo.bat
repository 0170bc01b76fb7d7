@echo off
rem Set up .venv and run the whole pipeline on built-in demo data in sandbox\demo_lake.
setlocal
call "%~dp0_venv.bat" || exit /b 1
"%VENV_BIN%\bedrot.exe" demo %*
exit /b %ERRORLEVEL%
