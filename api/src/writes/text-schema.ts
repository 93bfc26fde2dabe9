// zod schemas every write input shares (offers, contacts, opening hours, eligibility, cost):
// strings that follow the one text rule (text.ts), dates, URLs, e-mail addresses, coordinates.
import { z } from 'zod';
import type { UserErrorCode } from './errors.js';
import { textProblem, type TextKind } from './text.js';

/** The `params` of a custom zod issue: the user error code it becomes. */
export type Code = { code: UserErrorCode };

/** A string of `kind` of at most `max` characters: TOO_LONG first, then INVALID_CHARACTERS. */
export const textSchema = (kind: TextKind, max: number) =>
  z
    .string()
    .max(max, { error: `At most ${max} characters.`, abort: true })
    .check((ctx) => {
      const problem = textProblem(ctx.value, kind);
      if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem, params: { code: 'INVALID_CHARACTERS' } satisfies Code });
    });

/** Optional text: absent, null and "" (or only spaces) all mean "none". */
export const optionalTextSchema = (max: number, kind: TextKind = 'line') =>
  textSchema(kind, max)
    .nullish()
    .transform((value) => (value === undefined || value === null || value.trim() === '' ? null : value));

/** A calendar date: a Date (the GraphQL `Date` scalar parses to UTC midnight) or "YYYY-MM-DD". */
export const dateSchema = z
  .union([z.date(), z.iso.date()], { error: 'Expected a date "YYYY-MM-DD".' })
  .transform((value) => (typeof value === 'string' ? value : value.toISOString().slice(0, 10)));

/** An optional http(s) URL, refused with INVALID_CHARACTERS or INVALID_FORMAT. */
export const optionalUrlSchema = textSchema('identifier', 2_000)
  .pipe(z.url({ protocol: /^https?$/, error: 'Expected an http(s) URL.' }))
  .nullish()
  .transform((v) => v ?? null);

/** An optional e-mail address. */
export const optionalEmailSchema = textSchema('identifier', 320)
  .pipe(z.email({ error: 'Expected an e-mail address.' }))
  .nullish()
  .transform((v) => v ?? null);

/** An optional latitude in degrees. */
export const optionalLatitudeSchema = z
  .number()
  .min(-90)
  .max(90)
  .nullish()
  .transform((v) => v ?? null);

/** An optional longitude in degrees. */
export const optionalLongitudeSchema = z
  .number()
  .min(-180)
  .max(180)
  .nullish()
  .transform((v) => v ?? null);
