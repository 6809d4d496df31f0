/** 执法主体: a placeholder until the page is built. */
import type { JSX } from 'solid-js';

export default function PublicBodiesPage(): JSX.Element {
  return (
    <section class="page">
      <h1>执法主体</h1>
    </section>
  );
}
