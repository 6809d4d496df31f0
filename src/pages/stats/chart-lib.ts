/**
 * Chart.js 4, tree-shaken: only the line and bar controllers, their elements, the category and linear scales,
 * the legend and the tooltip are registered. Imported only by Chart.tsx's dynamic import, so neither the first
 * screen nor the statistics page's first paint waits for it.
 *
 * Readable without colour: the two series of a trend differ by dash pattern and point style (the legend shows
 * both), bars carry their values as direct labels. No animation (prefers-reduced-motion, and speed).
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import { clip } from './stats-logic';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.font.family = 'system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif';
Chart.defaults.color = '#1b2430';
Chart.defaults.animation = false;

/** what a chart shows, without Chart.js types (the page builds these) */
export interface ChartSpec {
  /** trend: lines over months; hbar: horizontal bars (a ranking); bars: vertical bars (a distribution) */
  kind: 'trend' | 'hbar' | 'bars';
  labels: string[];
  series: { label: string; data: number[] }[];
}

const LINE_STYLES = [
  { color: '#0b4f8a', dash: [] as number[], point: 'circle' as const },
  { color: '#b25d00', dash: [7, 4], point: 'triangle' as const },
  { color: '#1b6e3a', dash: [2, 3], point: 'rectRot' as const },
];
const BAR_COLOR = '#0b4f8a';
const fmt = new Intl.NumberFormat('en-US');

/** each bar's value written at its end: the figure is read without the axis or the colour */
const valueLabels = (horizontal: boolean): Plugin => ({
  id: 'valueLabels',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = '#1b2430';
    ctx.font = `12px ${Chart.defaults.font.family}`;
    chart.data.datasets.forEach((ds, di) => {
      const meta = chart.getDatasetMeta(di);
      if (meta.hidden) return;
      meta.data.forEach((el, i) => {
        const v = ds.data[i];
        if (typeof v !== 'number') return;
        const { x, y } = el.tooltipPosition(false);
        if (x === null || y === null) return;
        if (horizontal) {
          ctx.textAlign = 'left';
          ctx.textBaseline = 'middle';
          ctx.fillText(fmt.format(v), x + 4, y);
        } else {
          ctx.textAlign = 'center';
          ctx.textBaseline = 'bottom';
          ctx.fillText(fmt.format(v), x, y - 2);
        }
      });
    });
    ctx.restore();
  },
});

function configOf(spec: ChartSpec, dpr?: number): ChartConfiguration {
  const common = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    devicePixelRatio: dpr,
  };
  if (spec.kind === 'trend') {
    return {
      type: 'line',
      data: {
        labels: spec.labels,
        datasets: spec.series.map((s, i) => {
          const st = LINE_STYLES[i % LINE_STYLES.length];
          return {
            label: s.label,
            data: s.data,
            borderColor: st.color,
            backgroundColor: st.color,
            borderDash: st.dash,
            pointStyle: st.point,
            pointRadius: 4,
            borderWidth: 2,
            tension: 0,
          };
        }),
      },
      options: {
        ...common,
        interaction: { mode: 'index', intersect: false },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom', labels: { usePointStyle: true, pointStyleWidth: 14, boxHeight: 7, padding: 16 } } },
      },
    };
  }
  const horizontal = spec.kind === 'hbar';
  return {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s) => ({ label: s.label, data: s.data, backgroundColor: BAR_COLOR, borderColor: BAR_COLOR, maxBarThickness: 28 })),
    },
    options: {
      ...common,
      indexAxis: horizontal ? 'y' : 'x',
      // room for the direct labels past the longest bar / above the highest
      layout: { padding: horizontal ? { right: 48 } : { top: 18 } },
      scales: horizontal
        ? {
            x: { beginAtZero: true, ticks: { precision: 0 } },
            // long agency names are cut (the table beside has them whole) so the bars keep their room at 360 px
            y: {
              ticks: {
                autoSkip: false,
                callback(value) {
                  return clip(this.getLabelForValue(Number(value)), this.chart.width < 520 ? 16 : 34);
                },
              },
            },
          }
        : { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { display: false } },
    },
    plugins: [valueLabels(horizontal)],
  };
}

export interface ChartHandle {
  update(spec: ChartSpec): void;
  destroy(): void;
}

/** a chart on a canvas; `update` changes its data in place (no new chart, no animation) */
export function createChart(canvas: HTMLCanvasElement, spec: ChartSpec, dpr?: number): ChartHandle {
  let kind = spec.kind;
  let chart = new Chart(canvas, configOf(spec, dpr));
  return {
    update(next) {
      if (next.kind !== kind) {
        chart.destroy();
        chart = new Chart(canvas, configOf(next, dpr));
        kind = next.kind;
        return;
      }
      const fresh = configOf(next, dpr);
      chart.data.labels = fresh.data.labels;
      // keep the dataset objects (Chart.js keeps their elements), change their values and labels
      fresh.data.datasets.forEach((ds, i) => {
        const have = chart.data.datasets[i];
        if (have) Object.assign(have, { label: ds.label, data: ds.data });
        else chart.data.datasets.push(ds);
      });
      chart.data.datasets.length = fresh.data.datasets.length;
      chart.update('none');
    },
    destroy() {
      chart.destroy();
    },
  };
}
