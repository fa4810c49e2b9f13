// Prints where a V8 CPU profile spent its time: self time by function and by package/file, as shares
// of the busy time (the idle samples of a service waiting for work are left out).
//   node bench/ingest/profile-summary.mjs .local/profiles/worker.cpuprofile [top]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.mjs <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  if (byId.get(profile.samples[i]).callFrame.functionName === '(idle)') continue;
  selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
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
const byFunction = new Map();
const byPlace = new Map();
for (const [id, us] of selfUs) {
  const { callFrame: f } = byId.get(id);
  add(byFunction, `${f.functionName || '(anonymous)'}  ${where(f.url)}:${f.lineNumber + 1}`, us);
  add(byPlace, where(f.url), us);
}
const print = (title, map) => {
  console.log(`\n${title} (of ${(total / 1e6).toFixed(2)} s busy)`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
};
print('self time by package / file', byPlace);
print('self time by function', byFunction);
