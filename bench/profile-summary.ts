/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]` (`LAST=5 SKIP_END=1`
 * counts only 5 seconds of samples ending 1 second before the profile ends: the measured
 * run without start-up, seeding or the checks after it)
 *
 * Summarises a V8 CPU profile written by `BENCH_PROFILE=1 npm run bench`: self time
 * by function, by package/source area, and the inclusive time of a few request-path
 * functions of interest.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const file = process.argv[2];
const top = Number(process.argv[3] ?? 25);
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// LAST=<seconds>: only samples from the profile's last N seconds count — the measured
// run, without start-up, migrations and seeding (the runner closes the server right after).
const lastUs = Number(process.env.LAST ?? 0) * 1e6;
const sampleTimes: number[] = [];
let clock = profile.startTime;
for (const d of profile.timeDeltas) sampleTimes.push((clock += d));
// SKIP_END=<seconds>: and leave out the profile's final seconds (the bench's checks and shutdown).
const skipEndUs = Number(process.env.SKIP_END ?? 0) * 1e6;
const toUs = profile.endTime - skipEndUs;
const fromUs = lastUs > 0 ? toUs - lastUs : -Infinity;
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  if (sampleTimes[i]! >= fromUs && sampleTimes[i]! <= toUs) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const totalUs = lastUs > 0 ? Math.min(lastUs, toUs - profile.startTime) : toUs - profile.startTime;

function area(frame: CallFrame): string {
  const u = frame.url;
  if (!u) return frame.functionName.startsWith('(') ? frame.functionName : '(native/builtin)';
  const nm = u.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1]!;
  if (u.startsWith('node:')) return u;
  const src = u.match(/\/(src\/.*|bench\/.*)$/);
  return src ? src[1]! : u;
}
const label = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${area(f)}:${f.lineNumber + 1}`;

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const selfByFn = new Map<string, number>();
const selfByArea = new Map<string, number>();
for (const [id, us] of selfUs) {
  const f = byId.get(id)!.callFrame;
  add(selfByFn, label(f), us);
  add(selfByArea, area(f), us);
}

// Inclusive time: each sample counts once for every distinct function on its stack.
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${area(f)}`;
    if (!seen.has(key)) {
      seen.add(key);
      add(inclusive, key, us);
    }
  }
}

const pct = (us: number) => `${((us / totalUs) * 100).toFixed(1).padStart(5)} %`;
const print = (title: string, m: Map<string, number>, n: number, filter: (k: string) => boolean = () => true) => {
  console.log(`\n${title}`);
  [...m.entries()]
    .filter(([k]) => filter(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .forEach(([k, us]) => console.log(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`));
};

console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s profiled`);
print('Self time by area', selfByArea, top);
print('Self time by function', selfByFn, top);
print('Inclusive time, application code', inclusive, top, (k) => /src\//.test(k));
print('Inclusive time, selected libraries', inclusive, top, (k) => /(kysely|better-sqlite3|pino|fastify|ajv|fast-json|avvio|find-my-way|prom-client|@fastify)/.test(k));
