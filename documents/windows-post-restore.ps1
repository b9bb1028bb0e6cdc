# regionpair post-restore fix-ups for a Windows instance restored in the other Region of the pair
# (see docs/restore.md). The SSM document `<topology>-<role>-windows-post-restore` runs this
# script; it first sets $OtherRegionCidrs (the other Region's management CIDR, filled in by the
# stacks) and $SwitchToDhcp ('true' or 'false') from the document's parameters.
#
# Idempotent: every step reads the state first and changes only what is wrong, so running it
# again is safe. Each step prints one line; the last line of the output is one JSON summary that
# `regionpair restore` parses. Nothing here prints after that line.

$ErrorActionPreference = 'Continue'
$ProgressPreference = 'SilentlyContinue'
$fixups = [ordered]@{}

function Add-Fixup([string]$Name, [string]$Status, [string]$Detail, [hashtable]$Extra = @{}) {
  $entry = [ordered]@{ status = $Status; detail = $Detail }
  foreach ($key in $Extra.Keys) { $entry[$key] = $Extra[$key] }
  $fixups[$Name] = $entry
  Write-Output ("{0}: {1}: {2}" -f $Name, $Status, $Detail)
}

function ConvertTo-UInt32([string]$Address) {
  $bytes = [System.Net.IPAddress]::Parse($Address).GetAddressBytes()
  [Array]::Reverse($bytes)
  return [BitConverter]::ToUInt32($bytes, 0)
}

# True when an IPv4 address lies in one of the CIDRs.
function Test-InCidrs([string]$Address, [string[]]$Cidrs) {
  $parsed = $null
  if (-not [System.Net.IPAddress]::TryParse($Address, [ref]$parsed) -or $parsed.AddressFamily -ne 'InterNetwork') { return $false }
  $value = ConvertTo-UInt32 $Address
  foreach ($cidr in $Cidrs) {
    $network, $bits = $cidr.Split('/')
    # Decimal, not 0xFFFFFFFF: PowerShell reads that literal as the Int32 -1.
    $mask = if ([int]$bits -eq 0) { [uint32]0 } else { [uint32](([uint64]4294967295 -shl (32 - [int]$bits)) -band [uint64]4294967295) }
    if (($value -band $mask) -eq ((ConvertTo-UInt32 $network) -band $mask)) { return $true }
  }
  return $false
}

$otherCidrs = @($OtherRegionCidrs.Split(',') | ForEach-Object { $_.Trim() } | Where-Object { $_ })

# 1. EC2Launch v1 persists routes to the instance metadata and KMS addresses through the old
#    subnet's router; in a new subnet they send activation, metadata and time sync nowhere.
#    Add-Routes writes them for this subnet; Set-Wallpaper redraws the instance details.
$ec2Launch = 'C:\ProgramData\Amazon\EC2-Windows\Launch\Module\Ec2Launch.psd1'
if (Test-Path $ec2Launch) {
  try {
    Import-Module $ec2Launch -ErrorAction Stop
    Add-Routes -ErrorAction Stop
    Set-Wallpaper -ErrorAction Stop
    Add-Fixup 'ec2launch' 'changed' 'EC2Launch v1: Add-Routes and Set-Wallpaper ran'
  } catch {
    Add-Fixup 'ec2launch' 'failed' ("EC2Launch v1: {0}" -f $_.Exception.Message)
  }
} else {
  Add-Fixup 'ec2launch' 'skipped' 'EC2Launch v1 is not installed (EC2Launch v2 and EC2Config set the routes themselves)'
}

# 2. Windows activation against the Amazon KMS servers of this Region. The state is read from
#    SoftwareLicensingProduct (LicenseStatus 1 = licensed), which does not depend on the display
#    language the way slmgr's text does; the slmgr /dlv line is reported as it is.
$slmgr = Join-Path $env:SystemRoot 'System32\slmgr.vbs'
$ato = & cscript.exe //nologo $slmgr /ato 2>&1 | Out-String
$dlv = & cscript.exe //nologo $slmgr /dlv 2>&1 | Out-String
$license = Get-CimInstance -ClassName SoftwareLicensingProduct -Filter "PartialProductKey IS NOT NULL AND Name LIKE 'Windows%'" -ErrorAction SilentlyContinue | Select-Object -First 1
$dlvState = ($dlv -split "`r?`n" | Where-Object { $_ -match '^\s*License Status' } | Select-Object -First 1)
if ($dlvState) { $dlvState = $dlvState.Trim() } else { $dlvState = 'License Status: (not reported)' }
if ($license -and $license.LicenseStatus -eq 1) {
  Add-Fixup 'activation' 'ok' $dlvState @{ licenseStatus = 1 }
} else {
  $status = if ($license) { $license.LicenseStatus } else { -1 }
  Add-Fixup 'activation' 'failed' ("{0}; slmgr /ato: {1}" -f $dlvState, $ato.Trim()) @{ licenseStatus = $status }
}

# 3. Time. A domain member takes its time from the domain hierarchy (NT5DS: a domain controller,
#    whose root syncs to NTP), not from the NTP server in DHCP; a workgroup machine from NTP.
$partOfDomain = [bool](Get-CimInstance -ClassName Win32_ComputerSystem).PartOfDomain
$resync = & w32tm.exe /resync /rediscover 2>&1 | Out-String
$resyncCode = $LASTEXITCODE
$source = (& w32tm.exe /query /source 2>&1 | Out-String).Trim()
$how = if ($partOfDomain) { 'domain member: time from the domain hierarchy' } else { 'not in a domain: time from the configured NTP server' }
if ($resyncCode -eq 0) {
  Add-Fixup 'time' 'ok' ("resynchronized from {0} ({1})" -f $source, $how) @{ source = $source; domainMember = $partOfDomain }
} elseif ($partOfDomain) {
  # In the fenced passive copy (a drill, or a restore before failover) no domain controller can
  # answer: expected there, and the clock keeps running from the hypervisor until one can.
  Add-Fixup 'time' 'warning' ("domain member, but no domain controller answered w32tm /resync ({0}); expected in a fenced copy, otherwise check the DHCP options and routes to the domain controllers" -f $resyncCode) @{ source = $source; domainMember = $partOfDomain }
} else {
  Add-Fixup 'time' 'failed' ("w32tm /resync failed ({0}): {1}" -f $resyncCode, $resync.Trim()) @{ source = $source; domainMember = $partOfDomain }
}

# 4. Addressing must come from DHCP: a static address from the old subnet makes the instance
#    unreachable here. Reported always; switched to DHCP only when the document is asked to.
$static = @(Get-NetIPInterface -AddressFamily IPv4 -ErrorAction SilentlyContinue | Where-Object { $_.Dhcp -eq 'Disabled' -and $_.InterfaceAlias -notlike 'Loopback*' })
$adapters = @($static | ForEach-Object { $_.InterfaceAlias })
if ($static.Count -eq 0) {
  Add-Fixup 'dhcp' 'ok' 'every adapter gets its address from DHCP' @{ staticAdapters = @() }
} elseif ($SwitchToDhcp -eq 'true') {
  $errors = @()
  foreach ($interface in $static) {
    try {
      Get-NetIPAddress -InterfaceIndex $interface.ifIndex -AddressFamily IPv4 -PrefixOrigin Manual -ErrorAction SilentlyContinue | Remove-NetIPAddress -Confirm:$false -ErrorAction Stop
      # The static default gateway is a persistent route to a /0; DHCP gives the router of this subnet.
      Get-NetRoute -InterfaceIndex $interface.ifIndex -AddressFamily IPv4 -PolicyStore PersistentStore -ErrorAction SilentlyContinue |
        Where-Object { $_.DestinationPrefix.EndsWith('/0') } | Remove-NetRoute -Confirm:$false -ErrorAction Stop
      Set-NetIPInterface -InterfaceIndex $interface.ifIndex -Dhcp Enabled -ErrorAction Stop
      Set-DnsClientServerAddress -InterfaceIndex $interface.ifIndex -ResetServerAddresses -ErrorAction Stop
    } catch {
      $errors += ("{0}: {1}" -f $interface.InterfaceAlias, $_.Exception.Message)
    }
  }
  if ($errors.Count -eq 0) {
    Add-Fixup 'dhcp' 'changed' ("switched to DHCP: {0}" -f ($adapters -join ', ')) @{ staticAdapters = $adapters }
  } else {
    Add-Fixup 'dhcp' 'failed' ("could not switch to DHCP: {0}" -f ($errors -join '; ')) @{ staticAdapters = $adapters }
  }
} else {
  Add-Fixup 'dhcp' 'warning' ("not on DHCP: {0} (run with SwitchToDhcp=true to switch them)" -f ($adapters -join ', ')) @{ staticAdapters = $adapters }
}

# 5. Persistent routes into the other Region: left from the source Region's network, they send
#    traffic for it past the transit gateway. Reported, not removed: they may be deliberate.
$routes = @(Get-NetRoute -PolicyStore PersistentStore -AddressFamily IPv4 -ErrorAction SilentlyContinue | Where-Object {
  (Test-InCidrs $_.NextHop $otherCidrs) -or (Test-InCidrs ($_.DestinationPrefix.Split('/')[0]) $otherCidrs)
} | ForEach-Object { "{0} via {1}" -f $_.DestinationPrefix, $_.NextHop })
if ($routes.Count -eq 0) {
  Add-Fixup 'routes' 'ok' ("no persistent route into {0}" -f ($otherCidrs -join ', ')) @{ entries = @() }
} else {
  Add-Fixup 'routes' 'warning' ("persistent routes into the other Region: {0}" -f ($routes -join '; ')) @{ entries = $routes }
}

# 6. Hosts-file entries that pin names to addresses in the other Region.
$hostsFile = Join-Path $env:SystemRoot 'System32\drivers\etc\hosts'
$hosts = @(Get-Content -Path $hostsFile -ErrorAction SilentlyContinue | ForEach-Object { ($_ -split '#')[0].Trim() } | Where-Object { $_ } | Where-Object {
  Test-InCidrs (($_ -split '\s+')[0]) $otherCidrs
})
if ($hosts.Count -eq 0) {
  Add-Fixup 'hosts' 'ok' ("no hosts-file entry into {0}" -f ($otherCidrs -join ', ')) @{ entries = @() }
} else {
  Add-Fixup 'hosts' 'warning' ("hosts-file entries into the other Region: {0}" -f ($hosts -join '; ')) @{ entries = $hosts }
}

$failed = @($fixups.Keys | Where-Object { $fixups[$_].status -eq 'failed' })
$summary = [ordered]@{
  regionpair = 'post-restore'
  version = 1
  platform = 'windows'
  computerName = $env:COMPUTERNAME
  ok = ($failed.Count -eq 0)
  fixups = $fixups
}
Write-Output ($summary | ConvertTo-Json -Compress -Depth 6)
if ($failed.Count -gt 0) { exit 1 }
exit 0
