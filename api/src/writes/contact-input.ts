// The shape of a contact as partners send it (syncContacts), checked with zod, and its normalised
// form, whose canonical JSON is hashed into contact.content_hash.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ContactRole } from '@pakt/db';
import type { UserError, UserErrorCode } from './errors.js';
import { fieldPath } from './offer-input.js';
import { normaliseOpeningHours, openingHoursInputSchema } from './opening-hours-input.js';
import { serviceAreaSchema } from './service-area.js';
import {
  type Code,
  optionalEmailSchema,
  optionalLatitudeSchema,
  optionalLongitudeSchema,
  optionalTextSchema,
  optionalUrlSchema,
  textSchema,
} from './text-schema.js';

export const MAX_CONTACT_EXTERNAL_ID_LENGTH = 200;

const externalId = textSchema('identifier', MAX_CONTACT_EXTERNAL_ID_LENGTH).min(1, { error: 'Must not be empty.' });

export const contactInputSchema = z.object({
  externalId,
  role: z.enum(ContactRole),
  /** The office, never a person: "Integrationsmanagement Gemeinde Aichwald". */
  officeName: textSchema('line', 200).min(1, { error: 'Must not be empty.' }),
  phone: optionalTextSchema(60),
  email: optionalEmailSchema,
  website: optionalUrlSchema,
  street: optionalTextSchema(200),
  postalCode: optionalTextSchema(10),
  city: optionalTextSchema(200),
  latitude: optionalLatitudeSchema,
  longitude: optionalLongitudeSchema,
  note: optionalTextSchema(2_000, 'multiline'),
  openingHours: openingHoursInputSchema.nullish().transform((v) => v ?? null),
  languages: z
    .array(textSchema('identifier', 35).min(1))
    .max(60)
    .nullish()
    .transform((v) => v ?? []),
  /** Municipalities (AGS) and districts (five digits) the contact is responsible for; at least one. */
  serviceAreaAgs: serviceAreaSchema.check((ctx) => {
    if (ctx.value.length === 0)
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: 'Name at least one municipality or district.',
        params: { code: 'REQUIRED' } satisfies Code,
      });
  }),
  verifiedAt: z
    .union([z.date(), z.iso.datetime({ offset: true })], { error: 'Expected an ISO 8601 date-time with time zone.' })
    .transform((value) => new Date(value))
    .nullish()
    .transform((v) => v ?? null),
});

export type ContactInput = z.input<typeof contactInputSchema>;
export type ParsedContact = z.output<typeof contactInputSchema>;

/** A verification may come from a clock a little ahead; a day ahead is a mistake. */
export const MAX_VERIFIED_AHEAD_MS = 86_400_000;

function codeOf(issue: z.core.$ZodIssue): UserErrorCode {
  switch (issue.code) {
    case 'custom':
      return ((issue.params as Partial<Code> | undefined)?.code ?? 'INVALID_VALUE') as UserErrorCode;
    case 'too_big':
      return issue.origin === 'string' ? 'TOO_LONG' : issue.origin === 'array' ? 'TOO_MANY' : 'OUT_OF_RANGE';
    case 'too_small':
      if (issue.origin === 'string') return issue.minimum === 1 ? 'REQUIRED' : 'TOO_SHORT';
      return issue.origin === 'array' ? 'TOO_SHORT' : 'OUT_OF_RANGE';
    case 'invalid_format':
      return 'INVALID_FORMAT';
    default:
      return 'INVALID_VALUE';
  }
}

/** The raw input at a zod issue's path. */
function inputAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Validates one contact; `base` is its path, e.g. `contacts[2]`. */
export function parseContactInput(
  raw: unknown,
  base: string,
  now = Date.now(),
): { contact: ParsedContact; errors: [] } | { contact: null; errors: UserError[] } {
  const result = contactInputSchema.safeParse(raw);
  if (!result.success) {
    return {
      contact: null,
      errors: result.error.issues.map((issue) => {
        const missing = issue.code !== 'custom' && (inputAt(raw, issue.path) ?? null) === null;
        return { field: fieldPath(base, issue.path), code: missing ? 'REQUIRED' : codeOf(issue), message: missing ? 'Required.' : issue.message };
      }),
    };
  }
  const contact = result.data;
  if (contact.verifiedAt && contact.verifiedAt.getTime() > now + MAX_VERIFIED_AHEAD_MS) {
    return {
      contact: null,
      errors: [{ field: `${base}.verifiedAt`, code: 'IN_FUTURE', message: 'verifiedAt lies in the future: send when the details were last confirmed.' }],
    };
  }
  return { contact, errors: [] };
}

/** Every default applied, lists sorted, keys in a fixed order (so JSON.stringify is canonical). */
export function normaliseContact(c: ParsedContact) {
  return {
    externalId: c.externalId,
    role: c.role,
    officeName: c.officeName,
    phone: c.phone,
    email: c.email,
    website: c.website,
    street: c.street,
    postalCode: c.postalCode,
    city: c.city,
    latitude: c.latitude,
    longitude: c.longitude,
    note: c.note,
    openingHours: c.openingHours ? normaliseOpeningHours(c.openingHours) : null,
    languages: [...new Set(c.languages)].sort(),
    serviceAreaAgs: [...c.serviceAreaAgs].sort(),
    verifiedAt: c.verifiedAt?.toISOString() ?? null,
  };
}

export type NormalisedContact = ReturnType<typeof normaliseContact>;

export function contactHash(contact: NormalisedContact): string {
  return createHash('sha256').update(JSON.stringify(contact), 'utf8').digest('hex');
}
