<#
.SYNOPSIS
    dhcp-failover-check's collector for Windows DHCP: writes the windows-json bundle the tool reads.

.DESCRIPTION
    Read-only: it only calls Get-* cmdlets and reads one registry value. Runs under Windows
    PowerShell 5.1 and PowerShell 7, on the DHCP server itself or against one with -ComputerName
    (the DhcpServer cmdlets are asked remotely; the local groups, service, registry value and
    addresses through Invoke-Command, which needs WinRM on the server).

    Every part of the bundle is optional to the tool: a cmdlet that fails (access denied, absent on
    Windows Server 2012 R2) leaves its key out and adds a line to Notes; the collection goes on.
    Run it elevated: an unelevated session is denied most of the DhcpServer cmdlets.

    The keys it writes are the list in src/sources/windows-bundle-keys.ts (a test holds both).

.PARAMETER ComputerName
    The DHCP server to ask (default: this machine).

.PARAMETER OutFile
    Where to write the bundle (default: <ComputerName>-dhcp.json). "-" writes it to standard
    output. Either way the text is UTF-8 without a BOM, whatever the console's encoding.

.EXAMPLE
    powershell.exe -NoProfile -ExecutionPolicy Bypass -File windows.ps1
    powershell.exe -NoProfile -ExecutionPolicy Bypass -File windows.ps1 -ComputerName dhcp2 -OutFile dhcp2.json
#>
[CmdletBinding()]
param(
    [string] $ComputerName = $env:COMPUTERNAME,
    [string] $OutFile
)

# Version 1: an unset variable is an error; a property a server's version lacks is just null.
Set-StrictMode -Version 1.0
$ErrorActionPreference = 'Stop'

# The bundle, in this order; each key set by Add-BundleKey only when its cmdlet answered.
$bundle = [ordered]@{}
$notes = New-Object System.Collections.Generic.List[string]

$remote = -not [string]::IsNullOrEmpty($ComputerName) -and
          $ComputerName -ne $env:COMPUTERNAME -and $ComputerName -ne 'localhost' -and $ComputerName -ne '.'
$dhcp = @{}
if ($remote) { $dhcp['ComputerName'] = $ComputerName }

function Add-BundleKey {
    param([string] $Name, [scriptblock] $Collect, [switch] $List)
    try {
        # A list stays a list: PowerShell unrolls a one-item (or empty) array a block returns.
        if ($List) { $bundle[$Name] = @(& $Collect) } else { $bundle[$Name] = & $Collect }
    } catch {
        $message = ($_.Exception.Message -replace '\s+', ' ').Trim()
        $notes.Add("${Name}: not collected: $message")
    }
}

# Runs a block on the DHCP server: here, or through WinRM for -ComputerName.
function Invoke-OnServer {
    param([scriptblock] $Block)
    if ($remote) { Invoke-Command -ComputerName $ComputerName -ScriptBlock $Block -ErrorAction Stop }
    else { & $Block }
}

# An IPv4 address as its dotted text (an IPAddress object, a string, or nothing).
function Get-Text {
    param($Value)
    if ($null -eq $Value) { return $null }
    return [string]$Value
}

Add-BundleKey 'ComputerName' { $ComputerName }

Add-BundleKey 'Version' {
    $v = Get-DhcpServerVersion @dhcp
    [ordered]@{ MajorVersion = [int]$v.MajorVersion; MinorVersion = [int]$v.MinorVersion }
}

Add-BundleKey 'Scopes' -List {
    @(Get-DhcpServerv4Scope @dhcp | ForEach-Object {
        [ordered]@{
            ScopeId    = Get-Text $_.ScopeId
            SubnetMask = Get-Text $_.SubnetMask
            StartRange = Get-Text $_.StartRange
            EndRange   = Get-Text $_.EndRange
            Name       = [string]$_.Name
            State      = [string]$_.State
            Type       = [string]$_.Type
        }
    })
}
# Scope ids as text, for the per-scope cmdlets below (empty when Scopes failed).
$scopeIds = @()
if ($bundle.Contains('Scopes')) { $scopeIds = @($bundle['Scopes'] | ForEach-Object { $_.ScopeId }) }

Add-BundleKey 'ExclusionRanges' -List {
    @(Get-DhcpServerv4ExclusionRange @dhcp | ForEach-Object {
        [ordered]@{ ScopeId = Get-Text $_.ScopeId; StartRange = Get-Text $_.StartRange; EndRange = Get-Text $_.EndRange }
    })
}

Add-BundleKey 'Failover' -List {
    @(Get-DhcpServerv4Failover @dhcp | ForEach-Object {
        [ordered]@{
            Name          = [string]$_.Name
            PartnerServer = [string]$_.PartnerServer
            Mode          = [string]$_.Mode
            ScopeId       = @($_.ScopeId | ForEach-Object { Get-Text $_ })
        }
    })
}

Add-BundleKey 'Service' {
    $s = Invoke-OnServer { Get-Service -Name DHCPServer }
    [ordered]@{ Name = [string]$s.Name; Status = [string]$s.Status }
}

Add-BundleKey 'Setting' {
    $s = Get-DhcpServerSetting @dhcp
    [ordered]@{
        IsAuthorized              = $s.IsAuthorized
        IsDomainJoined            = $s.IsDomainJoined
        ConflictDetectionAttempts = $s.ConflictDetectionAttempts
    }
}

Add-BundleKey 'Parameters' {
    $delta = Invoke-OnServer {
        (Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\DHCPServer\Parameters' -Name DhcpMsgSyncDeltaTime -ErrorAction SilentlyContinue).DhcpMsgSyncDeltaTime
    }
    [ordered]@{ DhcpMsgSyncDeltaTime = $delta }
}

# Who runs this collector (the person who will pair, when they run it on the local server).
Add-BundleKey 'Identity' {
    $user = if ($env:USERNAME) { "$env:USERDOMAIN\$env:USERNAME".TrimStart('\') } else { [Environment]::UserName }
    $identity = [ordered]@{ User = $user; Sid = $null; IsDhcpAdministrator = $null }
    try {
        $current = [Security.Principal.WindowsIdentity]::GetCurrent()
        $principal = New-Object Security.Principal.WindowsPrincipal $current
        $isAdmin = $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
        try {
            $sid = ([Security.Principal.NTAccount]'DHCP Administrators').Translate([Security.Principal.SecurityIdentifier])
            if ($principal.IsInRole($sid)) { $isAdmin = $true }
        } catch { }
        $identity.User = $current.Name
        $identity.Sid = [string]$current.User
        $identity.IsDhcpAdministrator = [bool]$isAdmin
    } catch {
        $notes.Add('Identity: only the user name: ' + ($_.Exception.Message -replace '\s+', ' ').Trim())
    }
    $identity
}

Add-BundleKey 'NetIPAddress' -List {
    @(Invoke-OnServer { Get-NetIPAddress -AddressFamily IPv4 } | ForEach-Object {
        [ordered]@{
            IPAddress      = [string]$_.IPAddress
            InterfaceAlias = [string]$_.InterfaceAlias
            PrefixLength   = [int]$_.PrefixLength
            PrefixOrigin   = [string]$_.PrefixOrigin
            SuffixOrigin   = [string]$_.SuffixOrigin
        }
    })
}

# Members of the groups whose members may administer DHCP on this server. A domain group nested in
# one is named as such (ObjectClass Group, PrincipalSource ActiveDirectory); SIDs are kept.
Add-BundleKey 'LocalGroups' -List {
    @(Invoke-OnServer {
        foreach ($group in 'DHCP Administrators', 'Administrators') {
            $members = @(Get-LocalGroupMember -Name $group | ForEach-Object {
                [ordered]@{
                    Name            = [string]$_.Name
                    SID             = [string]$_.SID
                    ObjectClass     = [string]$_.ObjectClass
                    PrincipalSource = [string]$_.PrincipalSource
                }
            })
            [ordered]@{ Name = $group; Members = $members }
        }
    })
}

Add-BundleKey 'Classes' -List {
    @(Get-DhcpServerv4Class @dhcp | ForEach-Object {
        [ordered]@{ Name = [string]$_.Name; Type = [string]$_.Type; Data = [string]$_.Data; Description = [string]$_.Description }
    })
}

Add-BundleKey 'OptionDefinitions' -List {
    @(Get-DhcpServerv4OptionDefinition @dhcp -All | ForEach-Object {
        [ordered]@{
            OptionId    = [int]$_.OptionId
            Name        = [string]$_.Name
            Type        = [string]$_.Type
            VendorClass = [string]$_.VendorClass
            MultiValued = [bool]$_.MultiValued
        }
    })
}

# Per scope: the option values (with the class and policy each belongs to) and the policies (with
# the classes their conditions name). One scope that fails is a note; the others are kept.
Add-BundleKey 'OptionValues' -List {
    @(foreach ($id in $scopeIds) {
        try {
            Get-DhcpServerv4OptionValue @dhcp -ScopeId $id -All | ForEach-Object {
                [ordered]@{
                    ScopeId     = $id
                    OptionId    = [int]$_.OptionId
                    VendorClass = [string]$_.VendorClass
                    UserClass   = [string]$_.UserClass
                    PolicyName  = [string]$_.PolicyName
                }
            }
        } catch {
            $notes.Add("OptionValues: scope ${id}: " + ($_.Exception.Message -replace '\s+', ' ').Trim())
        }
    })
}

Add-BundleKey 'Policies' -List {
    @(foreach ($id in $scopeIds) {
        try {
            Get-DhcpServerv4Policy @dhcp -ScopeId $id | ForEach-Object {
                [ordered]@{
                    ScopeId         = $id
                    Name            = [string]$_.Name
                    Enabled         = [bool]$_.Enabled
                    ProcessingOrder = [int]$_.ProcessingOrder
                    Condition       = [string]$_.Condition
                    VendorClass     = @($_.VendorClass | ForEach-Object { [string]$_ })
                    UserClass       = @($_.UserClass | ForEach-Object { [string]$_ })
                }
            }
        } catch {
            $notes.Add("Policies: scope ${id}: " + ($_.Exception.Message -replace '\s+', ' ').Trim())
        }
    })
}

Add-BundleKey 'DnsSetting' {
    $d = Get-DhcpServerv4DnsSetting @dhcp
    [ordered]@{
        DynamicUpdates             = [string]$d.DynamicUpdates
        DeleteDnsRROnLeaseExpiry   = $d.DeleteDnsRROnLeaseExpiry
        UpdateDnsRRForOlderClients = $d.UpdateDnsRRForOlderClients
        NameProtection             = $d.NameProtection
    }
}

# User and domain only: the cmdlet returns no secret, and none is ever written.
Add-BundleKey 'DnsCredential' {
    $c = Get-DhcpServerDnsCredential @dhcp
    [ordered]@{ UserName = [string]$c.UserName; DomainName = [string]$c.DomainName }
}

Add-BundleKey 'Bindings' -List {
    @(Get-DhcpServerv4Binding @dhcp | ForEach-Object {
        [ordered]@{
            InterfaceAlias = [string]$_.InterfaceAlias
            IPAddress      = Get-Text $_.IPAddress
            SubnetMask     = Get-Text $_.SubnetMask
            BindingState   = [bool]$_.BindingState
        }
    })
}

Add-BundleKey 'Notes' -List { @($notes) }

# An explicit depth: ConvertTo-Json's default of 2 silently turns deeper objects into strings.
$json = $bundle | ConvertTo-Json -Depth 8
$utf8 = New-Object System.Text.UTF8Encoding $false
if ($OutFile -eq '-') {
    # Bytes, not text: Windows PowerShell 5.1 would re-encode text for the console or a redirect.
    $bytes = $utf8.GetBytes($json + "`n")
    $stdout = [Console]::OpenStandardOutput()
    $stdout.Write($bytes, 0, $bytes.Length)
    $stdout.Flush()
} else {
    if ([string]::IsNullOrEmpty($OutFile)) { $OutFile = "$ComputerName-dhcp.json" }
    $path = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
    [System.IO.File]::WriteAllText($path, $json + "`n", $utf8)
    Write-Host "dhcp-failover-check: wrote $path ($($notes.Count) notes)"
}
