/** 检查事项清单: a placeholder until the page is built. */
import type { JSX } from 'solid-js';

export default function PublicCataloguePage(): JSX.Element {
  return (
    <section class="page">
      <h1>检查事项清单</h1>
    </section>
  );
}
