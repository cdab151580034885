// PLACEHOLDER until the kea-rules branch lands (not committed).
export function readKeaConfigFile(path: string): { Dhcp4: Record<string, unknown>; files: string[] } {
  throw new Error(`not yet: ${path}`);
}
