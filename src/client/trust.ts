/**
 * What the device needs to trust and be trusted offline:
 * - the platform's public keys (JWKS from GET /api/keys), cached in localStorage and merged by `kid`
 *   (rotation keeps old keys verifiable), so enterprise codes verify with no network;
 * - this user's device key (ECDSA P-256): made once per user, the private key a non-extractable
 *   CryptoKey kept in IndexedDB (structured clone), the public key registered with POST /api/devices
 *   when online. Records are signed with its kid even before registration succeeds.
 */
import type { JWK } from 'jose';
import type { Jwks } from '../domain/codes';
import { generateDeviceKey, type DeviceKey } from '../domain/record-signing';
import { api } from './api';

const JWKS_KEY = 'eicp.jwks';

export function cachedJwks(): Jwks {
  try {
    const raw = localStorage.getItem(JWKS_KEY);
    const v = raw ? (JSON.parse(raw) as Jwks) : null;
    return v && Array.isArray(v.keys) ? v : { keys: [] };
  } catch {
    return { keys: [] };
  }
}

/** Fetch /api/keys and merge into the cache (old kids kept). Offline: the cache as it is. */
export async function refreshJwks(): Promise<Jwks> {
  try {
    const fresh = await api.keys();
    const cur = cachedJwks();
    const byKid = new Map<string, JWK>();
    for (const k of [...cur.keys, ...(fresh.keys as JWK[])]) if (k.kid) byKid.set(k.kid, k);
    const merged = { keys: [...byKid.values()] };
    try {
      localStorage.setItem(JWKS_KEY, JSON.stringify(merged));
    } catch {
      /* quota */
    }
    return merged;
  } catch {
    return cachedJwks();
  }
}

// ---------- device key in IndexedDB ----------
const DB = 'eicp-device';
const STORE = 'keys';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

interface StoredKey extends DeviceKey {
  registered: boolean;
}

async function idb<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result as T);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

const inflight = new Map<string, Promise<DeviceKey>>();

/** This user's device key (made on first use), registered with the server when signed in and online. */
export function deviceKey(userId: string): Promise<DeviceKey> {
  let p = inflight.get(userId);
  if (!p) {
    p = (async () => {
      let k = await idb<StoredKey | undefined>('readonly', (s) => s.get(userId));
      if (!k) {
        const g = await generateDeviceKey();
        k = { ...g, registered: false };
        await idb('readwrite', (s) => s.put(k, userId));
      }
      if (!k.registered) {
        try {
          await api.registerDevice(k.publicJwk);
          k = { ...k, registered: true };
          await idb('readwrite', (s) => s.put(k, userId));
        } catch {
          /* offline, signed out, or not yet available: sign with the kid anyway, register next time */
        }
      }
      return k;
    })();
    p.catch(() => inflight.delete(userId));
    inflight.set(userId, p);
    void p.then((k) => {
      if (!(k as StoredKey).registered) inflight.delete(userId);
    });
  }
  return p;
}

/** A short device label for the entry record: browser and key id prefix. */
export function deviceLabel(k: DeviceKey): string {
  const ua = typeof navigator !== 'undefined' ? navigator.userAgent : '';
  const kind = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : 'browser';
  return `${kind}:${k.kid.slice(0, 16)}`;
}
