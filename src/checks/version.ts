import type { ServerFacts, ServerVersion } from '../facts.js';
import type { Context } from '../context.js';
import { DIRECTORY_PLATFORM, platformOf } from '../platforms/index.js';
import { directoryOf, pairOf, sourceNotes, unread } from './facts-of.js';
import { messages } from './messages.js';
import { outcomes, type Check } from './types.js';
import { liveInsisted, phaseOf } from './phase.js';

const o = outcomes('version', {
  supported: 'pass',
  'partner-too-old': 'fail',
  'local-too-old': 'fail',
  'mixed-platforms': 'fail',
  'pair-requirement-missing': 'fail',
  'directory-disagrees': 'warn',
  'versions-differ': 'warn',
  'no-minimum-known': 'unknown',
  'not-known': 'unknown',
  'before-deploy': 'skip',
});

type Versioned = ServerFacts & { version: ServerVersion };
const hasVersion = (f: ServerFacts | undefined): f is Versioned => f?.version !== undefined;

/** The partner's facts with the version from the DHCP source, or else from its AD computer object. */
async function partnerVersion(ctx: Context, partner: ServerFacts | undefined) {
  const directory = await directoryOf(ctx);
  const computer = directory.facts?.computers.partner;
  const fromDirectory: Versioned | undefined = computer?.version
    ? { source: `directory ${computer.dn}`, platform: DIRECTORY_PLATFORM, version: computer.version }
    : undefined;
  const notes: string[] = [];
  if (directory.error) notes.push(directory.error);
  let disagree = false;
  if (partner?.version && fromDirectory) {
    const a = partner.version;
    const b = fromDirectory.version;
    if (a.major !== b.major || a.minor !== b.minor) {
      notes.push(`the directory records ${b.text} for the partner, its DHCP source says ${a.text}`);
      disagree = true;
    }
  }
  return { facts: hasVersion(partner) ? partner : fromDirectory, notes, disagree, directory };
}

// A version known only as a lower bound cannot be told different from another.
const sameVersion = (a: ServerVersion, b: ServerVersion) =>
  a.lowerBound === true ||
  b.lowerBound === true ||
  (a.major === b.major && a.minor === b.minor && (a.build === undefined || b.build === undefined || a.build === b.build));

export const version: Check = {
  id: 'version',
  title: "Partner's DHCP server version supports failover",
  codes: o.codes,
  async run(ctx) {
    const read = await pairOf(ctx);
    const partner = await partnerVersion(ctx, read.partner.facts);
    // Two platforms never pair, whatever else is known about either.
    if (read.mixed) {
      return o.fail('mixed-platforms', messages.version(), {
        details: {
          cause: read.mixed,
          partnerSource: read.partner.facts?.source ?? read.partner.error,
          localSource: read.local.facts?.source ?? read.local.error,
        },
        evidence: [read.mixed],
        fix: 'Pair servers of the same platform.',
      });
    }
    if (!partner.facts) {
      const phase = phaseOf(ctx, read);
      const directoryLines = partner.notes.filter((n) => n.startsWith('directory:'));
      if (phase.partner === 'before-deploy' && !phase.given) {
        return o.skip('before-deploy', 'before deploy: the version the partner runs will be checked once it runs', {
          details: {
            source: read.partner.facts?.source,
            note: 'what the configuration proves (peers, scopes, relationships) is judged by the other checks',
            ...sourceNotes(read.partner),
          },
          evidence: directoryLines,
        });
      }
      const insisted = liveInsisted(ctx, read, 'partner');
      // A partner source or directory that was given and failed (or refused) is the cause, not a missing source.
      const why = unread({ partner: read.partner, directory: partner.directory });
      const advice = `Give --partner-source (any source that tells the version: README, Fact sources)${read.directoryMayTell ? ', or a directory with --ldap' : ''}.`;
      return o.unknown('not-known', "the partner's version is not known", {
        details: {
          cause: insisted ?? (why.causes.join('; ') || read.partner.error) ?? `${read.partner.facts?.source ?? 'the partner source'} does not tell the version`,
          notes: partner.notes,
          ...sourceNotes(read.partner),
        },
        evidence: [...(insisted ? [insisted] : []), ...why.causes],
        fix: insisted ? advice : (why.fix ?? advice),
      });
    }
    const p = partner.facts;
    const l = hasVersion(read.local.facts) ? read.local.facts : undefined;
    const verdicts = { partner: platformOf(p.platform).versionVerdict(p), local: l ? platformOf(l.platform).versionVerdict(l) : undefined };
    for (const [f, v] of [
      [p, verdicts.partner],
      [l, verdicts.local],
    ] as const) {
      if (f && v?.supported === undefined) {
        return o.unknown('no-minimum-known', `no minimum failover version is known for platform "${f.platform}"`, {
          details: { source: f.source, version: f.version.text },
        });
      }
    }
    const details: Record<string, unknown> = { partner: verdicts.partner.described, partnerSource: p.source };
    if (verdicts.local) details.local = verdicts.local.described;
    if (partner.notes.length > 0) details.notes = partner.notes;
    if (verdicts.partner.supported === false) {
      return o.fail('partner-too-old', messages.version(), {
        details: { ...details, minimum: verdicts.partner.minimum },
        fix: platformOf(p.platform).fixes.version,
      });
    }
    if (l && verdicts.local?.supported === false) {
      return o.fail('local-too-old', messages.version(), {
        details: { ...details, which: 'local', minimum: verdicts.local.minimum },
        fix: platformOf(l.platform).fixes.version,
      });
    }
    const needs = read.platform.pairRequirements?.(read.pair);
    if (needs) Object.assign(details, needs.details);
    if (needs && needs.problems.length > 0) {
      return o.fail('pair-requirement-missing', messages.version(), {
        details: { ...details, cause: needs.problems.join('; ') },
        ...(needs.fix ? { fix: needs.fix } : {}),
      });
    }
    if (partner.disagree) return o.warn('directory-disagrees', partner.notes[partner.notes.length - 1]!, { details });
    if (l && !sameVersion(l.version, p.version)) {
      return o.warn('versions-differ', `the servers run different versions (${l.version.text} and ${p.version.text}); the same version is recommended`, {
        details,
      });
    }
    // A directory asked for and not read still shows, beside the bundle that answered.
    const directoryLines = partner.notes.filter((n) => n.startsWith('directory:'));
    return o.pass('supported', `${verdicts.partner.described} supports failover`, {
      details,
      ...(directoryLines.length > 0 ? { evidence: directoryLines } : {}),
    });
  },
};
