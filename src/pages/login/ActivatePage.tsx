/** 激活企业账户: a placeholder until the page is built. */
import type { JSX } from 'solid-js';

export default function ActivatePage(): JSX.Element {
  return (
    <section class="page">
      <h1>激活企业账户</h1>
    </section>
  );
}
