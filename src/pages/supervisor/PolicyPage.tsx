/** 全市政策: a placeholder until the page is built. */
import type { JSX } from 'solid-js';
import { AdminNav } from '../../ui/AdminNav';

export default function PolicyPage(): JSX.Element {
  return (
    <section class="page">
      <AdminNav />
      <h1>全市政策</h1>
    </section>
  );
}
