import { builder } from '../builder.js';
import { Money } from './money.js';
import { uuidFromId } from './node.js';

builder.prismaNode('ProgrammeBudget', {
  description: 'A budget figure of a programme for a period, exactly as its source states it.',
  id: { field: 'id' },
  findUnique: (id) => ({ id: uuidFromId(id, 'ProgrammeBudget') }),
  nullable: true,
  fields: (t) => ({
    amount: t.field({
      type: Money,
      description: 'The sum for the whole period (computed from cents, exact).',
      resolve: (budget) => ({ amountCents: budget.amountCents, currency: budget.currency }),
    }),
    periodStart: t.expose('periodStart', { type: 'Date', description: 'First day of the period the sum covers.' }),
    periodEnd: t.expose('periodEnd', { type: 'Date', description: 'Last day of the period the sum covers.' }),
    sourceNote: t.exposeString('sourceNote', { description: 'Where the figure comes from.' }),
    programme: t.relation('programme', { description: 'The programme the budget belongs to.' }),
  }),
});
