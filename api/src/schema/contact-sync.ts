// syncContacts: partners push their contacts like their offers (by externalId, idempotent).
import { queryFromInfo } from '@pothos/plugin-prisma';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import { builder } from '../builder.js';
import { databaseOf, type Context } from '../context.js';
import { currentRequest } from '../observability/request-context.js';
import type { ContactInput as DomainContactInput } from '../writes/contact-input.js';
import { MAX_CONTACT_BATCH, syncContacts, type ContactItemResult, type SyncContactsResult } from '../writes/contacts.js';
import { MAX_SERVICE_AREA_ENTRIES } from '../writes/service-area.js';
import { Contact, ContactRole } from './contact.js';
import { OpeningHoursInput } from './opening-hours.js';
import { SyncMode, SyncStatus } from './sync.js';
import { UserError, toUserErrors } from './user-error.js';
import { runWrite } from './write-errors.js';
import { selectsPath } from './write-results.js';

const ContactInput = builder.inputType('ContactInput', {
  description:
    'A contact as the provider describes it, identified by its `externalId`: an office or service, never a named person. The input is the complete contact: lists replace what is stored.',
  fields: (t) => ({
    externalId: t.string({ required: true, description: "The provider's own key for the contact, unique per provider, 1 to 200 characters." }),
    role: t.field({ type: ContactRole, required: true, description: 'What the contact does.' }),
    officeName: t.string({
      required: true,
      description: 'Name of the office or service, 1 to 200 characters, e.g. "Integrationsmanagement Gemeinde Aichwald".',
    }),
    phone: t.string({ description: 'Phone number, at most 60 characters.' }),
    email: t.string({ description: 'E-mail address.' }),
    website: t.string({ description: 'Web page (http or https URL).' }),
    street: t.string({ description: 'Street and number of the office, at most 200 characters.' }),
    postalCode: t.string({ description: 'Postal code (PLZ), at most 10 characters.' }),
    city: t.string({ description: 'Town of the office, at most 200 characters.' }),
    latitude: t.float({ description: 'Latitude of the office (WGS84), -90 to 90.' }),
    longitude: t.float({ description: 'Longitude of the office (WGS84), -180 to 180.' }),
    note: t.string({ description: 'Further notes, in German, at most 2000 characters.' }),
    openingHours: t.field({ type: OpeningHoursInput, description: 'When the office can be reached.' }),
    languages: t.stringList({ description: 'Codes of the languages spoken at the office (see `languages`), at most 60.' }),
    serviceAreaAgs: t.stringList({
      required: true,
      description: `The municipalities the contact is responsible for: eight-digit AGS, or five-digit district keys for all municipalities of a district; 1 to ${MAX_SERVICE_AREA_ENTRIES} entries.`,
    }),
    verifiedAt: t.field({ type: 'DateTime', description: 'When the provider last confirmed these details; not in the future (IN_FUTURE).' }),
  }),
});

const SyncContactsInput = builder.inputType('SyncContactsInput', {
  description: 'One batch of contacts.',
  fields: (t) => ({
    providerSlug: t.string({ description: "Slug of the responsible provider. Default: the API key's own; an umbrella's key may name one of its members." }),
    contacts: t.field({
      type: [ContactInput],
      required: true,
      description: `The contacts, at most ${MAX_CONTACT_BATCH} (BATCH_TOO_LARGE beyond), each once by externalId.`,
    }),
    mode: t.field({
      type: SyncMode,
      defaultValue: 'UPSERT',
      description:
        "UPSERT (default), or FULL: the batch is the provider's complete list, and its contacts not sent are deleted (nothing is deleted when an item FAILED).",
    }),
    dryRun: t.boolean({ defaultValue: false, description: 'Run every check and report what would happen, without writing.' }),
  }),
});

interface ContactResultShape {
  item: ContactItemResult;
  contact: { id: string } | null;
}

const SyncContactResult = builder.objectRef<ContactResultShape>('SyncContactResult').implement({
  description: 'The outcome for one contact of a sync.',
  fields: (t) => ({
    index: t.int({
      nullable: true,
      description: 'Position of the item in `input.contacts` (from 0); null for contacts FULL mode deleted.',
      resolve: ({ item }) => item.index,
    }),
    externalId: t.string({ description: "The contact's `externalId`, as sent.", resolve: ({ item }) => item.externalId ?? '' }),
    status: t.field({ type: SyncStatus, description: 'What happened to the contact.', resolve: ({ item }) => item.status }),
    contactId: t.id({
      nullable: true,
      description: "The contact's global `id`; null when there is none (a FAILED new item, a new item in a dry run).",
      resolve: ({ item }) => (item.id === null ? null : encodeGlobalID('Contact', item.id)),
    }),
    version: t.int({
      nullable: true,
      description: "The contact's version after the write (in a dry run: what it would be); null when there is none.",
      resolve: ({ item }) => item.version,
    }),
    contact: t.field({
      type: Contact,
      nullable: true,
      description: 'The contact as stored now; null for FAILED and DELETED items and in dry runs.',
      resolve: ({ contact }) => contact,
    }),
    userErrors: t.field({ type: [UserError], description: 'Why the item FAILED; empty otherwise.', resolve: ({ item }) => toUserErrors(item.userErrors) }),
  }),
});

const SyncContactsSummary = builder.objectRef<ContactItemResult[]>('SyncContactsSummary').implement({
  description: 'Number of contacts per outcome in this batch.',
  fields: (t) => {
    const count = (status: ContactItemResult['status']) => (results: ContactItemResult[]) => results.filter((r) => r.status === status).length;
    return {
      created: t.int({ description: 'Contacts created.', resolve: count('CREATED') }),
      updated: t.int({ description: 'Contacts updated (or revived).', resolve: count('UPDATED') }),
      unchanged: t.int({ description: 'Contacts sent with the content they already had.', resolve: count('UNCHANGED') }),
      deleted: t.int({ description: 'Contacts FULL mode deleted.', resolve: count('DELETED') }),
      failed: t.int({ description: 'Items refused with `userErrors`.', resolve: count('FAILED') }),
    };
  },
});

const SyncContactsPayload = builder.objectRef<SyncContactsResult & { shaped: ContactResultShape[] }>('SyncContactsPayload').implement({
  description: 'What a contact sync did, per contact.',
  fields: (t) => ({
    mode: t.expose('mode', { type: SyncMode, description: 'The mode the batch ran in.' }),
    dryRun: t.exposeBoolean('dryRun', { description: 'True when nothing was written.' }),
    deletionsSkipped: t.exposeBoolean('deletionsSkipped', { description: 'FULL mode: true when nothing was deleted because an item FAILED.' }),
    summary: t.field({ type: SyncContactsSummary, description: 'Number of contacts per outcome.', resolve: (payload) => payload.results }),
    results: t.field({
      type: [SyncContactResult],
      description: 'One entry per item of `input.contacts`, in input order, then one DELETED entry per contact FULL mode deleted (by externalId).',
      resolve: (payload) => payload.shaped,
    }),
  }),
});

/** The written contacts with what the client selected under `results.contact` (one statement, none when not selected). */
async function withContacts(ctx: Context, info: GraphQLResolveInfo, result: SyncContactsResult): Promise<ContactResultShape[]> {
  const visible = (item: ContactItemResult) => !result.dryRun && item.id !== null && item.status !== 'FAILED' && item.status !== 'DELETED';
  const ids = result.results.filter(visible).map((item) => item.id!);
  const path = ['results', 'contact'];
  let byId = new Map<string, { id: string }>();
  if (ids.length > 0 && selectsPath(info, path)) {
    const query = queryFromInfo({ context: ctx, info, path, typeName: 'Contact', select: { id: true } });
    const contacts = await databaseOf(ctx).prisma.contact.findMany({ ...query, where: { id: { in: ids } } });
    byId = new Map(contacts.map((c) => [c.id, c]));
  }
  return result.results.map((item) => ({ item, contact: visible(item) ? (byId.get(item.id!) ?? null) : null }));
}

builder.mutationFields((t) => ({
  syncContacts: t.field({
    type: SyncContactsPayload,
    description:
      "Creates, updates and (FULL mode) deletes a provider's contacts, identified by their externalId, like `syncOffers`: valid items are written and invalid ones reported FAILED with `userErrors`, in one transaction; identical content is UNCHANGED. Honours the Idempotency-Key header. Needs an API key with the scope `offers:write`.",
    args: { input: t.arg({ type: SyncContactsInput, required: true, description: 'The batch.' }) },
    resolve: async (_root, { input }, ctx, info) => {
      const result = await runWrite(() =>
        syncContacts(databaseOf(ctx), ctx.actor, {
          providerSlug: input.providerSlug ?? undefined,
          contacts: input.contacts as DomainContactInput[],
          mode: input.mode ?? undefined,
          dryRun: input.dryRun ?? undefined,
        }),
      );
      if (result.changedIds.length > 0) {
        try {
          await ctx.afterWrite.contactsChanged?.();
        } catch (error) {
          currentRequest()?.log.error({ err: error }, 'invalidating the response cache after a contact sync failed');
        }
      }
      return { ...result, shaped: await withContacts(ctx, info, result) };
    },
  }),
}));
