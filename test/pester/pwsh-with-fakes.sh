#!/bin/sh
# Stands in for powershell.exe in the windows: live source's test (DHCP_FAILOVER_CHECK_POWERSHELL):
# takes the arguments the source passes (... -File <script> <script arguments>), and runs that
# script under pwsh with fake-cmdlets.ps1 loaded first, so the real collector runs over the mocked
# DhcpServer and LocalAccounts cmdlets. PWSH names pwsh when it is not on PATH.
here=$(cd "$(dirname "$0")" && pwd)
script=
while [ $# -gt 0 ]; do
  case "$1" in
    -File) script=$2; shift 2; break ;;
    *) shift ;;
  esac
done
quoted=
for a in "$@"; do
  case "$a" in
    -[A-Za-z]*) quoted="$quoted $a" ;;   # a parameter name stays bare
    *) quoted="$quoted '$(printf %s "$a" | sed "s/'/''/g")'" ;;
  esac
done
# As powershell.exe -File: a terminating error is exit 1 with the error on stderr.
exec "${PWSH:-pwsh}" -NoProfile -NonInteractive -Command ". '$here/fake-cmdlets.ps1'; try { & '$script'$quoted } catch { [Console]::Error.WriteLine(\$_.ToString()); exit 1 }; exit 0"
