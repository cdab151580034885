// Facts only a Kea Control Agent can tell; filled in by the Kea source.
export interface KeaFacts {
  /** True when the HA hook is loaded (a configured pair), false before setup. */
  haConfigured: boolean;
}
