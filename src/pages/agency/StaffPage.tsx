/** 执法人员: a placeholder until the page is built. */
import type { JSX } from 'solid-js';
import { AdminNav } from '../../ui/AdminNav';

export default function StaffPage(): JSX.Element {
  return (
    <section class="page">
      <AdminNav />
      <h1>执法人员</h1>
    </section>
  );
}
