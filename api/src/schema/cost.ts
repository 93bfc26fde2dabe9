// Structured cost of an offer: its prices (cost options) and who pays less or nothing
// (exemptions). `Offer.isFree` and the free-text `Offer.cost` stay beside them.
import { builder } from '../builder.js';
import { Money } from './money.js';

export const CostUnit = builder.enumType('CostUnit', {
  description: 'What an amount is charged for.',
  values: {
    ONCE: { description: 'Once, for the whole offer.' },
    PER_MONTH: { description: 'Per month.' },
    PER_SESSION: { description: 'Per session or appointment.' },
    PER_TEACHING_UNIT: { description: 'Per teaching unit (45 minutes), as BAMF course fees are stated.' },
    PER_MODULE: { description: 'Per course module.' },
  } as const,
});

export const CostExemptionKind = builder.enumType('CostExemptionKind', {
  description: 'Who pays less or nothing.',
  values: {
    BERECHTIGUNGSSCHEIN: { description: 'Holders of a BAMF entitlement certificate (Berechtigungsschein) with exemption from the fee (Kostenbefreiung).' },
    BUERGERGELD: { description: 'People receiving Bürgergeld (SGB II).' },
    ASYLBLG: { description: 'People receiving benefits under the Asylum Seekers’ Benefits Act (AsylbLG).' },
    SOCIAL_ASSISTANCE: { description: 'People receiving social assistance or basic income support (Sozialhilfe, Grundsicherung, SGB XII).' },
    BONUS_CARD: { description: 'Holders of a municipal bonus card or family pass (e.g. Landesfamilienpass, Bonuscard).' },
    LOW_INCOME: { description: 'People on a low income who show it otherwise.' },
    OTHER: { description: 'Anyone else the provider names in the note.' },
  } as const,
});

builder.prismaObject('OfferCostOption', {
  description: 'One price of an offer: the amount, what it is charged for, what it covers and when it applies.',
  fields: (t) => ({
    price: t.field({
      type: Money,
      description: 'The amount, e.g. { amount: "2.29", currency: "EUR" } per teaching unit.',
      select: { amountCents: true, currency: true },
      resolve: (option) => ({ amountCents: BigInt(option.amountCents), currency: option.currency }),
    }),
    unit: t.expose('unit', { type: CostUnit, description: 'What the amount is charged for.' }),
    covers: t.exposeString('covers', { nullable: true, description: 'What the amount covers, in German, e.g. "Kursgebühr inkl. Lehrbuch".' }),
    conditions: t.exposeString('conditions', { nullable: true, description: 'When the price applies, in German, e.g. "ohne Kostenbefreiung".' }),
  }),
});

builder.prismaObject('OfferCostExemption', {
  description: 'A group of people who pay less or nothing.',
  fields: (t) => ({
    kind: t.expose('kind', { type: CostExemptionKind, description: 'Who.' }),
    free: t.exposeBoolean('free', { description: 'true: free of charge for them; false: reduced.' }),
    note: t.exposeString('note', { nullable: true, description: 'Details, in German, e.g. "auf Antrag beim BAMF".' }),
  }),
});
