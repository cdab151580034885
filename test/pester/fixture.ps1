# Two Windows DHCP servers as the DhcpServer and LocalAccounts cmdlets describe them: objects with
# the property names and types of Microsoft's documentation (ScopeId an IPAddress, State a string,
# Get-LocalGroupMember objects with ObjectClass, PrincipalSource and a SID). Used by the Pester
# tests (as Mock bodies) and by fake-cmdlets.ps1 (for a collector run in a process of its own).

# System.Security.Principal.SecurityIdentifier is Windows-only in .NET; this has its Value and ToString.
class FakeSid {
    [string] $Value
    FakeSid([string] $value) { $this.Value = $value }
    [string] ToString() { return $this.Value }
}

function New-FakeServer {
    param([ValidateSet('DHCP1', 'DHCP2')] [string] $Name)
    $ip = { param($text) [System.Net.IPAddress]::Parse($text) }
    $scope = {
        param($id, $start, $end, $name, $type)
        [pscustomobject]@{
            ScopeId = & $ip $id; SubnetMask = & $ip '255.255.255.0'; Name = $name; State = 'Active'
            StartRange = & $ip $start; EndRange = & $ip $end; LeaseDuration = [TimeSpan]::FromDays(8)
            Type = $type; Description = ''; SuperscopeName = ''; MaxBootpClients = 4294967295
            ActivatePolicies = $true; Delay = 0; NapEnable = $false; NapProfile = ''
        }
    }
    $member = {
        param($name, $sid, $class, $source)
        [pscustomobject]@{ Name = $name; SID = [FakeSid]::new($sid); ObjectClass = $class; PrincipalSource = $source }
    }
    $server = @{}
    if ($Name -eq 'DHCP1') {
        $server.Scopes = @(
            (& $scope '10.0.10.0' '10.0.10.10' '10.0.10.200' 'Büro 10' 'Dhcp'),
            (& $scope '10.0.30.0' '10.0.30.10' '10.0.30.200' 'Printers 30' 'Both')
        )
        $server.Classes = @(
            [pscustomobject]@{ Name = 'Default User Class'; Type = 'User'; Data = '44656661756c74'; AsciiData = 'Default'; Description = '' },
            [pscustomobject]@{ Name = 'Printers'; Type = 'User'; Data = '5072696e74657273'; AsciiData = 'Printers'; Description = 'printers' }
        )
        $server.OptionDefinitions = @(
            [pscustomobject]@{ OptionId = [uint32]6; Name = 'DNS Servers'; Type = 'IPv4Address'; VendorClass = ''; MultiValued = $true; Description = ''; DefaultValue = @() },
            [pscustomobject]@{ OptionId = [uint32]242; Name = 'Avaya'; Type = 'String'; VendorClass = ''; MultiValued = $false; Description = ''; DefaultValue = @() }
        )
        $server.OptionValues = @{
            '10.0.10.0' = @([pscustomobject]@{ OptionId = [uint32]6; Name = 'DNS Servers'; Type = 'IPv4Address'; Value = [string[]]@('10.0.0.2'); VendorClass = ''; UserClass = ''; PolicyName = '' })
            '10.0.30.0' = @(
                [pscustomobject]@{ OptionId = [uint32]242; Name = 'Avaya'; Type = 'String'; Value = [string[]]@('MCIPADD=10.0.0.9'); VendorClass = ''; UserClass = ''; PolicyName = '' },
                [pscustomobject]@{ OptionId = [uint32]6; Name = 'DNS Servers'; Type = 'IPv4Address'; Value = [string[]]@('10.0.0.3'); VendorClass = ''; UserClass = 'Printers'; PolicyName = '' }
            )
        }
        $server.Policies = @{
            '10.0.10.0' = @()
            '10.0.30.0' = @([pscustomobject]@{ ScopeId = & $ip '10.0.30.0'; Name = 'Printer policy'; Description = ''; ProcessingOrder = [uint32]1; Enabled = $true; Condition = 'Or'; VendorClass = $null; UserClass = [string[]]@('EQ', 'Printers'); MacAddress = $null; ClientId = $null; RelayAgent = $null; Fqdn = $null })
        }
        $server.DnsCredential = [pscustomobject]@{ UserName = 'dhcp-dns'; DomainName = 'CORP' }
        $server.Groups = @{
            'DHCP Administrators' = @(& $member 'CORP\alice' 'S-1-5-21-1-2-3-1104' 'User' 'ActiveDirectory')
            'Administrators' = @(& $member 'DHCP1\Administrator' 'S-1-5-21-9-9-9-500' 'User' 'Local')
        }
        $server.Address = '10.0.0.11'
        $server.Failover = @()
    } else {
        $server.Scopes = @((& $scope '10.0.20.0' '10.0.20.10' '10.0.20.200' 'Clients 20' 'Dhcp'))
        $server.Classes = @([pscustomobject]@{ Name = 'Default User Class'; Type = 'User'; Data = '44656661756c74'; AsciiData = 'Default'; Description = '' })
        $server.OptionDefinitions = @([pscustomobject]@{ OptionId = [uint32]6; Name = 'DNS Servers'; Type = 'IPv4Address'; VendorClass = ''; MultiValued = $true; Description = ''; DefaultValue = @() })
        $server.OptionValues = @{ '10.0.20.0' = @() }
        $server.Policies = @{ '10.0.20.0' = @() }
        $server.DnsCredential = [pscustomobject]@{ UserName = ''; DomainName = '' }
        $server.Groups = @{
            'DHCP Administrators' = @(
                (& $member 'CORP\DHCP Admins' 'S-1-5-21-1-2-3-2201' 'Group' 'ActiveDirectory'),
                (& $member 'CORP\bob' 'S-1-5-21-1-2-3-1105' 'User' 'ActiveDirectory')
            )
            'Administrators' = @(& $member 'DHCP2\Administrator' 'S-1-5-21-8-8-8-500' 'User' 'Local')
        }
        $server.Address = '10.0.0.12'
        $server.Failover = @([pscustomobject]@{ Name = 'dhcp2-dhcp3'; PartnerServer = 'dhcp3.corp.example'; Mode = 'HotStandby'; ScopeId = @([System.Net.IPAddress]::Parse('10.0.20.0')); State = 'Normal'; ServerRole = 'Active'; MaxClientLeadTime = [TimeSpan]::FromHours(1); AutoStateTransition = $false; StateSwitchInterval = $null; LoadBalancePercent = 0; ReservePercent = 5; EnableAuth = $true })
    }
    $server.Name = $Name
    $server.Version = [pscustomobject]@{ MajorVersion = 10; MinorVersion = 0 }
    $server.Setting = [pscustomobject]@{ IsAuthorized = $true; IsDomainJoined = $true; ConflictDetectionAttempts = 0; ActivatePolicies = $true; DynamicBootp = $true; NapEnabled = $false; NpsUnreachableAction = 'Full'; RestoreStatus = $false }
    $server.DnsSetting = [pscustomobject]@{ DynamicUpdates = 'OnClientRequest'; DeleteDnsRROnLeaseExpiry = $true; UpdateDnsRRForOlderClients = $false; DisableDnsPtrRRUpdate = $false; NameProtection = $false; DnsSuffix = '' }
    $server.Bindings = @([pscustomobject]@{ InterfaceAlias = 'Ethernet'; IPAddress = [System.Net.IPAddress]::Parse($server.Address); SubnetMask = [System.Net.IPAddress]::Parse('255.255.255.0'); BindingState = $true })
    $server.Service = [pscustomobject]@{ Name = 'DHCPServer'; DisplayName = 'DHCP Server'; Status = 'Running'; StartType = 'Automatic' }
    $server.NetIPAddress = @([pscustomobject]@{ IPAddress = $server.Address; InterfaceAlias = 'Ethernet'; PrefixLength = [byte]24; PrefixOrigin = 'Manual'; SuffixOrigin = 'Manual'; AddressFamily = 'IPv4' })
    return $server
}
