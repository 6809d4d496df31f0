/** 操作日志: a placeholder until the page is built. */
import type { JSX } from 'solid-js';
import { AdminNav } from '../../ui/AdminNav';

export default function AuditPage(): JSX.Element {
  return (
    <section class="page">
      <AdminNav />
      <h1>操作日志</h1>
    </section>
  );
}
