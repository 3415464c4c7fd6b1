import { readFileSync } from 'node:fs';

/**
 * `node --import tsx bench/processes/top.ts PROFILE.cpuprofile [N]`: the N functions (default 25)
 * with the most self time in a V8 CPU profile, and the share of each package or folder.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const [path, n = '25'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(path!, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
const total = profile.samples.length;
const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (!hits) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, '');
  const place =
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ??
    (file.startsWith('node:') ? 'node' : (/\/main\/([^/]+)\//.exec(file)?.[1] ?? (file || functionName)));
  const name = `${functionName || '(anonymous)'} ${file.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
}
const share = (hits: number) => `${((hits / total) * 100).toFixed(1).padStart(5)} %`;
console.log(`${total} samples\n\nby package or folder:`);
for (const [place, hits] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`${share(hits)}  ${place}`);
console.log('\nby function (self time):');
for (const [name, hits] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(n)))
  console.log(`${share(hits)}  ${name}`);
