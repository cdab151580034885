# Stand-ins for the DhcpServer, LocalAccounts, NetTCPIP and Management cmdlets the collector calls,
# which exist only on Windows. The Pester tests Mock each of them (Pester mocks only commands that
# exist); a collector run in a process of its own (the windows: live source's test) gets these
# bodies, which answer from fixture.ps1: -ComputerName picks the server, default $env:FAKE_DHCP_SERVER.

. (Join-Path $PSScriptRoot 'fixture.ps1')

$global:FakeTarget = if ($env:FAKE_DHCP_SERVER) { $env:FAKE_DHCP_SERVER } else { 'DHCP1' }
$global:FakeServers = @{}

function global:Get-FakeServer {
    param([string] $ComputerName)
    $name = if ($ComputerName) { $ComputerName.Split('.')[0].ToUpperInvariant() } else { $global:FakeTarget }
    if ($name -notin 'DHCP1', 'DHCP2') { throw "Failed to get version of the DHCP server ${ComputerName}." }
    if (-not $global:FakeServers.ContainsKey($name)) { $global:FakeServers[$name] = New-FakeServer -Name $name }
    return $global:FakeServers[$name]
}

function global:Get-DhcpServerVersion { param([string] $ComputerName) (Get-FakeServer $ComputerName).Version }
function global:Get-DhcpServerv4Scope { param([string] $ComputerName) (Get-FakeServer $ComputerName).Scopes }
function global:Get-DhcpServerv4ExclusionRange { param([string] $ComputerName) @() }
function global:Get-DhcpServerv4Failover { param([string] $ComputerName) (Get-FakeServer $ComputerName).Failover }
function global:Get-DhcpServerSetting { param([string] $ComputerName) (Get-FakeServer $ComputerName).Setting }
function global:Get-DhcpServerv4Class { param([string] $ComputerName) (Get-FakeServer $ComputerName).Classes }
function global:Get-DhcpServerv4OptionDefinition { param([string] $ComputerName, [switch] $All) (Get-FakeServer $ComputerName).OptionDefinitions }
function global:Get-DhcpServerv4OptionValue { param([string] $ComputerName, [string] $ScopeId, [switch] $All) (Get-FakeServer $ComputerName).OptionValues[$ScopeId] }
function global:Get-DhcpServerv4Policy { param([string] $ComputerName, [string] $ScopeId) (Get-FakeServer $ComputerName).Policies[$ScopeId] }
function global:Get-DhcpServerv4DnsSetting { param([string] $ComputerName) (Get-FakeServer $ComputerName).DnsSetting }
function global:Get-DhcpServerDnsCredential { param([string] $ComputerName) (Get-FakeServer $ComputerName).DnsCredential }
function global:Get-DhcpServerv4Binding { param([string] $ComputerName) (Get-FakeServer $ComputerName).Bindings }
function global:Get-LocalGroupMember { param([string] $Name) (Get-FakeServer).Groups[$Name] }
function global:Get-Service { param([string] $Name) (Get-FakeServer).Service }
function global:Get-NetIPAddress { param([string] $AddressFamily) (Get-FakeServer).NetIPAddress }
# The registry value is absent (the default of 60 s applies).
function global:Get-ItemProperty { param([string] $Path, [string] $Name) [pscustomobject]@{} }
# WinRM to the fixture server: run the block with that server as "this machine".
function global:Invoke-Command {
    param([string] $ComputerName, [scriptblock] $ScriptBlock)
    $saved = $global:FakeTarget
    $global:FakeTarget = (Get-FakeServer $ComputerName).Name
    try { & $ScriptBlock } finally { $global:FakeTarget = $saved }
}
