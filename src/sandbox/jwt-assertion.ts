import { createVerify } from 'node:crypto';

/**
 * Checks a JWT-bearer client assertion (RS256) as an OAuth token endpoint would: signature by the key the
 * sandbox handed out, not expired (wall clock), for this audience. Returns the claims or the reason.
 */
export function verifyAssertion(
  jwt: string,
  publicKeyPem: string,
  audience: string,
): { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string } {
  const [header, claims, signature] = jwt.split('.');
  if (!header || !claims || !signature) return { ok: false, reason: 'malformed assertion' };
  const valid = createVerify('RSA-SHA256')
    .update(`${header}.${claims}`)
    .verify(publicKeyPem, Buffer.from(signature, 'base64url'));
  if (!valid) return { ok: false, reason: 'invalid signature' };
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'claims are not JSON' };
  }
  if (typeof parsed.exp !== 'number' || parsed.exp * 1_000 < Date.now())
    return { ok: false, reason: 'assertion expired' };
  if (parsed.aud !== audience)
    return { ok: false, reason: `audience ${String(parsed.aud)} is not ${audience}` };
  return { ok: true, claims: parsed };
}
