/** 账户管理: a placeholder until the page is built. */
import type { JSX } from 'solid-js';
import { AdminNav } from '../../ui/AdminNav';

export default function AccountsPage(): JSX.Element {
  return (
    <section class="page">
      <AdminNav />
      <h1>账户管理</h1>
    </section>
  );
}
