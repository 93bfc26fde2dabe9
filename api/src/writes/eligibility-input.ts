// Structured eligibility and cost of an offer as partners send them, checked with zod and
// normalised (lists sorted, defaults applied) for the content hash and the write.
import { z } from 'zod';
import { CefrLevel, CostExemptionKind, CostUnit, GenderRestriction, LiteracyRequirement, ResidenceStatus } from '@pakt/db';
import { type Code, optionalTextSchema } from './text-schema.js';

const MAX_AGE = 130;
const age = z
  .int()
  .min(0)
  .max(MAX_AGE)
  .nullish()
  .transform((v) => v ?? null);

export const eligibilityInputSchema = z
  .object({
    residenceStatuses: z
      .array(z.enum(ResidenceStatus))
      .max(20)
      .nullish()
      .transform((v) => v ?? []),
    minAge: age,
    maxAge: age,
    bamfAdmissionRequired: z
      .boolean()
      .nullish()
      .transform((v) => v ?? null),
    genderRestriction: z
      .enum(GenderRestriction)
      .nullish()
      .transform((v) => v ?? null),
    minGermanLevel: z
      .enum(CefrLevel)
      .nullish()
      .transform((v) => v ?? null),
    literacy: z
      .enum(LiteracyRequirement)
      .nullish()
      .transform((v) => v ?? null),
  })
  .check((ctx) => {
    const { minAge, maxAge } = ctx.value;
    if (minAge !== null && maxAge !== null && maxAge < minAge) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: ['maxAge'],
        message: `maxAge (${maxAge}) is below minAge (${minAge}).`,
        params: { code: 'AGE_RANGE' } satisfies Code,
      });
    }
  });

export type ParsedEligibility = z.output<typeof eligibilityInputSchema>;

export function normaliseEligibility(e: ParsedEligibility) {
  return {
    residenceStatuses: [...new Set(e.residenceStatuses)].sort(),
    minAge: e.minAge,
    maxAge: e.maxAge,
    bamfAdmissionRequired: e.bamfAdmissionRequired,
    genderRestriction: e.genderRestriction,
    minGermanLevel: e.minGermanLevel,
    literacy: e.literacy,
  };
}

/** A decimal amount in the major unit: "12", "12.5", "12.50" (no sign, at most two decimals). */
const AMOUNT = /^\d{1,7}(?:[.,]\d{1,2})?$/;

const costOptionInput = z.object({
  amount: z.string().regex(AMOUNT, { error: 'Expected an amount like "45" or "2.29" (up to 9,999,999.99, at most two decimals).' }),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: 'Expected an ISO 4217 code, e.g. "EUR".' })
    .nullish()
    .transform((v) => v ?? 'EUR'),
  unit: z
    .enum(CostUnit)
    .nullish()
    .transform((v) => v ?? 'ONCE'),
  covers: optionalTextSchema(300),
  conditions: optionalTextSchema(300),
});

const exemptionInput = z.object({
  kind: z.enum(CostExemptionKind),
  free: z
    .boolean()
    .nullish()
    .transform((v) => v ?? true),
  note: optionalTextSchema(300),
});

export const costOptionsSchema = z
  .array(costOptionInput)
  .max(20)
  .nullish()
  .transform((v) => v ?? []);

export const costExemptionsSchema = z
  .array(exemptionInput)
  .max(20)
  .nullish()
  .transform((v) => v ?? [])
  .check((ctx) => {
    const seen = new Map<string, number>();
    ctx.value.forEach((e, i) => {
      const before = seen.get(e.kind);
      if (before !== undefined) {
        ctx.issues.push({
          code: 'custom',
          input: e,
          path: [i, 'kind'],
          message: `Exemption ${e.kind} appears twice (first at index ${before}).`,
          params: { code: 'DUPLICATE_ENTRY' } satisfies Code,
        });
      } else seen.set(e.kind, i);
    });
  });

/** Cents of a checked amount string ("2,29" → 229). */
export function amountCents(amount: string): number {
  const [whole, fraction = ''] = amount.replace(',', '.').split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Cost options in the partner's order (it means something: the usual price first), amounts in cents. */
export function normaliseCostOptions(options: z.output<typeof costOptionsSchema>) {
  return options.map((o) => ({ amountCents: amountCents(o.amount), currency: o.currency, unit: o.unit, covers: o.covers, conditions: o.conditions }));
}

export function normaliseExemptions(exemptions: z.output<typeof costExemptionsSchema>) {
  return exemptions.map((e) => ({ kind: e.kind, free: e.free, note: e.note })).sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}
