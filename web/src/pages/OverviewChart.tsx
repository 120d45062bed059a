// One uPlot line chart of the overview: x in seconds (days or moments), one line per series, sized to its box.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { lang, num, t } from '../i18n.ts';

const COLORS = ['#1f6feb', '#1a7f37', '#8250df', '#cf222e', '#9a6700', '#0969da', '#bf3989'];

/** A day as the axis shows it (e.g. 6 Dec), in the user's language. */
export const shortDay = (seconds: number) => new Intl.DateTimeFormat(lang.get(), { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(seconds * 1000));
/** A moment as the axis shows it (e.g. 14:05:10), in the user's language and time zone. */
export const shortTime = (seconds: number) => new Intl.DateTimeFormat(lang.get(), { timeStyle: 'medium' }).format(new Date(seconds * 1000));

/** A series of a chart: its label and one value per x; `colors` picks its colour by index in COLORS. */
export interface Series {
  label: string;
  values: number[];
  color?: number;
}

/**
 * A uPlot line chart titled `title` over `xs` (seconds, shown over `xRange` when given), the x axis written by `x` (shortDay by default); the
 * figures the chart draws are also in the page's text (its role img has the title as its name).
 */
export function Chart({ title, xs, series, x = shortDay, xLabel = t('overview.day'), id, xRange }: { title: string; xs: number[]; series: Series[]; x?: (s: number) => string; xLabel?: string; id?: string; xRange?: [number, number] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const plot = new uPlot({
      width: Math.max(280, el.clientWidth), height: 220,
      series: [{ label: xLabel, value: (_u, v) => (v == null ? '—' : x(v)) },
        ...series.map((s, i) => ({ label: s.label, stroke: COLORS[(s.color ?? i) % COLORS.length], width: 2 }))],
      // moments need wider gaps between ticks than days (12:15:30 PM against Dec 6)
      axes: [{ space: x === shortDay ? 50 : 110, values: (_u, ticks) => ticks.map((tk) => x(tk)) }, { values: (_u, ticks) => ticks.map((v) => num(v)) }],
      scales: { x: { time: true, ...(xRange ? { range: (): [number, number] => xRange } : {}) } },
    }, [xs, ...series.map((s) => s.values)], el);
    const resize = () => plot.setSize({ width: Math.max(280, el.clientWidth), height: 220 });
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); plot.destroy(); };
  }, [JSON.stringify([xs, series, xRange, lang.get()])]);
  return <figure class="card chart" data-chart={id}><figcaption>{title}</figcaption><div ref={box} role="img" aria-label={title} /></figure>;
}
