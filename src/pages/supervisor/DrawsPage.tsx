/** Placeholder: being built. */
import type { JSX } from 'solid-js';
import { t } from '../../i18n/dict-draws';

export default function DrawsPage(): JSX.Element {
  return (
    <section class="page">
      <h1>{t('draws.title')}</h1>
    </section>
  );
}
