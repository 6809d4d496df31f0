/** The public directory (divisions, agencies) from /api/directory, cached in localStorage for offline use. */
import { createResource, type Resource } from 'solid-js';
import { api } from '../../client/api';
import { Directory } from '../../protocol/directory';
import { nameOf } from '../../i18n';

const KEY = 'eicp.cache.directory';

async function load(): Promise<Directory | null> {
  let cached: Directory | null = null;
  try {
    const raw = localStorage.getItem(KEY);
    if (raw) {
      const r = Directory.safeParse(JSON.parse(raw));
      if (r.success) cached = r.data;
    }
  } catch {
    /* ignore */
  }
  try {
    const d = await api.directory();
    try {
      localStorage.setItem(KEY, JSON.stringify(d));
    } catch {
      /* quota */
    }
    return d;
  } catch {
    return cached;
  }
}

let shared: Resource<Directory | null> | null = null;

export interface DirectorySlice {
  data: Resource<Directory | null>;
  agencyName(id: string | undefined): string;
  divisionName(code: string): string;
}

/** one directory for the app (loaded once per page load) */
export function useDirectory(): DirectorySlice {
  if (!shared) {
    // created outside any component owner on purpose: it lives as long as the page
    const [r] = createResource(load);
    shared = r;
  }
  const data = shared;
  return {
    data,
    agencyName: (id) => {
      if (!id) return '';
      const a = data()?.agencies.find((x) => x.id === id);
      return a ? nameOf(a) : id;
    },
    divisionName: (code) => {
      const d = data()?.divisions.find((x) => x.code === code);
      return d ? nameOf({ name: d.name, nameEn: d.nameEn }) : code;
    },
  };
}
