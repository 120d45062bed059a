import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one function or one package, as a share of the profile's samples. */
export interface HotSpot {
  name: string;
  selfMs: number;
  share: number;
}

/** The top self-time functions and packages of the CPU profiles in a directory. */
export interface ProfileSummary {
  files: string[];
  totalMs: number;
  functions: HotSpot[];
  packages: HotSpot[];
  /** For the hottest functions: which call paths (3 frames up) their self time comes from. */
  callers: Array<{ function: string; paths: HotSpot[] }>;
}

function where(url: string): string {
  if (!url) return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (path.startsWith('node:')) return path.split('/')[0].replace(/^node:internal.*/, 'node:internal');
  if (path.startsWith(ROOT)) return relative(ROOT, path).split('/').slice(0, 2).join('/');
  return path;
}

function frameName(frame: ProfileNode['callFrame']): string {
  const file = frame.url ? frame.url.split('/').slice(-2).join('/') : '';
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
}

function top(map: Map<string, number>, total: number, n: number): HotSpot[] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, selfMs: us / 1000, share: us / total }));
}

/** Reads every .cpuprofile in `dir` and sums self time per function and per package (node_modules name or src/ folder). */
export function summarizeProfiles(dir: string, n = 20): ProfileSummary | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (!files.length) return null;
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const byPath = new Map<string, Map<string, number>>();
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const parents = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      const frame = nodes.get(id)!.callFrame;
      const pkg = where(frame.url);
      const label = frame.url ? `${frame.functionName || '(anonymous)'} ${pkg === '(native)' ? '' : relative(ROOT, frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url)}:${frame.lineNumber + 1}` : frame.functionName;
      if (frame.functionName === '(idle)') return;
      total += us;
      byFunction.set(label, (byFunction.get(label) ?? 0) + us);
      const path: string[] = [];
      for (let p = parents.get(id); p !== undefined && path.length < 3; p = parents.get(p)) path.push(frameName(nodes.get(p)!.callFrame));
      const paths = byPath.get(label) ?? byPath.set(label, new Map()).get(label)!;
      const key = path.join(' ← ') || '(root)';
      paths.set(key, (paths.get(key) ?? 0) + us);
      byPackage.set(frame.url ? pkg : frame.functionName, (byPackage.get(frame.url ? pkg : frame.functionName) ?? 0) + us);
    });
  }
  const functions = top(byFunction, total, n);
  const callers = functions.slice(0, 3).map((f) => ({ function: f.name, paths: top(byPath.get(f.name) ?? new Map(), f.selfMs * 1000, 4) }));
  return { files, totalMs: total / 1000, functions, packages: top(byPackage, total, n), callers };
}

/** Renders a summary as indented text lines for the console and the Markdown report. */
export function profileLines(summary: ProfileSummary): string[] {
  const pct = (s: HotSpot) => `${(s.share * 100).toFixed(1).padStart(5)}%  ${s.name}`;
  return [
    `main thread busy in the profile: ${(summary.totalMs / 1000).toFixed(1)} s (idle excluded; time blocked in a synchronous call, e.g. an fsync inside SQLite, counts as busy)`,
    'top packages by self time:', ...summary.packages.slice(0, 12).map(pct),
    'top functions by self time:', ...summary.functions.slice(0, 20).map(pct),
    ...summary.callers.flatMap((c) => [`where the time of ${c.function} comes from (share of its self time):`, ...c.paths.map((p) => '  ' + pct(p))]),
  ];
}
