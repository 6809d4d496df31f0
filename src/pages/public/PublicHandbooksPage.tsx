/** 一业一册: a placeholder until the page is built. */
import type { JSX } from 'solid-js';

export default function PublicHandbooksPage(): JSX.Element {
  return (
    <section class="page">
      <h1>一业一册</h1>
    </section>
  );
}
