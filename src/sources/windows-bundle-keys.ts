// The top-level keys of a windows-json bundle, in the order collectors/windows.ps1 writes them.
// One list for both: test/unit/sources/windows-bundle-keys.test.ts holds the collector's
// Add-BundleKey calls to it, and the reader keeps exactly these keys (every one optional but Version).

export const WINDOWS_BUNDLE_KEYS = [
  'ComputerName',
  'Version',
  'Scopes',
  'ExclusionRanges',
  'Failover',
  'Service',
  'Setting',
  'Parameters',
  'Identity',
  'NetIPAddress',
  'LocalGroups',
  'Classes',
  'OptionDefinitions',
  'OptionValues',
  'Policies',
  'DnsSetting',
  'DnsCredential',
  'Bindings',
  'Notes',
] as const;

export type WindowsBundleKey = (typeof WINDOWS_BUNDLE_KEYS)[number];

/** The path of the collector inside the package (and the repository). */
export const WINDOWS_COLLECTOR = 'collectors/windows.ps1';
