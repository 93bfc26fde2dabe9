// syncContacts: a partner pushes its contacts (offices of integration management, counselling, …)
// like its offers: identified by externalId, valid items written and invalid ones FAILED, all in
// one transaction; identical content is UNCHANGED; FULL mode deletes the provider's contacts that
// were not sent. Contacts are not part of the offer feed (change_log); the audit log records the
// batch.
import { randomUUID } from 'node:crypto';
import type { Database, SqlExecutor } from '@pakt/db';
import type { Actor } from '../auth/actor.js';
import { appendAudit, auditBy } from '../sql/audit-log.js';
import { authorize, requireActingFor } from '../auth/authorize.js';
import {
  type ContactInput,
  type NormalisedContact,
  contactHash,
  normaliseContact,
  parseContactInput,
  MAX_CONTACT_EXTERNAL_ID_LENGTH,
} from './contact-input.js';
import { type UserError, WriteError } from './errors.js';
import { findProvider } from './provider.js';
import { loadAreaCatalog, resolveArea } from './service-area.js';
import { lockProvider, recordset, withRows } from './sql.js';
import type { ItemStatus } from './offer-writer/types.js';
import { textProblem } from './text.js';

/** Largest batch syncContacts accepts (a district's contacts fit many times over). */
export const MAX_CONTACT_BATCH = 1_000;

export type ContactSyncMode = 'UPSERT' | 'FULL';

export interface SyncContactsInput {
  /** @default the API key's own provider */
  providerSlug?: string | undefined;
  contacts: readonly ContactInput[];
  /** UPSERT (default) writes what is sent; FULL also deletes the provider's contacts not sent (unless an item FAILED). */
  mode?: ContactSyncMode | undefined;
  /** Validate and report, without writing. @default false */
  dryRun?: boolean | undefined;
}

export interface ContactItemResult {
  /** Position in the input; null for contacts FULL mode deleted. */
  index: number | null;
  externalId: string | null;
  id: string | null;
  status: ItemStatus;
  version: number | null;
  userErrors: UserError[];
}

export interface SyncContactsResult {
  mode: ContactSyncMode;
  dryRun: boolean;
  results: ContactItemResult[];
  /** FULL mode: true when nothing was deleted because an item failed. */
  deletionsSkipped: boolean;
  /** Ids of the contacts written or deleted (for cache invalidation); empty in dry runs. */
  changedIds: string[];
}

interface Item {
  index: number;
  base: string;
  externalId: string | null;
  errors: UserError[];
  normalised: NormalisedContact | null;
  hash: string | null;
  municipalities: string[];
}

interface Stored {
  id: string;
  external_id: string;
  version: number;
  content_hash: string | null;
  deleted: boolean;
}

/**
 * Creates, updates and (FULL mode) soft-deletes a provider's contacts by externalId. Throws
 * WriteError (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BATCH_TOO_LARGE, VALIDATION_FAILED) before
 * writing anything; item problems are FAILED results with userErrors.
 */
export async function syncContacts(db: Database, actor: Actor | null | undefined, input: SyncContactsInput): Promise<SyncContactsResult> {
  const caller = authorize(actor, 'OFFERS_WRITE');
  const mode = input.mode ?? 'UPSERT';
  if (mode !== 'UPSERT' && mode !== 'FULL') throw new WriteError('VALIDATION_FAILED', 'mode must be UPSERT or FULL.', { field: 'mode' });
  if (!Array.isArray(input.contacts)) throw new WriteError('VALIDATION_FAILED', 'contacts must be a list.', { field: 'contacts' });
  if (input.contacts.length > MAX_CONTACT_BATCH) {
    throw new WriteError(
      'BATCH_TOO_LARGE',
      `A sync takes at most ${MAX_CONTACT_BATCH} contacts; this one has ${input.contacts.length}. Split it into several batches.`,
      {
        field: 'contacts',
        data: { maxBatchSize: MAX_CONTACT_BATCH, batchSize: input.contacts.length },
      },
    );
  }
  const dryRun = input.dryRun ?? false;
  const provider = await findProvider(db.sql, input.providerSlug, caller);
  requireActingFor(caller, provider.id);

  return db.transaction(async (sql) => {
    if (!dryRun) await lockProvider(sql, provider.id);
    const items = await prepare(sql, input.contacts);
    const externalIds = [...new Set(items.flatMap((item) => (item.externalId === null ? [] : [item.externalId])))];
    const stored = await loadStored(sql, provider.id, externalIds, !dryRun);
    const results: ContactItemResult[] = [];
    const creates: { item: Item; id: string }[] = [];
    const updates: { item: Item; stored: Stored }[] = [];
    for (const item of items) {
      const existing = item.externalId === null ? undefined : stored.get(item.externalId);
      if (item.errors.length > 0 || !item.normalised) {
        results.push({
          index: item.index,
          externalId: item.externalId,
          id: existing?.id ?? null,
          status: 'FAILED',
          version: existing?.version ?? null,
          userErrors: item.errors,
        });
      } else if (!existing) {
        const id = randomUUID();
        creates.push({ item, id });
        results.push({ index: item.index, externalId: item.externalId, id: dryRun ? null : id, status: 'CREATED', version: 1, userErrors: [] });
      } else if (!existing.deleted && existing.content_hash === item.hash) {
        results.push({ index: item.index, externalId: item.externalId, id: existing.id, status: 'UNCHANGED', version: existing.version, userErrors: [] });
      } else {
        updates.push({ item, stored: existing });
        results.push({ index: item.index, externalId: item.externalId, id: existing.id, status: 'UPDATED', version: existing.version + 1, userErrors: [] });
      }
    }
    const anyFailed = results.some((r) => r.status === 'FAILED');
    const deletionsSkipped = mode === 'FULL' && anyFailed;
    const changedIds: string[] = [];

    if (mode === 'FULL' && !anyFailed) {
      const doomed = await sql.query<{ id: string; external_id: string; version: number }>(
        dryRun
          ? `SELECT id, external_id, version + 1 AS version FROM contact WHERE provider_id = $1 AND deleted_at IS NULL AND NOT (external_id = ANY($2::text[])) ORDER BY external_id`
          : `WITH d AS (UPDATE contact SET deleted_at = now(), updated_at = now(), version = version + 1
                         WHERE provider_id = $1 AND deleted_at IS NULL AND NOT (external_id = ANY($2::text[]))
                         RETURNING id, external_id, version)
             SELECT * FROM d ORDER BY external_id`,
        [provider.id, externalIds],
      );
      for (const row of doomed) {
        results.push({ index: null, externalId: row.external_id, id: row.id, status: 'DELETED', version: row.version, userErrors: [] });
        changedIds.push(row.id);
      }
    }
    if (dryRun) return { mode, dryRun, results, deletionsSkipped, changedIds: [] };

    await apply(sql, provider.id, creates, updates);
    changedIds.push(...creates.map((c) => c.id), ...updates.map((u) => u.stored.id));
    const summary: Record<string, number> = {};
    for (const r of results) summary[r.status.toLowerCase()] = (summary[r.status.toLowerCase()] ?? 0) + 1;
    await appendAudit(sql, {
      ...auditBy(caller),
      action: 'syncContacts',
      entity: 'Provider',
      entityId: provider.id,
      details: {
        mode,
        items: input.contacts.length,
        ...summary,
        deletionsSkipped,
        ...(provider.id !== caller.providerId ? { targetProviderId: provider.id } : {}),
      },
    });
    return { mode, dryRun, results, deletionsSkipped, changedIds };
  });
}

/** An externalId read from an input that may have failed, if it is usable as one. */
function rawExternalId(raw: unknown): string | null {
  const value = raw && typeof raw === 'object' ? (raw as { externalId?: unknown }).externalId : undefined;
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CONTACT_EXTERNAL_ID_LENGTH && textProblem(value, 'identifier') === null
    ? value
    : null;
}

/** Shape, duplicates within the batch, references (languages, municipalities, districts): two queries for the batch. */
async function prepare(sql: SqlExecutor, raws: readonly unknown[]): Promise<Item[]> {
  const now = Date.now();
  const parsed = raws.map((raw, index) => {
    const base = `contacts[${index}]`;
    const result = parseContactInput(raw, base, now);
    return { index, base, raw, result };
  });
  const items: Item[] = parsed.map(({ index, base, raw, result }) => ({
    index,
    base,
    externalId: result.contact?.externalId ?? rawExternalId(raw),
    errors: [...result.errors],
    normalised: result.contact ? normaliseContact(result.contact) : null,
    hash: null,
    municipalities: [],
  }));

  const byExternalId = new Map<string, Item[]>();
  for (const item of items) if (item.externalId !== null) byExternalId.set(item.externalId, [...(byExternalId.get(item.externalId) ?? []), item]);
  for (const [externalId, group] of byExternalId) {
    if (group.length < 2) continue;
    for (const item of group) {
      item.errors.push({
        field: `${item.base}.externalId`,
        code: 'DUPLICATE_EXTERNAL_ID',
        message: `externalId "${externalId}" is also used at index ${group
          .filter((o) => o !== item)
          .map((o) => o.index)
          .join(', ')} of this batch; none of them is applied.`,
      });
    }
  }

  const valid = items.filter((item) => item.normalised);
  const codes = valid.flatMap((item) => item.normalised!.languages);
  const languages = codes.length
    ? new Set((await sql.query<{ code: string }>(`SELECT code FROM language WHERE code = ANY($1::text[])`, [[...new Set(codes)]])).map((r) => r.code))
    : new Set<string>();
  const areas = await loadAreaCatalog(
    sql,
    valid.flatMap((item) => item.normalised!.serviceAreaAgs),
  );
  for (const item of valid) {
    const contact = item.normalised!;
    const raw = parsed[item.index]!.result.contact!;
    raw.languages.forEach((code, j) => {
      if (!languages.has(code))
        item.errors.push({ field: `${item.base}.languages[${j}]`, code: 'UNKNOWN_LANGUAGE', message: `Unknown language code "${code}".` });
    });
    const area = resolveArea(raw.serviceAreaAgs, areas, `${item.base}.serviceAreaAgs`);
    item.errors.push(...area.errors);
    item.municipalities = area.municipalities;
    if (item.errors.length > 0) item.normalised = null;
    else item.hash = contactHash(contact);
  }
  return items;
}

async function loadStored(sql: SqlExecutor, providerId: string, externalIds: readonly string[], lock: boolean): Promise<Map<string, Stored>> {
  if (externalIds.length === 0) return new Map();
  const rows = await sql.query<Stored>(
    `SELECT id, external_id, version, content_hash, deleted_at IS NOT NULL AS deleted FROM contact
      WHERE provider_id = $1 AND external_id = ANY($2::text[]) ${lock ? 'FOR UPDATE' : ''}`,
    [providerId, [...externalIds]],
  );
  return new Map(rows.map((row) => [row.external_id, row]));
}

const CONTACT_COLUMNS = {
  id: 'uuid',
  external_id: 'text',
  role: 'text',
  office_name: 'text',
  phone: 'text',
  email: 'text',
  website: 'text',
  street: 'text',
  postal_code: 'text',
  city: 'text',
  latitude: 'float8',
  longitude: 'float8',
  note: 'text',
  opening_hours: 'jsonb',
  verified_at: 'timestamptz',
  content_hash: 'text',
  expected_version: 'int',
};

function contactRow(id: string, item: Item, expectedVersion: number | null) {
  const c = item.normalised!;
  return {
    id,
    external_id: c.externalId,
    role: c.role,
    office_name: c.officeName,
    phone: c.phone,
    email: c.email,
    website: c.website,
    street: c.street,
    postal_code: c.postalCode,
    city: c.city,
    latitude: c.latitude,
    longitude: c.longitude,
    note: c.note,
    opening_hours: c.openingHours,
    verified_at: c.verifiedAt,
    content_hash: item.hash,
    expected_version: expectedVersion,
  };
}

/** One statement per table: contacts, then their languages and service areas (replaced for updates). */
async function apply(sql: SqlExecutor, providerId: string, creates: { item: Item; id: string }[], updates: { item: Item; stored: Stored }[]): Promise<void> {
  await withRows(
    sql,
    `INSERT INTO contact (id, provider_id, external_id, role, office_name, phone, email, website, street, postal_code, city, latitude, longitude,
                          note, opening_hours, verified_at, content_hash, updated_at)
     SELECT x.id, $2::uuid, x.external_id, x.role::"ContactRole", x.office_name, x.phone, x.email, x.website, x.street, x.postal_code, x.city,
            x.latitude, x.longitude, x.note, x.opening_hours, x.verified_at, x.content_hash, now()
       FROM ${recordset(1, CONTACT_COLUMNS)}`,
    creates.map(({ item, id }) => contactRow(id, item, null)),
    [providerId],
  );
  const updated = await withRows<{ id: string }>(
    sql,
    `UPDATE contact c SET role = x.role::"ContactRole", office_name = x.office_name, phone = x.phone, email = x.email, website = x.website,
            street = x.street, postal_code = x.postal_code, city = x.city, latitude = x.latitude, longitude = x.longitude, note = x.note,
            opening_hours = x.opening_hours, verified_at = x.verified_at, content_hash = x.content_hash, version = c.version + 1,
            deleted_at = NULL, updated_at = now()
       FROM ${recordset(1, CONTACT_COLUMNS)}
      WHERE c.id = x.id AND c.version = x.expected_version
      RETURNING c.id`,
    updates.map(({ item, stored }) => contactRow(stored.id, item, stored.version)),
  );
  if (updated.length !== updates.length) throw new Error('Concurrent modification of contacts; the batch was rolled back.');
  const updatedIds = updates.map((u) => u.stored.id);
  if (updatedIds.length > 0) {
    await sql.query(
      `WITH l AS (DELETE FROM contact_language WHERE contact_id = ANY($1::uuid[])) DELETE FROM contact_service_area WHERE contact_id = ANY($1::uuid[])`,
      [updatedIds],
    );
  }
  const written = [...creates.map((c) => ({ id: c.id, item: c.item })), ...updates.map((u) => ({ id: u.stored.id, item: u.item }))];
  await withRows(
    sql,
    `INSERT INTO contact_language (contact_id, language_code) SELECT x.contact_id, x.language_code FROM ${recordset(1, { contact_id: 'uuid', language_code: 'text' })}`,
    written.flatMap(({ id, item }) => item.normalised!.languages.map((code) => ({ contact_id: id, language_code: code }))),
  );
  await withRows(
    sql,
    `INSERT INTO contact_service_area (contact_id, municipality_ags) SELECT x.contact_id, x.municipality_ags FROM ${recordset(1, { contact_id: 'uuid', municipality_ags: 'text' })}`,
    written.flatMap(({ id, item }) => item.municipalities.map((ags) => ({ contact_id: id, municipality_ags: ags }))),
  );
}
