// An automation's steps and edges laid out top to bottom: a step's row is its longest path from `start` (the edge
// closing a waiting loop is a back edge, drawn aside), and a row's steps sit under their parents, side by side, in
// the order their edges are written (a branch's first condition on the left).

/** A step of a definition (its settings and edges). */
export type StepDef = Record<string, unknown>;
/** One edge: its name as the run and the stats record it (next, skipped, condition_0 …), its label, its target. */
export interface FlowEdge { from: string; to: string; name: string; label: string; back: boolean }
/** One step placed: its row (`layer`) and column (`x`, in box widths, possibly halves). */
export interface FlowNode { id: string; type: string; layer: number; x: number }
/** The whole drawing: nodes, edges, and its size in columns and rows. */
export interface Flow { nodes: FlowNode[]; edges: FlowEdge[]; columns: number; rows: number }

const SIMPLE_EDGES: [string, string][] = [['next', 'next'], ['skipped', 'skipped'], ['past', 'past'], ['fallback', 'fallback'], ['timeout_next', 'timeout'], ['default', 'default']];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The edges of one step, in the order the API names them (the names match the runs' outcomes and the stats). */
export function edgesOf(step: StepDef): { name: string; label: string; to: string }[] {
  const out: { name: string; label: string; to: string }[] = [];
  const list = (key: unknown) => (Array.isArray(key) ? key.filter(isObject) : []);
  list(step.conditions).forEach((c, i) => { if (typeof c.next === 'string') out.push({ name: `condition_${i}`, label: `condition_${i}`, to: c.next }); });
  list(step.branches).forEach((b, i) => {
    const name = typeof b.name === 'string' ? b.name : `branch_${i}`;
    if (typeof b.next === 'string') out.push({ name, label: typeof b.percent === 'number' ? `${name} ${b.percent}%` : name, to: b.next });
  });
  const options = Array.isArray(step.buttons) ? list(step.buttons) : isObject(step.list) ? list(step.list.rows) : [];
  options.forEach((o, i) => { if (typeof o.next === 'string') out.push({ name: `option_${i}`, label: typeof o.title === 'string' ? o.title : `option_${i}`, to: o.next }); });
  for (const [key, name] of SIMPLE_EDGES) if (typeof step[key] === 'string') out.push({ name, label: name, to: step[key] as string });
  return out;
}

/** Lays out a definition's steps from `start`: rows by longest path, columns under the parents' mean, no overlap. */
export function layoutFlow(start: string, steps: Record<string, StepDef>): Flow {
  const ids = Object.keys(steps);
  const out = new Map(ids.map((id) => [id, edgesOf(steps[id]).filter((e) => Object.hasOwn(steps, e.to))]));
  const state = new Map<string, 'open' | 'done'>();
  const postorder: string[] = [];
  const edges: FlowEdge[] = [];
  const discovered = new Map<string, number>();
  const visit = (id: string) => {
    state.set(id, 'open');
    discovered.set(id, discovered.size);
    for (const e of out.get(id)!) {
      const back = state.get(e.to) === 'open';
      edges.push({ from: id, ...e, back });
      if (!state.has(e.to)) visit(e.to);
    }
    state.set(id, 'done');
    postorder.push(id);
  };
  for (const id of [start, ...ids]) if (Object.hasOwn(steps, id) && !state.has(id)) visit(id);
  const topo = postorder.reverse();
  const layer = new Map(topo.map((id) => [id, 0]));
  for (const id of topo) {
    for (const e of edges) if (e.from === id && !e.back) layer.set(e.to, Math.max(layer.get(e.to)!, layer.get(id)! + 1));
  }
  const rows = Math.max(0, ...layer.values()) + (topo.length ? 1 : 0);
  const x = new Map<string, number>();
  for (let row = 0; row < rows; row++) {
    const inRow = topo.filter((id) => layer.get(id) === row).sort((a, b) => discovered.get(a)! - discovered.get(b)!);
    const desired = inRow.map((id, order) => {
      const parents = edges.filter((e) => e.to === id && !e.back && x.has(e.from)).map((e) => x.get(e.from)!);
      return { id, want: parents.length ? parents.reduce((a, b) => a + b, 0) / parents.length : order, order };
    }).sort((a, b) => a.want - b.want || a.order - b.order);
    const placed: number[] = [];
    desired.forEach((d, i) => placed.push(i === 0 ? d.want : Math.max(d.want, placed[i - 1] + 1)));
    const shift = placed.reduce((sum, p, i) => sum + p - desired[i].want, 0) / (placed.length || 1);
    desired.forEach((d, i) => x.set(d.id, placed[i] - shift));
  }
  const min = Math.min(0, ...x.values());
  const nodes = topo.map((id) => ({ id, type: typeof steps[id].type === 'string' ? steps[id].type as string : '', layer: layer.get(id)!, x: x.get(id)! - min }));
  const columns = nodes.length ? Math.max(...nodes.map((n) => n.x)) + 1 : 0;
  return { nodes: nodes.sort((a, b) => a.layer - b.layer || a.x - b.x), edges, columns, rows };
}
