/** A tiny Prometheus registry: counters and gauges with optional labels, text exposition format 0.0.4. */
import { createHash, timingSafeEqual } from 'node:crypto';
type Labels = Record<string, string>;

const key = (l?: Labels) =>
  l
    ? Object.keys(l)
        .sort()
        .map((k) => `${k}="${String(l[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
        .join(',')
    : '';

class Metric {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
  ) {}
  inc(labels?: Labels, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  dec(labels?: Labels, by = 1): void {
    this.inc(labels, -by);
  }
  set(v: number, labels?: Labels): void {
    this.values.set(key(labels), v);
  }
  get(labels?: Labels): number {
    return this.values.get(key(labels)) ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    if (this.values.size === 0) lines.push(`${this.name} 0`);
    for (const [k, v] of this.values) lines.push(k ? `${this.name}{${k}} ${v}` : `${this.name} ${v}`);
    return lines.join('\n');
  }
}

export class Metrics {
  private readonly all: Metric[] = [];
  private m(name: string, help: string, type: 'counter' | 'gauge') {
    const x = new Metric(name, help, type);
    this.all.push(x);
    return x;
  }

  readonly connections = this.m('eicp_ws_connections', 'Open WebSocket connections (accepted and authorised)', 'gauge');
  readonly docsLoaded = this.m('eicp_docs_loaded', 'Yjs docs loaded in memory', 'gauge');
  readonly updatesAccepted = this.m('eicp_updates_accepted_total', 'Yjs updates stored and applied', 'counter');
  readonly updatesRejected = this.m('eicp_updates_rejected_total', 'Yjs updates or frames rejected, by reason', 'counter');
  readonly bytesStored = this.m('eicp_bytes_stored_total', 'Bytes of Yjs updates written to the store', 'counter');
  readonly readerDropped = this.m('eicp_reader_messages_dropped_total', 'Write messages dropped from read-only sessions', 'counter');
  readonly loginFailures = this.m('eicp_login_failures_total', 'Failed logins, by reason', 'counter');
  readonly logins = this.m('eicp_logins_total', 'Successful logins', 'counter');
  readonly wsRefused = this.m('eicp_ws_refused_total', 'WebSocket sessions refused or closed by the server, by close code', 'counter');
  readonly compactions = this.m('eicp_compactions_total', 'Update-log compactions', 'counter');
  readonly journalBacklog = this.m('eicp_journal_backlog_updates', 'Updates stored in the journal and not yet folded into SQLite', 'gauge');
  readonly evictions = this.m('eicp_doc_evictions_total', 'Idle docs unloaded', 'counter');
  readonly httpRequests = this.m('eicp_http_requests_total', 'HTTP requests, by status class', 'counter');

  render(): string {
    const mem = process.memoryUsage();
    const extra = [
      '# HELP process_resident_memory_bytes Resident memory size in bytes.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${mem.rss}`,
      '# HELP nodejs_heap_used_bytes V8 heap used in bytes.',
      '# TYPE nodejs_heap_used_bytes gauge',
      `nodejs_heap_used_bytes ${mem.heapUsed}`,
    ];
    return (
      this.all
        .map((m) => m.render())
        .concat(extra)
        .join('\n') + '\n'
    );
  }
}

/**
 * May this request read /metrics? Only with `Authorization: Bearer <METRICS_TOKEN>` (compared in constant
 * time). `null` token (METRICS_TOKEN unset): nobody; the route answers 404 then, 401 for a wrong token.
 */
export function metricsAccess(authorization: string | undefined, token: string | undefined): 'ok' | 'unauthorized' | 'disabled' {
  if (!token) return 'disabled';
  const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) ? 'ok' : 'unauthorized';
}
