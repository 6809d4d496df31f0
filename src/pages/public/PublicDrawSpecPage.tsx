/**
 * Public page /public/draw-spec (no sign-in): the draw algorithm's specification (docs/draw-spec.md), the
 * text anyone needs to re-implement the draw and check a published one. In English, as written: it is a
 * technical specification, and its identifiers and example texts are the same in every language.
 */
import type { JSX } from 'solid-js';
import { A } from '@solidjs/router';
import spec from '../../../docs/draw-spec.md?raw';
import { t } from '../../i18n/dict-draws';
import { PublicLinks } from '../../ui/PublicLinks';
import { paths } from '../routes';
import { markdownToHtml } from './markdown';

const html = markdownToHtml(spec);

export default function PublicDrawSpecPage(): JSX.Element {
  return (
    <section class="page public-draw-spec">
      <PublicLinks />
      <A class="back" href={paths.publicDraws}>
        ← {t('draws.public.back')}
      </A>
      <p class="muted small">{t('draws.spec.lead')}</p>
      <article class="card draw-spec" data-testid="draw-spec" lang="en" innerHTML={html} />
    </section>
  );
}
