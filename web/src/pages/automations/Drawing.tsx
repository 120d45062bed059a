// The read-only drawing of an automation: a box per step (its id, type, a summary and its counts) laid out top to
// bottom with branches side by side, and SVG connectors labelled with the edge and how many runs took it.
import { num, t } from '../../i18n.ts';
import { layoutFlow, type FlowEdge, type FlowNode, type StepDef } from './layout.ts';
import { durationLabel, stepTypeLabel, type Stats } from './shared.tsx';

const BOX_W = 200;
const BOX_H = 96;
const COL = 264;
const ROW = 136;
const PAD = 16;
const ASIDE = 64; // room on the right for the connectors that close waiting loops
const LABELS = 132; // room on the left for the connectors that skip rows, and their labels

type StepStats = Stats['steps'][number];

/** A one-line summary of a step's settings (what it sends, waits for, checks). */
function summary(step: StepDef): string {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const template = step.template as { name?: string; uuid?: string } | undefined;
  switch (step.type) {
    case 'send_message': return template ? `template ${template.name ?? template.uuid ?? ''}` : text(step.text) || text((step.media as { url?: string } | undefined)?.url);
    case 'wait': return durationLabel(step.duration);
    case 'wait_until': return text(step.at);
    case 'wait_for_event': return `${text(step.event)} · ${durationLabel(step.timeout)}`;
    case 'wait_for_reply': return durationLabel(step.timeout);
    case 'ask': return text(step.text);
    case 'update_contact': return [...((step.add_tags as string[] | undefined) ?? []).map((tag) => `+${tag}`), ...((step.remove_tags as string[] | undefined) ?? []).map((tag) => `−${tag}`)].join(' ');
    case 'webhook': return text(step.url);
    case 'handoff': return text(step.note);
    case 'branch': return (Array.isArray(step.conditions) ? step.conditions as Record<string, unknown>[] : []).map(conditionLabel).join(' | ');
    case 'split': return (Array.isArray(step.branches) ? step.branches as Record<string, unknown>[] : []).map((b) => `${b.percent}%`).join(' / ');
    default: return '';
  }
}

/** A branch condition in short: `trigger.total gte 100`, `last_message read`, `time 09:00–18:00`, `segment`, `rule`. */
function conditionLabel(c: Record<string, unknown>): string {
  if (typeof c.field === 'string') return [c.field, c.op, c.value === undefined ? '' : JSON.stringify(c.value)].filter(Boolean).join(' ');
  if (typeof c.last_message === 'string') return `last_message ${c.last_message}`;
  if (c.time && typeof c.time === 'object') return `time ${((c.time as { between?: string[] }).between ?? []).join('–')}`;
  return typeof c.segment === 'string' ? 'segment' : 'rule';
}

/** A box's left edge, `left` being the drawing's left margin (wider when connectors go around the left side). */
const x0 = (n: FlowNode, left: number) => left + n.x * COL;
const y0 = (n: FlowNode) => PAD + n.layer * ROW;

/** A point `k` of the way along a cubic Bézier curve (one coordinate). */
const bezier = (k: number, a: number, b: number, c: number, e: number) => (1 - k) ** 3 * a + 3 * (1 - k) ** 2 * k * b + 3 * (1 - k) * k ** 2 * c + k ** 3 * e;

type Route = [string, [number, number], 'start' | 'middle' | 'end'];

/** A connector around a side: out to `out`, along it, into the target's side at `end`; its label beside the curve's outer point. */
function aside(sx: number, sy: number, tx: number, ty: number, out: number, end: number): Route {
  const x = bezier(0.5, sx, out, out, tx);
  return [`M ${sx} ${sy} C ${out} ${sy}, ${out} ${ty}, ${end} ${ty}`, [x + (out < sx ? -4 : 4), bezier(0.5, sy, sy, ty, ty)], out < sx ? 'end' : 'start'];
}

/** A connector's path: straight down to the next row; around the left side when it skips rows (`lane` spaces them); around the right side back up a loop. */
function route(edge: FlowEdge, from: FlowNode, to: FlowNode, lane: number, left: number): Route {
  if (edge.back || to.layer <= from.layer) {
    const [sx, sy, tx, ty] = [x0(from, left) + BOX_W, y0(from) + BOX_H / 2, x0(to, left) + BOX_W, y0(to) + BOX_H / 2];
    return aside(sx, sy, tx, ty, Math.max(sx, tx) + ASIDE - 8 - lane * 8, tx + 6);
  }
  if (to.layer - from.layer > 1) {
    const [sx, sy, tx, ty] = [x0(from, left), y0(from) + BOX_H / 2, x0(to, left), y0(to) + BOX_H / 2];
    return aside(sx, sy, tx, ty, Math.min(sx, tx) - 24 - lane * 10, tx - 6);
  }
  const [sx, sy, tx, ty] = [x0(from, left) + BOX_W / 2, y0(from) + BOX_H, x0(to, left) + BOX_W / 2, y0(to) - 6];
  const dy = (ty - sy) / 2;
  return [`M ${sx} ${sy} C ${sx} ${sy + dy}, ${tx} ${ty - dy}, ${tx} ${ty}`, [bezier(0.4, sx, sx, tx, tx), bezier(0.4, sy, sy + dy, ty - dy, ty)], 'middle'];
}

/** One connector for every edge of `edges` (same source and target): their labels (`next` unsaid when alone) and the runs that took them. */
function Connector({ edges, from, to, count, lane, left }: { edges: FlowEdge[]; from: FlowNode; to: FlowNode; count: number; lane: number; left: number }) {
  const edge = edges[0];
  const [d, label, anchor] = route(edge, from, to, lane, left);
  const names = edges.length === 1 && edge.name === 'next' ? '' : edges.map((e) => e.label).join(', ');
  const text = [names, count ? num(count) : ''].filter(Boolean).join(' · ');
  return (
    <g class={`edge e-${edge.name}`}>
      <path d={d} marker-end="url(#flow-arrow)" />
      {text && <text x={label[0]} y={label[1]} text-anchor={anchor} dominant-baseline="middle">{text}</text>}
    </g>
  );
}

/** The drawing of `start`/`steps` with each step's counts from `stats` and the box of step `current` marked. */
export function Drawing({ start, steps, stats, current }: { start: string; steps: Record<string, StepDef>; stats?: StepStats[]; current?: string | null }) {
  const flow = layoutFlow(start, steps);
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const statsOf = (id: string) => stats?.find((s) => s.step === id);
  // the connectors that go around a side get a lane each (in edge order), so they do not lie on one another
  const grouped = new Map<string, FlowEdge[]>();
  for (const e of flow.edges) grouped.set(`${e.from} ${e.to}`, [...(grouped.get(`${e.from} ${e.to}`) ?? []), e]);
  const connectors = [...grouped.values()];
  const lanes = new Map<number, number>();
  let [leftLanes, right] = [0, 0];
  connectors.forEach(([e], i) => {
    const [a, b] = [byId.get(e.from)!.layer, byId.get(e.to)!.layer];
    if (e.back || b <= a) lanes.set(i, right++); else if (b - a > 1) lanes.set(i, leftLanes++);
  });
  const left = leftLanes > 0 ? LABELS : PAD;
  const width = left + PAD + Math.max(0, flow.columns - 1) * COL + BOX_W + (right > 0 ? ASIDE : 0);
  const height = PAD * 2 + Math.max(0, flow.rows - 1) * ROW + BOX_H;
  return (
    <div class="flow-scroll" tabIndex={0} role="region" aria-label={t('automations.drawing')}>
      <div class="flow" style={{ width: `${width}px`, height: `${height}px` }}>
        <svg class="flow-edges" width={width} height={height} aria-hidden="true">
          <defs>
            <marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" /></marker>
          </defs>
          {connectors.map((edges, i) => (
            <Connector edges={edges} from={byId.get(edges[0].from)!} to={byId.get(edges[0].to)!} lane={lanes.get(i) ?? 0} left={left}
              count={edges.reduce((n, e) => n + (statsOf(e.from)?.completed[e.name] ?? 0), 0)} />
          ))}
        </svg>
        <ol class="flow-steps">
          {flow.nodes.map((n) => {
            const s = statsOf(n.id);
            const outs = flow.edges.filter((e) => e.from === n.id);
            const skipped = s ? Object.values(s.skipped).reduce((a, b) => a + b, 0) : 0;
            return (
              <li class={`flow-step t-${n.type}`} data-step={n.id} aria-current={current === n.id ? 'step' : undefined}
                style={{ left: `${x0(n, left)}px`, top: `${y0(n)}px`, width: `${BOX_W}px`, height: `${BOX_H}px` }}>
                <span class="flow-head"><strong>{n.id}</strong>{n.id === start && <span class="chip">{t('automations.start')}</span>}</span>
                <span class="flow-type">{stepTypeLabel(n.type)}</span>
                <span class="flow-summary">{summary(steps[n.id])}</span>
                {s && (
                  <span class="flow-counts">
                    <span data-count="entered">{t('automations.count.entered', { n: num(s.entered) })}</span>
                    {s.waiting_now > 0 && <span data-count="waiting">{t('automations.count.waiting', { n: num(s.waiting_now) })}</span>}
                    {skipped > 0 && <span data-count="skipped">{t('automations.count.skipped', { n: num(skipped) })}</span>}
                    {s.failed > 0 && <span data-count="failed" class="bad">{t('automations.count.failed', { n: num(s.failed) })}</span>}
                  </span>
                )}
                {outs.length > 0 && (
                  <span class="visually-hidden">
                    {outs.map((e) => t('automations.edgeTo', { edge: e.label, step: e.to, n: num(s?.completed[e.name] ?? 0) })).join('; ')}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
