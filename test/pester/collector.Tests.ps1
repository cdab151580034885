# collectors/windows.ps1 under real PowerShell, over mocked DhcpServer and LocalAccounts cmdlets.
# Run by test/integration/collector-pester.test.ts (npm test); BUNDLE_DIR, when set, receives
# the bundles collected here so that test feeds them to the windows-json: source.

BeforeAll {
    $script:Root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $script:Collector = Join-Path $Root 'collectors/windows.ps1'
    . (Join-Path $PSScriptRoot 'fake-cmdlets.ps1')
    $env:USERDOMAIN = 'CORP'; $env:USERNAME = 'alice'
    $script:Keys = [regex]::Matches((Get-Content -Raw (Join-Path $Root 'src/sources/windows-bundle-keys.ts')), "^\s+'(\w+)',", 'Multiline') | ForEach-Object { $_.Groups[1].Value }

    function Invoke-Collector {
        param([string] $Server, [string] $ComputerName, [switch] $Keep)
        $out = Join-Path ([IO.Path]::GetTempPath()) ("collector-" + [guid]::NewGuid() + '.json')
        $global:FakeTarget = $Server
        $params = @{ OutFile = $out }
        if ($ComputerName) { $params.ComputerName = $ComputerName } else { $params.ComputerName = $Server }
        $null = & $script:Collector @params 6>&1
        $bytes = [IO.File]::ReadAllBytes($out)
        $text = [Text.Encoding]::UTF8.GetString($bytes)
        if ($Keep -and $env:BUNDLE_DIR) { Copy-Item $out (Join-Path $env:BUNDLE_DIR "$Server.json") }
        Remove-Item $out
        return [pscustomobject]@{ Bytes = $bytes; Text = $text; Bundle = ($text | ConvertFrom-Json) }
    }

    # Mocks with the documented shapes (fixture.ps1), so Pester can count and vary every call.
    function Register-FixtureMocks {
        param([string] $Server)
        $global:Fixture = New-FakeServer -Name $Server
        Mock Get-DhcpServerVersion { $global:Fixture.Version }
        Mock Get-DhcpServerv4Scope { $global:Fixture.Scopes }
        Mock Get-DhcpServerv4ExclusionRange { @() }
        Mock Get-DhcpServerv4Failover { $global:Fixture.Failover }
        Mock Get-DhcpServerSetting { $global:Fixture.Setting }
        Mock Get-DhcpServerv4Class { $global:Fixture.Classes }
        Mock Get-DhcpServerv4OptionDefinition { $global:Fixture.OptionDefinitions }
        Mock Get-DhcpServerv4OptionValue { $global:Fixture.OptionValues[$ScopeId] }
        Mock Get-DhcpServerv4Policy { $global:Fixture.Policies[$ScopeId] }
        Mock Get-DhcpServerv4DnsSetting { $global:Fixture.DnsSetting }
        Mock Get-DhcpServerDnsCredential { $global:Fixture.DnsCredential }
        Mock Get-DhcpServerv4Binding { $global:Fixture.Bindings }
        Mock Get-LocalGroupMember { $global:Fixture.Groups[$Name] }
        Mock Get-Service { $global:Fixture.Service }
        Mock Get-NetIPAddress { $global:Fixture.NetIPAddress }
        Mock Get-ItemProperty { $null }
    }
}

Describe 'the collector over the documented cmdlet objects' {
    BeforeEach { Register-FixtureMocks -Server 'DHCP1' }

    It 'writes every key of the shared list, in its order' {
        $r = Invoke-Collector -Server 'DHCP1' -Keep
        $written = @($r.Bundle.PSObject.Properties.Name)
        $written | Should -Be @($script:Keys)
        $r.Bundle.Identity.User | Should -Be 'CORP\alice'
        # WindowsIdentity is Windows-only in .NET: here the identity is the user name alone, with a note.
        $r.Bundle.Identity.IsDhcpAdministrator | Should -BeNullOrEmpty
        @($r.Bundle.Notes) | Should -HaveCount 1
        $r.Bundle.Notes[0] | Should -Match '^Identity: only the user name: '
    }

    It 'writes scope ids, ranges and types as text, and keeps non-ASCII names' {
        $b = (Invoke-Collector -Server 'DHCP1').Bundle
        $b.Scopes[0].ScopeId | Should -Be '10.0.10.0'
        $b.Scopes[0].SubnetMask | Should -Be '255.255.255.0'
        $b.Scopes[0].Name | Should -Be 'Büro 10'
        $b.Scopes[1].Type | Should -Be 'Both'
        $b.Version.MajorVersion | Should -Be 10
        $b.Service.Status | Should -Be 'Running'
    }

    It 'keeps nested objects whole (an explicit -Depth): group members with their SID, policy conditions' {
        $b = (Invoke-Collector -Server 'DHCP1').Bundle
        $admins = $b.LocalGroups | Where-Object Name -eq 'DHCP Administrators'
        $admins.Members[0].Name | Should -Be 'CORP\alice'
        $admins.Members[0].SID | Should -Be 'S-1-5-21-1-2-3-1104'
        $admins.Members[0].ObjectClass | Should -Be 'User'
        $admins.Members[0].PrincipalSource | Should -Be 'ActiveDirectory'
        $policy = $b.Policies | Where-Object Name -eq 'Printer policy'
        $policy.ScopeId | Should -Be '10.0.30.0'
        @($policy.UserClass) | Should -Be @('EQ', 'Printers')
        ($b.OptionValues | Where-Object { $_.UserClass -eq 'Printers' }).OptionId | Should -Be 6
    }

    It 'asks every scope for its option values and policies' {
        $null = Invoke-Collector -Server 'DHCP1'
        Should -Invoke Get-DhcpServerv4OptionValue -Times 2 -Exactly
        Should -Invoke Get-DhcpServerv4Policy -Times 2 -Exactly
        Should -Invoke Get-DhcpServerv4OptionDefinition -Times 1 -Exactly -ParameterFilter { $All }
    }

    It 'writes the DNS credential as user and domain only' {
        $b = (Invoke-Collector -Server 'DHCP1').Bundle
        @($b.DnsCredential.PSObject.Properties.Name) | Should -Be @('UserName', 'DomainName')
        $b.DnsCredential.UserName | Should -Be 'dhcp-dns'
    }

    It 'writes UTF-8 without a byte order mark' {
        $r = Invoke-Collector -Server 'DHCP1'
        $r.Bytes[0] | Should -Be ([byte][char]'{')
        $r.Text | Should -Match 'Büro 10'
        [Text.Encoding]::UTF8.GetString([Text.Encoding]::UTF8.GetBytes($r.Text)) | Should -BeExactly $r.Text
    }
}

Describe 'a cmdlet that throws' {
    BeforeEach { Register-FixtureMocks -Server 'DHCP1' }

    It 'leaves its key out with a note, and collects the rest' {
        Mock Get-DhcpServerv4Class { throw [System.UnauthorizedAccessException]::new('Access is denied.') }
        $b = (Invoke-Collector -Server 'DHCP1').Bundle
        $b.PSObject.Properties.Name | Should -Not -Contain 'Classes'
        $b.PSObject.Properties.Name | Should -Contain 'OptionDefinitions'
        $b.PSObject.Properties.Name | Should -Contain 'Bindings'
        $b.Notes | Should -Contain 'Classes: not collected: Access is denied.'
    }

    It 'a cmdlet absent on an older server (not found) is a note too' {
        Mock Get-DhcpServerv4DnsSetting { throw [System.Management.Automation.CommandNotFoundException]::new("The term 'Get-DhcpServerv4DnsSetting' is not recognized.") }
        $b = (Invoke-Collector -Server 'DHCP1').Bundle
        $b.PSObject.Properties.Name | Should -Not -Contain 'DnsSetting'
        ($b.Notes -join "`n") | Should -Match 'DnsSetting: not collected: The term'
    }

    It 'one scope whose option values fail is a note; the other scope is kept' {
        Mock Get-DhcpServerv4OptionValue { throw 'Failed to get option values for scope 10.0.30.0.' } -ParameterFilter { $ScopeId -eq '10.0.30.0' }
        $b = (Invoke-Collector -Server 'DHCP1').Bundle
        @($b.OptionValues).Count | Should -Be 1
        $b.OptionValues[0].ScopeId | Should -Be '10.0.10.0'
        ($b.Notes -join "`n") | Should -Match 'OptionValues: scope 10\.0\.30\.0: Failed'
    }

    It 'even Get-DhcpServerVersion failing still writes a bundle (the tool then says Version is missing)' {
        Mock Get-DhcpServerVersion { throw 'The DHCP server service is not running.' }
        $b = (Invoke-Collector -Server 'DHCP1').Bundle
        $b.PSObject.Properties.Name | Should -Not -Contain 'Version'
        $b.Notes | Should -Contain 'Version: not collected: The DHCP server service is not running.'
    }
}

Describe 'against another server (-ComputerName)' {
    BeforeEach { Register-FixtureMocks -Server 'DHCP2' }

    It 'passes -ComputerName to the DhcpServer cmdlets and runs the local ones through Invoke-Command' {
        Mock Invoke-Command { & $ScriptBlock }
        $b = (Invoke-Collector -Server 'DHCP2' -ComputerName 'dhcp2.corp.example' -Keep).Bundle
        $b.ComputerName | Should -Be 'dhcp2.corp.example'
        Should -Invoke Get-DhcpServerv4Scope -Times 1 -Exactly -ParameterFilter { $ComputerName -eq 'dhcp2.corp.example' }
        Should -Invoke Invoke-Command -ParameterFilter { $ComputerName -eq 'dhcp2.corp.example' }
        ($b.LocalGroups | Where-Object Name -eq 'DHCP Administrators').Members[0].ObjectClass | Should -Be 'Group'
    }
}

Describe 'syntax Windows PowerShell 5.1 can parse' {
    BeforeAll {
        # Everything the 7.x parser accepts that 5.1's does not.
        function Find-Post51Syntax {
            param([System.Management.Automation.Language.Ast] $Ast)
            $found = @()
            $found += $Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.TernaryExpressionAst] }, $true) | ForEach-Object { "ternary ?: at line $($_.Extent.StartLineNumber)" }
            $found += $Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.PipelineChainAst] }, $true) | ForEach-Object { "&&/|| at line $($_.Extent.StartLineNumber)" }
            $found += $Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.BinaryExpressionAst] -and $n.Operator -eq 'QuestionQuestion' }, $true) | ForEach-Object { "?? at line $($_.Extent.StartLineNumber)" }
            $found += $Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.AssignmentStatementAst] -and $n.Operator -eq 'QuestionQuestionEquals' }, $true) | ForEach-Object { "??= at line $($_.Extent.StartLineNumber)" }
            $found += $Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.MemberExpressionAst] -and $n.NullConditional }, $true) | ForEach-Object { "?. at line $($_.Extent.StartLineNumber)" }
            $found += $Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.IndexExpressionAst] -and $n.NullConditional }, $true) | ForEach-Object { "?[] at line $($_.Extent.StartLineNumber)" }
            $found += $Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandParameterAst] -and 'Parallel'.StartsWith($n.ParameterName, 'OrdinalIgnoreCase') -and $n.ParameterName.Length -ge 2 }, $true) | ForEach-Object { "-Parallel at line $($_.Extent.StartLineNumber)" }
            $found += $Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.NamedBlockAst] -and $n.BlockKind -eq 'Clean' }, $true) | ForEach-Object { "clean block at line $($_.Extent.StartLineNumber)" }
            return $found
        }
        function Get-Ast([string] $Text) {
            $tokens = $null; $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$errors)
            $errors | Should -BeNullOrEmpty
            return $ast
        }
    }

    It 'the walk finds each construct it looks for' {
        $sample = @'
$a = $x ? 1 : 2
$b = $y ?? 3
$c ??= 4
$d = ${e}?.Length
git status && git log || exit 1
1..3 | ForEach-Object -Parallel { $_ }
function F { process { } clean { } }
'@
        $found = Find-Post51Syntax (Get-Ast $sample)
        ($found -join "`n") | Should -Match 'ternary'
        ($found -join "`n") | Should -Match '\?\? at'
        ($found -join "`n") | Should -Match '\?\?='
        ($found -join "`n") | Should -Match '\?\. at'
        ($found -join "`n") | Should -Match '&&/\|\|'
        ($found -join "`n") | Should -Match '-Parallel'
        ($found -join "`n") | Should -Match 'clean block'
    }

    It 'the collector parses without errors and uses none of them' {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($script:Collector, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        Find-Post51Syntax $ast | Should -BeNullOrEmpty
    }

    It 'the collector has no class or using statement 5.1 would need a module for, and is ASCII with a BOM-free start' {
        $bytes = [IO.File]::ReadAllBytes($script:Collector)
        @($bytes | Where-Object { $_ -gt 127 }).Count | Should -Be 0 -Because '5.1 reads a BOM-less script in the ANSI code page'
    }
}
