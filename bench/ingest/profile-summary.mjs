// Prints where a V8 CPU profile spent its time: self time by function and by package/file, and inclusive
// time by function (each function once per sample), as shares of the busy time (the idle samples of a
// service waiting for work are left out). A whole-run profile of the api is mostly start-up (module
// loading); the per-second busy line shows when each phase ran, and `fromS toS` keeps one of them.
//   node bench/ingest/profile-summary.mjs .local/profiles/api.cpuprofile [top] [fromS toS]
import { readFileSync } from 'node:fs';

const [file, topArg, fromArg, toArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.mjs <file.cpuprofile> [top] [fromSeconds toSeconds]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const from = fromArg === undefined ? -Infinity : Number(fromArg) * 1e6;
const to = toArg === undefined ? Infinity : Number(toArg) * 1e6;
const selfUs = new Map();
const busyPerSecond = [];
let at = 0;
for (let i = 0; i < profile.samples.length; i++) {
  at += profile.timeDeltas[i] ?? 0;
  if (byId.get(profile.samples[i]).callFrame.functionName === '(idle)') continue;
  const us = profile.timeDeltas[i + 1] ?? 0;
  busyPerSecond[Math.floor(at / 1e6)] = (busyPerSecond[Math.floor(at / 1e6)] ?? 0) + us;
  if (at >= from && at <= to) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + us);
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const where = (url) => {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0)
    return url
      .slice(nm + 13)
      .split('/')
      .slice(0, url.slice(nm + 13).startsWith('@') ? 2 : 1)
      .join('/');
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\/.*?\/dist\//, 'dist/');
};
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
const nameOf = ({ callFrame: f }) => `${f.functionName || '(anonymous)'}  ${where(f.url)}:${f.lineNumber + 1}`;
const byFunction = new Map();
const byPlace = new Map();
const inclusive = new Map();
for (const [id, us] of selfUs) {
  add(byFunction, nameOf(byId.get(id)), us);
  add(byPlace, where(byId.get(id).callFrame.url), us);
  const seen = new Set();
  for (let node = id; node !== undefined; node = parentOf.get(node)) seen.add(nameOf(byId.get(node)));
  for (const name of seen) add(inclusive, name, us);
}
const print = (title, map) => {
  console.log(`\n${title} (of ${(total / 1e6).toFixed(2)} s busy)`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
};
const busySeconds = Object.entries(busyPerSecond).map(([s, us]) => `${s}s ${Math.round(us / 1e4)}%`);
console.log(`busy share of each second of the profile (the seconds not listed were idle): ${busySeconds.join(', ')}`);
print('self time by package / file', byPlace);
print('self time by function', byFunction);
print('inclusive time by function', inclusive);
