/**
 * Base43: bytes as characters of QR alphanumeric mode (5.5 bits per character instead of 8 in byte
 * mode), like RFC 9285 base45 but without space and `%`, so the text also stands in a URL fragment
 * as is (a phone camera cuts a URL at a space; `%` would read as percent-encoding).
 *
 * Two bytes n = 256·a + b become three characters c0 c1 c2 with n = c0 + 43·c1 + 43²·c2 (43³ ≥ 2¹⁶);
 * a last odd byte becomes two (43² ≥ 2⁸). Decoding refuses any other length and any group out of range.
 */
export const BASE43 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*+-./:';
const INDEX = new Map([...BASE43].map((c, i) => [c, i]));

export function base43Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i] * 256 + bytes[i + 1];
    for (let k = 0; k < 3; k++) {
      out += BASE43[n % 43];
      n = Math.floor(n / 43);
    }
  }
  if (bytes.length % 2) {
    const n = bytes[bytes.length - 1];
    out += BASE43[n % 43] + BASE43[Math.floor(n / 43)];
  }
  return out;
}

/** The bytes, or null when the text is not base43 (a foreign character, a length of 3k+1, a group out of range). */
export function base43Decode(text: string): Uint8Array | null {
  if (text.length % 3 === 1) return null;
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    const group = text.slice(i, i + 3);
    let n = 0;
    for (let k = group.length - 1; k >= 0; k--) {
      const v = INDEX.get(group[k]);
      if (v === undefined) return null;
      n = n * 43 + v;
    }
    if (group.length === 3) {
      if (n > 0xffff) return null;
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      if (n > 0xff) return null;
      out[o++] = n;
    }
  }
  return out;
}
