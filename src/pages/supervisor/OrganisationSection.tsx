/**
 * 区划和部门 (supervisors): add a division (county, zone, township, sub-district) or an agency, rename a
 * division, and edit an agency's names, division, city counterpart and filing office. Codes, ids, levels,
 * sectors and kinds are fixed once made (the server refuses to change them). Read fresh from /api/directory.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { t } from '../../i18n/dict-accounts';
import { accountsApi } from '../../client/accounts-api';
import { errorText } from '../../ui/errors';
import { Level, Sector, type Agency } from '../../domain/schemas';

type Msg = { error: boolean; text: string } | null;

function Message(p: { msg: Msg; testid: string }): JSX.Element {
  return (
    <Show when={p.msg}>
      {(m) => (
        <p class={m().error ? 'error' : 'muted small'} role={m().error ? 'alert' : 'status'} data-testid={p.testid}>
          {m().text}
        </p>
      )}
    </Show>
  );
}

export function OrganisationSection(): JSX.Element {
  const [dir, { refetch }] = createResource(() => accountsApi.directory());
  const divisions = () => dir()?.divisions ?? [];
  const agencies = () => dir()?.agencies ?? [];
  const run = async (set: (m: Msg) => void, fn: () => Promise<unknown>) => {
    set(null);
    try {
      await fn();
      set({ error: false, text: t('org.saved') });
      void refetch();
    } catch (err) {
      set({ error: true, text: errorText(err) });
    }
  };

  // ---------- a new division ----------
  const [div, setDiv] = createSignal({ code: '', name: '', nameEn: '', level: 'township' as Level, parent: '' });
  const [divMsg, setDivMsg] = createSignal<Msg>(null);
  const addDivision = (e: Event) => {
    e.preventDefault();
    const d = div();
    void run(setDivMsg, () =>
      accountsApi.createDivision({
        code: d.code.trim(),
        name: d.name.trim(),
        nameEn: d.nameEn.trim(),
        level: d.level,
        ...(d.parent ? { parent: d.parent } : {}),
      }),
    );
  };

  // ---------- renaming a division ----------
  const [ren, setRen] = createSignal({ code: '', name: '', nameEn: '' });
  const [renMsg, setRenMsg] = createSignal<Msg>(null);
  const pickDivision = (code: string) => {
    const d = divisions().find((x) => x.code === code);
    setRen({ code, name: d?.name ?? '', nameEn: d?.nameEn ?? '' });
  };
  const rename = (e: Event) => {
    e.preventDefault();
    const r = ren();
    void run(setRenMsg, () => accountsApi.updateDivision(r.code, { name: r.name.trim() || undefined, nameEn: r.nameEn.trim() || undefined }));
  };

  // ---------- a new agency ----------
  const blank = {
    id: '',
    name: '',
    nameEn: '',
    level: 'township' as Level,
    division: '',
    sector: 'comprehensive' as Sector,
    kind: 'enforcement' as Agency['kind'],
    cityCounterpartId: '',
    filingOfficeId: '',
  };
  const [ag, setAg] = createSignal(blank);
  const [agMsg, setAgMsg] = createSignal<Msg>(null);
  const addAgency = (e: Event) => {
    e.preventDefault();
    const a = ag();
    void run(setAgMsg, () =>
      accountsApi.createAgency({
        id: a.id.trim(),
        name: a.name.trim(),
        nameEn: a.nameEn.trim(),
        level: a.level,
        division: a.division,
        sector: a.kind === 'justice' ? 'justice' : a.sector,
        kind: a.kind,
        ...(a.cityCounterpartId ? { cityCounterpartId: a.cityCounterpartId } : {}),
        ...(a.filingOfficeId ? { filingOfficeId: a.filingOfficeId } : {}),
      }),
    );
  };

  // ---------- editing an agency ----------
  const [ed, setEd] = createSignal({ id: '', name: '', nameEn: '', division: '', cityCounterpartId: '', filingOfficeId: '' });
  const [edMsg, setEdMsg] = createSignal<Msg>(null);
  const pickAgency = (id: string) => {
    const a = agencies().find((x) => x.id === id);
    setEd({
      id,
      name: a?.name ?? '',
      nameEn: a?.nameEn ?? '',
      division: a?.division ?? '',
      cityCounterpartId: a?.cityCounterpartId ?? '',
      filingOfficeId: a?.filingOfficeId ?? '',
    });
  };
  const saveAgency = (e: Event) => {
    e.preventDefault();
    const a = ed();
    void run(setEdMsg, () =>
      accountsApi.updateAgency(a.id, {
        name: a.name.trim() || undefined,
        nameEn: a.nameEn.trim() || undefined,
        division: a.division || undefined,
        cityCounterpartId: a.cityCounterpartId || null,
        filingOfficeId: a.filingOfficeId || null,
      }),
    );
  };

  const cityEnforcement = () => agencies().filter((a) => a.kind === 'enforcement' && a.level === 'city');
  const justice = () => agencies().filter((a) => a.kind === 'justice');
  const divisionOptions = (): JSX.Element => <For each={divisions()}>{(d) => <option value={d.code}>{`${d.name}（${d.code}）`}</option>}</For>;
  const agencyOptions = (list: () => { id: string; name: string }[]): JSX.Element => (
    <For each={list()}>{(a) => <option value={a.id}>{`${a.name}（${a.id}）`}</option>}</For>
  );
  const text = (id: string, label: string, value: () => string, set: (v: string) => void, max = 200) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} maxLength={max} value={value()} onInput={(e) => set(e.currentTarget.value)} data-testid={id} />
    </div>
  );

  return (
    <section class="card" aria-labelledby="org-title" data-testid="org-section">
      <h2 id="org-title" class="section-title">
        {t('org.title')}
      </h2>
      <p class="muted small">{t('org.lead')}</p>
      <Show when={dir.error}>
        <p class="error" role="alert">
          {errorText(dir.error)}
        </p>
      </Show>

      <details>
        <summary>{t('org.addDivision')}</summary>
        <form onSubmit={addDivision} data-testid="org-division-form" novalidate>
          {text(
            'org-div-code',
            t('org.code'),
            () => div().code,
            (v) => setDiv({ ...div(), code: v }),
            9,
          )}
          {text(
            'org-div-name',
            t('org.name'),
            () => div().name,
            (v) => setDiv({ ...div(), name: v }),
          )}
          {text(
            'org-div-name-en',
            t('org.nameEn'),
            () => div().nameEn,
            (v) => setDiv({ ...div(), nameEn: v }),
          )}
          <div class="field">
            <label for="org-div-level">{t('org.level')}</label>
            <select id="org-div-level" value={div().level} onChange={(e) => setDiv({ ...div(), level: e.currentTarget.value as Level })}>
              <For each={Level.options}>{(l) => <option value={l}>{t(`org.level.${l}`)}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="org-div-parent">{t('org.parent')}</label>
            <select id="org-div-parent" value={div().parent} onChange={(e) => setDiv({ ...div(), parent: e.currentTarget.value })}>
              <option value="">{t('org.none')}</option>
              {divisionOptions()}
            </select>
          </div>
          <Message msg={divMsg()} testid="org-division-message" />
          <button type="submit" class="btn btn-primary" data-testid="org-division-submit">
            {t('org.add')}
          </button>
        </form>
      </details>

      <details>
        <summary>{t('org.renameDivision')}</summary>
        <form onSubmit={rename} novalidate>
          <div class="field">
            <label for="org-ren-code">{t('org.division')}</label>
            <select id="org-ren-code" value={ren().code} onChange={(e) => pickDivision(e.currentTarget.value)}>
              <option value="">{t('org.choose')}</option>
              {divisionOptions()}
            </select>
          </div>
          {text(
            'org-ren-name',
            t('org.name'),
            () => ren().name,
            (v) => setRen({ ...ren(), name: v }),
          )}
          {text(
            'org-ren-name-en',
            t('org.nameEn'),
            () => ren().nameEn,
            (v) => setRen({ ...ren(), nameEn: v }),
          )}
          <Message msg={renMsg()} testid="org-rename-message" />
          <button type="submit" class="btn btn-primary" disabled={!ren().code}>
            {t('org.save')}
          </button>
        </form>
      </details>

      <details>
        <summary>{t('org.addAgency')}</summary>
        <form onSubmit={addAgency} data-testid="org-agency-form" novalidate>
          {text(
            'org-ag-id',
            t('org.id'),
            () => ag().id,
            (v) => setAg({ ...ag(), id: v }),
            80,
          )}
          {text(
            'org-ag-name',
            t('org.name'),
            () => ag().name,
            (v) => setAg({ ...ag(), name: v }),
          )}
          {text(
            'org-ag-name-en',
            t('org.nameEn'),
            () => ag().nameEn,
            (v) => setAg({ ...ag(), nameEn: v }),
          )}
          <div class="field">
            <label for="org-ag-kind">{t('org.kind')}</label>
            <select id="org-ag-kind" value={ag().kind} onChange={(e) => setAg({ ...ag(), kind: e.currentTarget.value as Agency['kind'] })}>
              <option value="enforcement">{t('org.kind.enforcement')}</option>
              <option value="justice">{t('org.kind.justice')}</option>
            </select>
          </div>
          <div class="field">
            <label for="org-ag-level">{t('org.level')}</label>
            <select id="org-ag-level" value={ag().level} onChange={(e) => setAg({ ...ag(), level: e.currentTarget.value as Level })}>
              <For each={Level.options}>{(l) => <option value={l}>{t(`org.level.${l}`)}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="org-ag-division">{t('org.division')}</label>
            <select id="org-ag-division" value={ag().division} onChange={(e) => setAg({ ...ag(), division: e.currentTarget.value })}>
              <option value="">{t('org.choose')}</option>
              {divisionOptions()}
            </select>
          </div>
          <Show when={ag().kind === 'enforcement'}>
            <div class="field">
              <label for="org-ag-sector">{t('org.sector')}</label>
              <select id="org-ag-sector" value={ag().sector} onChange={(e) => setAg({ ...ag(), sector: e.currentTarget.value as Sector })}>
                <For each={Sector.options.filter((s) => s !== 'justice')}>{(s) => <option value={s}>{s}</option>}</For>
              </select>
            </div>
            <div class="field">
              <label for="org-ag-counterpart">{t('org.counterpart')}</label>
              <select id="org-ag-counterpart" value={ag().cityCounterpartId} onChange={(e) => setAg({ ...ag(), cityCounterpartId: e.currentTarget.value })}>
                <option value="">{t('org.none')}</option>
                {agencyOptions(cityEnforcement)}
              </select>
            </div>
            <div class="field">
              <label for="org-ag-filing">{t('org.filingOffice')}</label>
              <select id="org-ag-filing" value={ag().filingOfficeId} onChange={(e) => setAg({ ...ag(), filingOfficeId: e.currentTarget.value })}>
                <option value="">{t('org.none')}</option>
                {agencyOptions(justice)}
              </select>
            </div>
          </Show>
          <Message msg={agMsg()} testid="org-agency-message" />
          <button type="submit" class="btn btn-primary" data-testid="org-agency-submit">
            {t('org.add')}
          </button>
        </form>
      </details>

      <details>
        <summary>{t('org.editAgency')}</summary>
        <form onSubmit={saveAgency} novalidate>
          <div class="field">
            <label for="org-ed-id">{t('org.agency')}</label>
            <select id="org-ed-id" value={ed().id} onChange={(e) => pickAgency(e.currentTarget.value)}>
              <option value="">{t('org.choose')}</option>
              {agencyOptions(agencies)}
            </select>
          </div>
          {text(
            'org-ed-name',
            t('org.name'),
            () => ed().name,
            (v) => setEd({ ...ed(), name: v }),
          )}
          {text(
            'org-ed-name-en',
            t('org.nameEn'),
            () => ed().nameEn,
            (v) => setEd({ ...ed(), nameEn: v }),
          )}
          <div class="field">
            <label for="org-ed-division">{t('org.division')}</label>
            <select id="org-ed-division" value={ed().division} onChange={(e) => setEd({ ...ed(), division: e.currentTarget.value })}>
              {divisionOptions()}
            </select>
          </div>
          <div class="field">
            <label for="org-ed-counterpart">{t('org.counterpart')}</label>
            <select id="org-ed-counterpart" value={ed().cityCounterpartId} onChange={(e) => setEd({ ...ed(), cityCounterpartId: e.currentTarget.value })}>
              <option value="">{t('org.none')}</option>
              {agencyOptions(cityEnforcement)}
            </select>
          </div>
          <div class="field">
            <label for="org-ed-filing">{t('org.filingOffice')}</label>
            <select id="org-ed-filing" value={ed().filingOfficeId} onChange={(e) => setEd({ ...ed(), filingOfficeId: e.currentTarget.value })}>
              <option value="">{t('org.none')}</option>
              {agencyOptions(justice)}
            </select>
          </div>
          <Message msg={edMsg()} testid="org-edit-message" />
          <button type="submit" class="btn btn-primary" disabled={!ed().id}>
            {t('org.save')}
          </button>
        </form>
      </details>
    </section>
  );
}
