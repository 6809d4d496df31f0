/**
 * The administration sections a supervisor (the platform's administrator) or an agency admin may open,
 * as one row of links shown on their home and on every administration page. Other roles see nothing.
 */
import { For, Show, type JSX } from 'solid-js';
import { A } from '@solidjs/router';
import { t } from '../i18n/dict-audit';
import { principal } from '../client/session-state';
import { paths } from '../pages/routes';
import type { Role } from '../domain/schemas';

const SECTIONS: Partial<Record<Role, { href: string; label: Parameters<typeof t>[0]; testid: string }[]>> = {
  supervisor: [
    { href: paths.supervisor, label: 'adminNav.home', testid: 'nav-home' },
    { href: paths.adminAccounts, label: 'adminNav.accounts', testid: 'nav-accounts' },
    { href: paths.adminEnterprises, label: 'adminNav.enterprises', testid: 'nav-enterprises' },
    { href: paths.adminCertificates, label: 'adminNav.certificates', testid: 'nav-certificates' },
    { href: paths.adminPolicy, label: 'adminNav.policy', testid: 'nav-policy' },
    { href: paths.supervisorDraws, label: 'adminNav.draws', testid: 'nav-draws' },
    { href: paths.stats, label: 'adminNav.stats', testid: 'nav-stats' },
    { href: paths.enterpriseFiles, label: 'adminNav.files', testid: 'nav-files' },
    { href: paths.audit, label: 'adminNav.audit', testid: 'nav-audit' },
  ],
  agency: [
    { href: paths.agency, label: 'adminNav.home', testid: 'nav-home' },
    { href: paths.agencyStaff, label: 'adminNav.staff', testid: 'nav-staff' },
    { href: paths.agencyCatalogue, label: 'adminNav.catalogue', testid: 'nav-catalogue' },
    { href: paths.agencyDraws, label: 'adminNav.draws', testid: 'nav-draws' },
    { href: paths.stats, label: 'adminNav.stats', testid: 'nav-stats' },
    { href: paths.audit, label: 'adminNav.audit', testid: 'nav-audit' },
  ],
};

export function AdminNav(): JSX.Element {
  const sections = () => SECTIONS[principal()?.role ?? 'enterprise'] ?? [];
  return (
    <Show when={sections().length}>
      <nav class="admin-nav" aria-label={t('adminNav.label')} data-testid="admin-nav">
        <For each={sections()}>
          {(s) => (
            <A href={s.href} end class="admin-nav-link" activeClass="active" data-testid={s.testid}>
              {t(s.label)}
            </A>
          )}
        </For>
      </nav>
    </Show>
  );
}
