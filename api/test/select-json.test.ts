// The compiled page statement (src/read/select-json.ts) must give the rows Prisma gives for the
// same query: every kind of value (Date, BigInt, Decimal, Json, enums, lists, nulls), to-one and
// to-many relations in both directions, filters, orders, take/skip and _count.
import { Prisma } from '@pakt/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlParams } from '../src/pagination.js';
import { compileSelect } from '../src/read/select-json.js';
import { createTestApp, type TestApp } from './support/database.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // A location with opening hours (Json) and a slot there, so that those shapes are compared too.
  const offer = t.fixtures.named.integrationStuttgart;
  const location = await t.db.prisma.location.findFirstOrThrow({ select: { id: true } });
  await t.db.prisma.location.update({ where: { id: location.id }, data: { openingHours: { mo: [{ opens: '09:00', closes: '12:00' }] } } });
  await t.db.prisma.slot.updateMany({ where: { offerId: offer.id }, data: { locationId: location.id, schedule: { note: 'dienstags' } } });
});
afterAll(() => t?.close());

/** Values in a comparable form: Prisma's classes and dates as tagged strings, keys sorted. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return `date:${value.toISOString()}`;
  if (typeof value === 'bigint') return `bigint:${value}`;
  if (Prisma.Decimal.isDecimal(value)) return `decimal:${(value as Prisma.Decimal).toString()}`;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, plain((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

const TABLE: Record<string, { table: string; key: string; column: string }> = {
  offer: { table: 'offer', key: 'id', column: 'id' },
  provider: { table: 'provider', key: 'id', column: 'id' },
  district: { table: 'district', key: 'ags', column: 'ags' },
  programme: { table: 'programme', key: 'id', column: 'id' },
  slot: { table: 'slot', key: 'id', column: 'id' },
};
const MODEL: Record<string, string> = { offer: 'Offer', provider: 'Provider', district: 'District', programme: 'Programme', slot: 'Slot' };

/** Rows of `delegate` by Prisma and by the compiled statement, every row of the table, by key. */
async function both(delegate: keyof typeof TABLE, query: Record<string, unknown>) {
  const { table, key, column } = TABLE[delegate]!;
  const prismaDelegate = (t.db.prisma as unknown as Record<string, { findMany(args: unknown): Promise<Record<string, unknown>[]> }>)[delegate]!;
  const expected = await prismaDelegate.findMany({ ...query, orderBy: { [key]: 'asc' } });
  const params = new SqlParams();
  const compiled = compileSelect(t.db.prisma, MODEL[delegate]!, query, 'o', params);
  expect(compiled, 'the query compiles').not.toBeNull();
  const rows = await t.db.sql.query<{ row: unknown }>(`SELECT ${compiled!.sql} AS row FROM "${table}" o ORDER BY o."${column}" ASC`, params.values);
  const actual = rows.map((r) => compiled!.decode(r.row));
  return { expected: plain(expected), actual: plain(actual), count: rows.length };
}

describe('compiled selections equal Prisma', () => {
  const cases: [string, keyof typeof TABLE, Record<string, unknown>][] = [
    ['every scalar of an offer (include mode)', 'offer', { include: {} }],
    [
      'the portal page: translations, provider, municipality, the next slots with seats',
      'offer',
      {
        select: {
          id: true,
          translations: { select: { languageCode: true, title: true, status: true } },
          provider: { select: { id: true, name: true } },
          municipality: { select: { ags: true, name: true } },
          slots: {
            where: { deletedAt: null, status: 'SCHEDULED', startsAt: { gte: new Date() }, seatsAvailable: { gt: 0 } },
            orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
            take: 3,
            select: { id: true, startsAt: true, seatsAvailable: true, status: true },
          },
        },
      },
    ],
    [
      'nested includes, relation orders, nullable to-one relations and to-one from the other side',
      'offer',
      {
        select: {
          id: true,
          provider: { include: { umbrella: true } },
          municipality: { include: { district: true } },
          programme: true,
          courseDetails: true,
          eligibilityDetails: true,
          locations: { orderBy: { location: { name: 'asc' } }, select: { location: true } },
          languages: { orderBy: { language: { sortOrder: 'asc' } }, select: { language: true } },
          targetGroups: { select: { targetGroup: true }, orderBy: { targetGroupCode: 'asc' } },
          costOptions: { orderBy: { position: 'asc' } },
          serviceArea: { select: { municipality: { select: { ags: true, name: true } } }, orderBy: { municipalityAgs: 'asc' } },
        },
      },
    ],
    [
      'filters: not, in, notIn, lt/lte, OR, NOT, null, a to-one relation filter; skip and take',
      'offer',
      {
        select: {
          id: true,
          slots: {
            where: {
              OR: [{ status: { not: 'CANCELLED' } }, { seatsAvailable: null }],
              NOT: [{ externalId: { in: ['none'] } }],
              capacity: { lte: 1000 },
              startsAt: { lt: new Date(Date.now() + 3650 * 86_400_000) },
              id: { notIn: [] },
              offer: { status: 'PUBLISHED', deletedAt: null },
            },
            orderBy: [{ startsAt: 'desc' }, { id: 'asc' }],
            skip: 1,
            take: 2,
            include: { location: true },
          },
          _count: { select: { slots: true, translations: { where: { languageCode: 'de' } } } },
        },
      },
    ],
    [
      'a provider with its members, offers and locations',
      'provider',
      { include: { members: { orderBy: [{ name: 'asc' }, { id: 'asc' }] }, locations: true, _count: { select: { offers: true } } } },
    ],
    [
      'Decimal (district area) and its municipalities',
      'district',
      { select: { ags: true, areaKm2: true, region: true, municipalities: { orderBy: [{ name: 'asc' }], take: 3 } } },
    ],
    [
      'BigInt (programme budgets), self relations',
      'programme',
      { include: { budgets: { orderBy: { periodStart: 'asc' } }, parent: true, children: true, translations: true } },
    ],
    ['Json and a relation back to the offer', 'slot', { include: { location: true, offer: { select: { id: true, status: true } } } }],
  ];
  for (const [name, delegate, query] of cases) {
    it(name, async () => {
      const { expected, actual, count } = await both(delegate, query);
      expect(count).toBeGreaterThan(0);
      expect(actual).toEqual(expected);
    });
  }
});

it('leaves what it does not handle to Prisma: null, and no parameters left behind', () => {
  const params = new SqlParams();
  params.add('before');
  for (const query of [
    { select: { id: true, slots: { cursor: { id: 'x' }, take: 2 } } },
    { select: { id: true, slots: { take: -2 } } },
    { select: { id: true, slots: { where: { externalId: { contains: 'a' } } } } },
    { select: { id: true, slots: { distinct: ['status'] } } },
  ]) {
    expect(compileSelect(t.db.prisma, 'Offer', query, 'o', params)).toBeNull();
    expect(params.values).toEqual(['before']);
  }
});
