// The statements on api_key: the lookup that authenticates a request, the last-use bookkeeping,
// and what issuing, listing and revoking keys read and write. Secrets never leave the database
// layer except as the hash the lookup compares.
import type { ApiScope, SqlExecutor } from '@pakt/db';

/** An API key as shown in lists: never the hash, never the secret. */
const KEY_COLUMNS = `k.id, k.prefix, k.name, k.provider_id, p.slug AS provider_slug, k.scopes::text[] AS scopes, k.acts_for_members, k.created_at, k.last_used_at, k.revoked_at`;

/** An api_key row joined with its provider's slug, as listed. */
export interface KeyRow {
  id: string;
  prefix: string;
  name: string;
  provider_id: string;
  provider_slug: string;
  scopes: ApiScope[];
  acts_for_members: boolean;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** What authenticating a request needs of a key: its hash, state and reach. */
export interface CredentialRow {
  id: string;
  provider_id: string;
  hash: string;
  scopes: ApiScope[] | string | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  acts_for_members: boolean;
  /** The umbrella's member providers when the key acts for members. */
  members: string[] | null;
}

/** The key with this prefix, for authentication; undefined when there is none. */
export async function selectCredential(sql: SqlExecutor, prefix: string): Promise<CredentialRow | undefined> {
  const [row] = await sql.query<CredentialRow>(
    `SELECT k.id, k.provider_id, k.hash, k.scopes::text[] AS scopes, k.revoked_at, k.last_used_at, k.acts_for_members,
            ARRAY(SELECT m.id::text FROM provider m WHERE k.acts_for_members AND m.umbrella_id = k.provider_id) AS members
       FROM api_key k WHERE k.prefix = $1`,
    [prefix],
  );
  return row;
}

/** Records a key's use, unless it was recorded less than `resolutionSeconds` ago (concurrent requests write once). */
export async function touchLastUsed(sql: SqlExecutor, id: string, resolutionSeconds: number): Promise<void> {
  await sql.query(`UPDATE api_key SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= now() - make_interval(secs => $2))`, [
    id,
    resolutionSeconds,
  ]);
}

export interface NewKeyRow {
  providerId: string;
  prefix: string;
  hash: string;
  name: string;
  scopes: readonly ApiScope[];
  actsForMembers: boolean;
}

export async function insertApiKey(sql: SqlExecutor, key: NewKeyRow): Promise<KeyRow> {
  const [row] = await sql.query<KeyRow>(
    `WITH k AS (
       INSERT INTO api_key (id, provider_id, prefix, hash, name, scopes, acts_for_members)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::text[]::"ApiScope"[], $6)
       RETURNING *)
     SELECT ${KEY_COLUMNS} FROM k JOIN provider p ON p.id = k.provider_id`,
    [key.providerId, key.prefix, key.hash, key.name, key.scopes, key.actsForMembers],
  );
  if (!row) throw new Error('api_key insert returned nothing');
  return row;
}

export async function selectApiKeyById(sql: SqlExecutor, id: string): Promise<KeyRow | undefined> {
  const [row] = await sql.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_key k JOIN provider p ON p.id = k.provider_id WHERE k.id = $1`, [id]);
  return row;
}

/** The keys of these providers (null: of all), newest first. */
export function selectApiKeys(sql: SqlExecutor, providerIds: readonly string[] | null): Promise<KeyRow[]> {
  return sql.query<KeyRow>(
    `SELECT ${KEY_COLUMNS} FROM api_key k JOIN provider p ON p.id = k.provider_id
      WHERE $1::uuid[] IS NULL OR k.provider_id = ANY($1::uuid[])
      ORDER BY k.created_at DESC, k.prefix`,
    [providerIds],
  );
}

/** The key with this prefix, locked until the transaction ends (revocation). */
export async function lockApiKeyByPrefix(sql: SqlExecutor, prefix: string): Promise<KeyRow | undefined> {
  const [row] = await sql.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_key k JOIN provider p ON p.id = k.provider_id WHERE k.prefix = $1 FOR UPDATE OF k`, [
    prefix,
  ]);
  return row;
}

export async function markApiKeyRevoked(sql: SqlExecutor, id: string): Promise<KeyRow> {
  const [row] = await sql.query<KeyRow>(
    `WITH k AS (UPDATE api_key SET revoked_at = now() WHERE id = $1 RETURNING *)
     SELECT ${KEY_COLUMNS} FROM k JOIN provider p ON p.id = k.provider_id`,
    [id],
  );
  if (!row) throw new Error('api_key update returned nothing');
  return row;
}

/** Prefix by key id, for the keys with these ids (the audit log names keys by prefix). */
export async function selectKeyPrefixes(sql: SqlExecutor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql.query<{ id: string; prefix: string }>(`SELECT id, prefix FROM api_key WHERE id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((row) => [row.id, row.prefix]));
}
