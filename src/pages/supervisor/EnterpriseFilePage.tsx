/**
 * 一企一档 (supervisors): find an enterprise by name or USCC, then its whole file, every agency's inspections
 * of it with results, acknowledgements, disputes, ratings, complaints and warnings on one time line
 * (GET /api/stats/enterprise/:uscc; file/ has the search, the view and the pure grouping).
 */
import { A, useParams } from '@solidjs/router';
import { createResource, Show, type JSX } from 'solid-js';
import { AdminNav } from '../../ui/AdminNav';
import { errorText } from '../../ui/errors';
import { t } from '../../i18n/dict-file';
import { statsApi } from '../../client/stats-api';
import { paths } from '../routes';
import { FileSearch } from './file/FileSearch';
import { FileView } from './file/FileView';
import './file/file.css';

export default function EnterpriseFilePage(): JSX.Element {
  const params = useParams<{ uscc?: string }>();
  const [file] = createResource(
    () => params.uscc,
    (uscc) => statsApi.enterpriseFile(uscc),
  );
  return (
    <main class="page">
      <AdminNav />
      <h1>{t('file.title')}</h1>
      <p class="muted">{t('file.lead')}</p>
      <FileSearch current={params.uscc} />
      <Show when={params.uscc}>
        <Show when={file.error}>
          <p class="error" role="alert" data-testid="file-error">
            {errorText(file.error)}
          </p>
          <p>
            <A href={paths.enterpriseFiles}>{t('file.back')}</A>
          </p>
        </Show>
        <Show when={file.loading && !file.latest}>
          <p class="muted" aria-live="polite">
            {t('file.loading')}
          </p>
        </Show>
        <Show when={!file.error && file.latest}>{(f) => <FileView file={f()} />}</Show>
      </Show>
    </main>
  );
}
