/**
 * The platform signing keys (DESIGN §5): ECDSA P-256 keys in `DATA_DIR/keys.json` (mode 0600), made on
 * first start. The newest key signs; `rotate()` adds a new current key and keeps the old ones, so codes
 * already printed stay verifiable by their `kid` (the app caches every public key it is given).
 *
 * keys.json: {"v":1,"current":kid,"keys":[{"kid","createdAt","privateJwk","publicJwk"}]}
 * Written atomically (temp file + rename), so a crash mid-write never leaves a torn key file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { z } from 'zod';
import { ownerOnlyDir, ownerOnlyFile } from '../store/db';
import { nowSeconds, signCode, signCompactEnt, verifyCode, type CodeInspector, type Jwks, type VerifyResult } from '../../src/domain/codes';
import { keyId, PublicEcJwk } from '../../src/domain/record-signing';
import type { Enterprise, Task } from '../../src/domain/schemas';

const PrivateEcJwk = PublicEcJwk.extend({ d: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
const KeyEntry = z.object({
  kid: z.string().min(1),
  createdAt: z.string(),
  privateJwk: PrivateEcJwk,
  publicJwk: PublicEcJwk,
});
type KeyEntry = z.infer<typeof KeyEntry>;
const KeyFile = z.object({ v: z.literal(1), current: z.string(), keys: z.array(KeyEntry).min(1) });
type KeyFile = z.infer<typeof KeyFile>;

export const KEYS_FILE = 'keys.json';

export interface PublicKeyInfo {
  kid: string;
  createdAt: string;
  current: boolean;
}

export interface KeyStore {
  /** kid of the key that signs now */
  readonly currentKid: string;
  /** public keys only, newest first: the body of GET /api/keys */
  jwks(): Jwks;
  list(): PublicKeyInfo[];
  /** add a new current key; older keys keep verifying */
  rotate(): Promise<string>;
  signEnterpriseCode(enterprise: Pick<Enterprise, 'uscc' | 'name' | 'division'>, now?: Date): Promise<string>;
  signCheckCode(task: Pick<Task, 'id' | 'agencyId' | 'uscc' | 'window'>, inspectors: CodeInspector[], now?: Date): Promise<string>;
  /** verify a code text against this store's public keys */
  verify(text: string): Promise<VerifyResult>;
}

async function newEntry(now: Date): Promise<KeyEntry> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const priv = await exportJWK(privateKey);
  const pub = await exportJWK(publicKey);
  const publicJwk = PublicEcJwk.parse({ kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y });
  const privateJwk = PrivateEcJwk.parse({ ...publicJwk, d: priv.d });
  return { kid: await keyId(publicJwk), createdAt: now.toISOString(), privateJwk, publicJwk };
}

function writeAtomic(file: string, data: KeyFile): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(data, null, 2) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/**
 * Open the key store in `dataDir`, creating the directory, the file and the first key if needed.
 * A file that exists but does not parse is an error (never silently replaced: printed codes depend on it).
 */
export async function openKeyStore(dataDir: string, opts: { now?: () => Date } = {}): Promise<KeyStore> {
  const now = opts.now ?? (() => new Date());
  ownerOnlyDir(dataDir);
  const file = path.join(dataDir, KEYS_FILE);
  ownerOnlyFile(file);
  let data: KeyFile;
  if (fs.existsSync(file)) {
    const parsed = KeyFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file} is not a valid key file: ${parsed.error.message}`);
    data = parsed.data;
    if (!data.keys.some((k) => k.kid === data.current)) throw new Error(`${file}: current key ${data.current} is missing`);
    const mode = fs.statSync(file).mode & 0o777;
    if (mode !== 0o600) fs.chmodSync(file, 0o600);
  } else {
    const first = await newEntry(now());
    data = { v: 1, current: first.kid, keys: [first] };
    writeAtomic(file, data);
  }

  const signers = new Map<string, Promise<CryptoKey | Uint8Array>>();
  const signer = (e: KeyEntry) => {
    let p = signers.get(e.kid);
    if (!p) {
      p = importJWK(e.privateJwk, 'ES256');
      signers.set(e.kid, p);
    }
    return p;
  };
  const current = (): KeyEntry => data.keys.find((k) => k.kid === data.current)!;
  let jwksCache: Jwks | null = null;

  const jwks = (): Jwks => {
    if (!jwksCache) {
      const newestFirst = [...data.keys].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
      jwksCache = { keys: newestFirst.map((k): JWK => ({ ...k.publicJwk, kid: k.kid, alg: 'ES256', use: 'sig' })) };
    }
    return jwksCache;
  };

  const sign = async (payload: Parameters<typeof signCode>[0]) => {
    const e = current();
    return signCode(payload, (await signer(e)) as CryptoKey, e.kid);
  };

  return {
    get currentKid() {
      return data.current;
    },
    jwks,
    list: () => data.keys.map((k) => ({ kid: k.kid, createdAt: k.createdAt, current: k.kid === data.current })),
    async rotate() {
      const e = await newEntry(now());
      data = { ...data, current: e.kid, keys: [...data.keys, e] };
      writeAtomic(file, data);
      jwksCache = null;
      return e.kid;
    },
    // the compact form (EC1): a smaller QR for the printed poster; JWS codes already printed still verify
    signEnterpriseCode: async (ent, at = now()) => {
      const e = current();
      return signCompactEnt({ t: 'ent', uscc: ent.uscc, name: ent.name, division: ent.division, iat: nowSeconds(at) }, (await signer(e)) as CryptoKey, e.kid);
    },
    signCheckCode: (task, inspectors, at = now()) =>
      sign({
        t: 'chk',
        taskId: task.id,
        agencyId: task.agencyId,
        uscc: task.uscc,
        inspectors: inspectors.map(({ id, name, cert }) => ({ id, name, cert })),
        window: { from: task.window.from, to: task.window.to },
        iat: nowSeconds(at),
      }),
    verify: (text) => verifyCode(text, jwks()),
  };
}
