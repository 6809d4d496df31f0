/** 检查事项清单: a placeholder until the page is built. */
import type { JSX } from 'solid-js';
import { AdminNav } from '../../ui/AdminNav';

export default function CataloguePage(): JSX.Element {
  return (
    <section class="page">
      <AdminNav />
      <h1>检查事项清单</h1>
    </section>
  );
}
