/** placeholder: being built */
import type { JSX } from 'solid-js';
import { AdminNav } from '../../ui/AdminNav';

export default function ReportPage(): JSX.Element {
  return (
    <main class="page">
      <AdminNav />
    </main>
  );
}
