<#
.SYNOPSIS
    Registers (or removes) the Windows Task Scheduler task that runs the BEDROT Data Lake
    pipeline once a day.

.DESCRIPTION
    Creates the task "BEDROT Data Lake daily" (name changeable with -TaskName) that runs
    6_automated_cronjob\run_datalake_cron.bat (or run_datalake_cron_no_extractors.bat with
    -NoExtractors) every day at -At, with the repository root as working directory.
    The console output of each run is appended to logs\task_scheduler.log; the pipeline's
    own logs are written to logs\ as usual (see docs\scheduling.md).

    Task settings: start as soon as possible after a missed start (StartWhenAvailable),
    stop after 2 hours, never start a second copy while one is running (IgnoreNew), and
    also run on battery power.

    By default the task runs as the current user only while that user is logged on.
    Pass -Credential to run it whether the user is logged on or not (the password is
    stored by Task Scheduler). Either way the run is unattended (--automated): a service
    whose saved login expired is skipped with a warning; run
    6_automated_cronjob\run_pipeline_with_auth.bat by hand to log in again.

    Re-running the script replaces an existing task of the same name.

.PARAMETER At
    Daily start time, 24-hour HH:mm. Default 06:00.

.PARAMETER TaskName
    Name of the scheduled task. Default "BEDROT Data Lake daily".

.PARAMETER NoExtractors
    Schedule run_datalake_cron_no_extractors.bat (cleaners, ETL, reports only) instead of
    the full run.

.PARAMETER Unregister
    Remove the task instead of creating it.

.PARAMETER Credential
    Optional. Account to run the task as whether the user is logged on or not
    (e.g. -Credential (Get-Credential "$env:USERDOMAIN\$env:USERNAME")).

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File scripts\register_task_scheduler.ps1

.EXAMPLE
    .\scripts\register_task_scheduler.ps1 -At 07:30 -NoExtractors

.EXAMPLE
    .\scripts\register_task_scheduler.ps1 -Credential (Get-Credential "$env:USERDOMAIN\$env:USERNAME")

.EXAMPLE
    .\scripts\register_task_scheduler.ps1 -Unregister
#>
[CmdletBinding()]
param(
    [ValidatePattern('^([01]?[0-9]|2[0-3]):[0-5][0-9]$')]
    [string]$At = '06:00',
    [ValidateNotNullOrEmpty()]
    [string]$TaskName = 'BEDROT Data Lake daily',
    [switch]$NoExtractors,
    [switch]$Unregister,
    [System.Management.Automation.PSCredential]$Credential
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if ($Unregister) {
    if (Get-ScheduledTask -TaskName $TaskName -ErrorAction SilentlyContinue) {
        Unregister-ScheduledTask -TaskName $TaskName -Confirm:$false
        Write-Host "Removed scheduled task '$TaskName'."
    } else {
        Write-Host "No scheduled task named '$TaskName'; nothing to remove."
    }
    exit 0
}

$repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$wrapperName = if ($NoExtractors) { 'run_datalake_cron_no_extractors.bat' } else { 'run_datalake_cron.bat' }
$wrapper = Join-Path $repoRoot (Join-Path '6_automated_cronjob' $wrapperName)
if (-not (Test-Path -LiteralPath $wrapper -PathType Leaf)) {
    throw "Wrapper not found: $wrapper. Run this script from the scripts folder of a BEDROT Data Lake checkout."
}

$logDir = Join-Path $repoRoot 'logs'
New-Item -ItemType Directory -Path $logDir -Force | Out-Null
$consoleLog = Join-Path $logDir 'task_scheduler.log'

# cmd /c ""wrapper" >> "log" 2>&1": cmd strips the outer quotes, keeping the inner ones,
# so paths with spaces work. The task's result is the wrapper's exit code.
$action = New-ScheduledTaskAction -Execute 'cmd.exe' `
    -Argument "/d /c `"`"$wrapper`" >> `"$consoleLog`" 2>&1`"" `
    -WorkingDirectory $repoRoot

$startTime = [datetime]::ParseExact($At, [string[]]@('H:mm', 'HH:mm'),
    [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::None)
$trigger = New-ScheduledTaskTrigger -Daily -At $startTime

$settings = New-ScheduledTaskSettingsSet `
    -StartWhenAvailable `
    -ExecutionTimeLimit (New-TimeSpan -Hours 2) `
    -MultipleInstances IgnoreNew `
    -AllowStartIfOnBatteries `
    -DontStopIfGoingOnBatteries

$description = "BEDROT Data Lake daily pipeline run ($wrapperName). Logs: $logDir. See docs\scheduling.md."

$register = @{
    TaskName    = $TaskName
    Action      = $action
    Trigger     = $trigger
    Settings    = $settings
    Description = $description
    Force       = $true
}
if ($Credential) {
    # Stored password: the task runs whether the user is logged on or not.
    $register.User = $Credential.UserName
    $register.Password = $Credential.GetNetworkCredential().Password
    $register.RunLevel = 'Limited'
} else {
    # Current user, only while logged on (interactive).
    $me = [System.Security.Principal.WindowsIdentity]::GetCurrent().Name
    $register.Principal = New-ScheduledTaskPrincipal -UserId $me -LogonType Interactive -RunLevel Limited
}

Register-ScheduledTask @register | Out-Null

$mode = if ($Credential) { 'whether the user is logged on or not' } else { 'only while you are logged on' }
Write-Host "Registered scheduled task '$TaskName': $wrapperName daily at $At, $mode."
Write-Host "Working directory: $repoRoot"
Write-Host "Console output:    $consoleLog"
Write-Host "Run it now with:   Start-ScheduledTask -TaskName '$TaskName'"
