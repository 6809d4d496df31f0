/**
 * A chart: a canvas (role="img", its aria-label summarising what it shows; the table beside it has the
 * figures) drawn by Chart.js, which is loaded by the dynamic import below on the first chart only, after the
 * page and its tables are painted. The chart is updated in place when its spec changes and destroyed with
 * the component. `chartsDrawn()` resolves once every chart on the page is drawn (the report prints after it).
 */
import { createEffect, on, onCleanup, onMount, type JSX } from 'solid-js';
import type { ChartHandle, ChartSpec } from './chart-lib';

export type { ChartSpec } from './chart-lib';

const pending = new Set<Promise<void>>();
let lib: Promise<typeof import('./chart-lib')> | null = null;
/** Chart.js, loaded once; a page may start it while its data is still on the way (its download then overlaps the requests) */
export const loadCharts = () => {
  lib ??= import('./chart-lib');
  return lib;
};

/** resolves when every chart mounted so far has been drawn (or failed to load) */
export async function chartsDrawn(): Promise<void> {
  while (pending.size) await Promise.all([...pending]);
}

export function Chart(p: {
  testid: string;
  /** what the chart shows, in words */
  label: string;
  spec: ChartSpec;
  /** CSS height of the drawing area */
  height: number;
  /** device pixel ratio: 2 or more for print */
  dpr?: number;
}): JSX.Element {
  let canvas!: HTMLCanvasElement;
  let handle: ChartHandle | undefined;
  let gone = false;
  let done!: () => void;
  const drawn = new Promise<void>((r) => {
    done = r;
  });
  pending.add(drawn);
  void drawn.then(() => pending.delete(drawn));

  onMount(() => {
    loadCharts()
      .then((lib) => {
        if (gone) return;
        handle = lib.createChart(canvas, p.spec, p.dpr);
      })
      .catch(() => {
        /* the table beside it still has the figures */
      })
      .finally(done);
  });
  createEffect(
    on(
      () => p.spec,
      (s) => handle?.update(s),
      { defer: true },
    ),
  );
  onCleanup(() => {
    gone = true;
    handle?.destroy();
    handle = undefined;
    done();
  });

  return (
    <div class="chart-box" style={{ height: `${p.height}px` }}>
      <canvas ref={canvas} data-testid={p.testid} role="img" aria-label={p.label}>
        {p.label}
      </canvas>
    </div>
  );
}
