/** The public pages (no sign-in) as one row of links: plans, catalogues, inspecting bodies, handbooks. */
import { For, type JSX } from 'solid-js';
import { A } from '@solidjs/router';
import { t } from '../i18n/dict-catalogue';
import { paths } from '../pages/routes';

const LINKS: { href: string; label: Parameters<typeof t>[0]; testid: string }[] = [
  { href: paths.publicPlans, label: 'publinks.plans', testid: 'publink-plans' },
  { href: paths.publicCatalogue, label: 'publinks.catalogue', testid: 'publink-catalogue' },
  { href: paths.publicBodies, label: 'publinks.bodies', testid: 'publink-bodies' },
  { href: paths.publicHandbooks, label: 'publinks.handbooks', testid: 'publink-handbooks' },
  { href: paths.publicDraws, label: 'publinks.draws', testid: 'publink-draws' },
];

export function PublicLinks(): JSX.Element {
  return (
    <nav class="admin-nav" aria-label={t('publinks.label')} data-testid="public-links">
      <For each={LINKS}>
        {(l) => (
          <A href={l.href} end class="admin-nav-link" activeClass="active" data-testid={l.testid}>
            {t(l.label)}
          </A>
        )}
      </For>
    </nav>
  );
}
