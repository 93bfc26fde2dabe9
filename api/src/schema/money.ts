import { builder } from '../builder.js';

/** An amount in minor units (cents) with its currency, as stored. */
export interface MoneyShape {
  amountCents: bigint;
  currency: string;
}

/**
 * Euro cents as a decimal string in euros, exactly ("32000000000" → "320000000.00"): no float is
 * involved, so sums beyond 2^53 cents stay exact.
 */
export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export const Money = builder.objectRef<MoneyShape>('Money').implement({
  description:
    'An amount of money. `amount` is a decimal string in the major unit (euros), because the sums involved do not fit GraphQL `Int` and must not be rounded through a float.',
  fields: (t) => ({
    amount: t.string({
      description: 'The amount in the major unit with two decimals, e.g. "320000000.00" for 320 million euros.',
      resolve: (money) => formatCents(money.amountCents),
    }),
    currency: t.exposeString('currency', { description: 'ISO 4217 currency code, e.g. "EUR".' }),
  }),
});
