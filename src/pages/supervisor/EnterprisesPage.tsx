/** 企业名录: a placeholder until the page is built. */
import type { JSX } from 'solid-js';
import { AdminNav } from '../../ui/AdminNav';

export default function EnterprisesPage(): JSX.Element {
  return (
    <section class="page">
      <AdminNav />
      <h1>企业名录</h1>
    </section>
  );
}
