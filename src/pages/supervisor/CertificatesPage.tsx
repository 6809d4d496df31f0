/** 执法证件: a placeholder until the page is built. */
import type { JSX } from 'solid-js';
import { AdminNav } from '../../ui/AdminNav';

export default function CertificatesPage(): JSX.Element {
  return (
    <section class="page">
      <AdminNav />
      <h1>执法证件</h1>
    </section>
  );
}
