// Child process for the in-memory scope comparison: generates both sides, times one
// findCollisions call, and reports its own peak RSS (process.resourceUsage().maxRSS, KiB).
import { writeSync } from 'node:fs';
import { findCollisions } from '../src/net/scope.js';
import { randomScopes } from './scope-data.js';

const n = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 1);
const rssStartKiB = process.resourceUsage().maxRSS;
const local = randomScopes(n, seed);
const partner = randomScopes(n, seed + 0x9e3779b9);
const rssDataKiB = Math.round(process.memoryUsage().rss / 1024);
const t0 = performance.now();
const collisions = findCollisions(local, partner);
const compareMs = performance.now() - t0;
const overlaps = collisions.reduce((a, c) => a + c.overlapping.length + (c.same ? 1 : 0), 0);
writeSync(3, JSON.stringify({ compareMs, collisions: collisions.length, overlaps, rssStartKiB, rssDataKiB, maxRssKiB: process.resourceUsage().maxRSS }));
