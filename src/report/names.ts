// The format names, a leaf module: the option table and the config schema need them at start-up
// without loading any format. report/index.ts maps each name to its module (a Record, so a name
// without a module does not compile).
export const FORMATS = ['human', 'json', 'junit', 'tap', 'markdown', 'nagios', 'github'] as const;
export type Format = (typeof FORMATS)[number];
