// The HSDS 3.0 API under /hsds on a live server over a seeded database: every endpoint's answers
// checked against the HSDS 3.0 contract (support/hsds-contract.ts: required fields, types,
// formats — UUID ids, ISO dates), the paging envelope, the filters, and only public data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHsds } from './support/hsds-contract.js';
import { startTestServer, type TestServer } from './support.js';

let server: TestServer;
const checked: Record<string, number> = {};

beforeAll(async () => {
  server = await startTestServer({ scale: 300, listen: true });
});
afterAll(async () => {
  console.info(
    `\nHSDS contract: objects checked per endpoint\n${Object.entries(checked)
      .map(([k, n]) => `  ${String(n).padStart(6)}  ${k}`)
      .join('\n')}`,
  );
  await server?.close();
});

async function json(path: string, status = 200): Promise<any> {
  const response = await server.fetch(path);
  expect(response.status, path).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return response.json();
}

/** Checks a Page and each of its contents; returns the contents. */
function checkPage(endpoint: string, page: any, type: string): any[] {
  expect(checkHsds('page', page)).toEqual([]);
  expect(Array.isArray(page.contents)).toBe(true);
  expect(page.size).toBe(page.contents.length);
  for (const [i, item] of page.contents.entries()) expect(checkHsds(type, item, `${endpoint}[${i}]`)).toEqual([]);
  checked[endpoint] = (checked[endpoint] ?? 0) + page.contents.length;
  return page.contents;
}

/** Every page of a list. */
async function all(path: string, type: string): Promise<any[]> {
  const items: any[] = [];
  for (let page = 1; ; page += 1) {
    const body = await json(`${path}${path.includes('?') ? '&' : '?'}page=${page}&per_page=100`);
    items.push(...checkPage(path.split('?')[0]!, body, type));
    expect(body.page_number).toBe(page);
    expect(body.first_page).toBe(page === 1);
    if (body.last_page) {
      expect(items).toHaveLength(body.total_items);
      expect(body.total_pages).toBe(page);
      return items;
    }
  }
}

const publicOfferIds = async () =>
  (await server.db.sql.query<{ id: string }>(`SELECT id FROM offer WHERE status = 'PUBLISHED' AND deleted_at IS NULL ORDER BY id`)).map((r) => r.id);

describe('/hsds', () => {
  it('/ says which HSDS version and where its OpenAPI is', async () => {
    const body = await json('/hsds/');
    expect(checkHsds('api', body)).toEqual([]);
    expect(body).toMatchObject({ version: '3.0', openapi_url: 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json' });
  });

  it('/services lists exactly the public offers, page by page, as valid services', async () => {
    const services = await all('/hsds/services', 'service');
    expect(services.map((s) => s.id)).toEqual(await publicOfferIds());
    const first = await json('/hsds/services?per_page=2');
    expect(first).toMatchObject({ size: 2, first_page: true, last_page: false, empty: false, total_items: services.length });
    const past = await json('/hsds/services?page=1000&per_page=100');
    expect(past).toMatchObject({ size: 0, empty: true, last_page: true, total_items: services.length });
  });

  it("/services/{id} carries issue 14's structured data: prices as cost options, ages, served municipalities, checked date", async () => {
    const [row] = await server.db.sql.query<{ id: string; amount: number; min_age: number; served: string }>(
      `SELECT o.id, co.amount_cents AS amount, el.min_age, sm.name AS served
         FROM offer o
         JOIN offer_cost_option co ON co.offer_id = o.id AND co.position = 0
         JOIN offer_eligibility el ON el.offer_id = o.id AND el.min_age IS NOT NULL
         JOIN offer_service_area sa ON sa.offer_id = o.id AND sa.municipality_ags <> o.municipality_ags
         JOIN municipality sm ON sm.ags = sa.municipality_ags
        WHERE o.status = 'PUBLISHED' AND o.deleted_at IS NULL AND NOT o.is_free AND o.verified_at IS NOT NULL
        ORDER BY o.id LIMIT 1`,
    );
    expect(row, 'the sample has a public offer with a price, an age limit and a further served municipality').toBeDefined();
    const service = await json(`/hsds/services/${row!.id}`);
    expect(checkHsds('service', service)).toEqual([]);
    expect(service.cost_options[0]).toMatchObject({ amount: row!.amount / 100, currency: 'EUR' });
    expect(service.minimum_age).toBe(row!.min_age);
    expect(service.service_areas.map((area: any) => area.name)).toContain(row!.served);
    expect(service.assured_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('/services/{id} is a fully nested, valid service; drafts and unknown ids are 404', async () => {
    const ids = (await publicOfferIds()).slice(0, 60);
    let schedules = 0;
    let locations = 0;
    for (const id of ids) {
      const service = await json(`/hsds/services/${id}`);
      expect(checkHsds('service', service)).toEqual([]);
      expect(service.id).toBe(id);
      expect(service.organization.id).toBe(service.organization_id);
      expect(service.attributes.some((a: any) => a.link_type === 'service_category')).toBe(true);
      schedules += service.schedules?.length ?? 0;
      locations += service.service_at_locations?.length ?? 0;
    }
    checked['/hsds/services/{id}'] = ids.length;
    expect(schedules).toBeGreaterThan(ids.length);
    expect(locations).toBeGreaterThan(ids.length / 2);
    const [draft] = await server.db.sql.query<{ id: string }>(`SELECT id FROM offer WHERE status <> 'PUBLISHED' OR deleted_at IS NOT NULL LIMIT 1`);
    expect((await json(`/hsds/services/${draft!.id}`, 404)).errors[0].extensions.code).toBe('NOT_FOUND');
    await json('/hsds/services/not-a-uuid', 404);
  });

  it('/services?full=true nests everything, and the filters narrow as the spec says', async () => {
    checkPage('/hsds/services?full=true', await json('/hsds/services?full=true&per_page=20'), 'service');
    const [org] = await server.db.sql.query<{ provider_id: string }>(
      `SELECT provider_id FROM offer WHERE status = 'PUBLISHED' AND deleted_at IS NULL GROUP BY provider_id ORDER BY count(*) DESC LIMIT 1`,
    );
    const byOrg = await all(`/hsds/services?organization_id=${org!.provider_id}`, 'service');
    expect(byOrg.length).toBeGreaterThan(1);
    expect(byOrg.every((s) => s.organization_id === org!.provider_id)).toBe(true);

    const terms = checkPage('/hsds/taxonomy_terms', await json('/hsds/taxonomy_terms?per_page=100'), 'taxonomy_term');
    const course = terms.find((t) => t.code === 'LANGUAGE_COURSE');
    const courses = (await json(`/hsds/services?taxonomy_term_id=${course.id}&full=true&per_page=200`)).contents;
    expect(courses.length).toBeGreaterThan(0);
    expect(courses.every((s: any) => s.attributes.some((a: any) => a.taxonomy_term_id === course.id))).toBe(true);
    const [{ n }] = (await server.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM offer WHERE status = 'PUBLISHED' AND deleted_at IS NULL AND category = 'LANGUAGE_COURSE'`,
    )) as [{ n: number }];
    expect((await json(`/hsds/services?taxonomy_term_id=${course.id}`)).total_items).toBe(n);
    expect((await json('/hsds/services?taxonomy_term_id=00000000-0000-4000-8000-000000000000')).empty).toBe(true);

    expect((await json('/hsds/services?modified_after=2999-01-01T00:00:00Z')).total_items).toBe(0);
    expect((await json('/hsds/services?modified_after=2000-01-01')).total_items).toBe((await publicOfferIds()).length);
    const found = await json('/hsds/services?search=Deutschkurs&per_page=200');
    expect(found.total_items).toBeGreaterThan(0);
    expect(found.total_items).toBeLessThan((await publicOfferIds()).length);
  });

  it('/organizations are the providers, umbrellas as parents; /organizations/{id} nests its services and locations', async () => {
    const organizations = await all('/hsds/organizations', 'organization');
    const ids = new Set(organizations.map((o) => o.id));
    const members = organizations.filter((o) => o.parent_organization_id);
    expect(members.length).toBeGreaterThan(0);
    for (const member of members) expect(ids.has(member.parent_organization_id)).toBe(true);
    const [busy] = await server.db.sql.query<{ provider_id: string }>(
      `SELECT provider_id FROM offer WHERE status = 'PUBLISHED' AND deleted_at IS NULL GROUP BY provider_id ORDER BY count(*) DESC LIMIT 1`,
    );
    const organization = await json(`/hsds/organizations/${busy!.provider_id}`);
    expect(checkHsds('organization', organization)).toEqual([]);
    expect(organization.services.length).toBeGreaterThan(1);
    expect(organization.services.every((s: any) => s.organization_id === organization.id)).toBe(true);
    checked['/hsds/organizations/{id}'] = 1 + organization.services.length;
    await json('/hsds/organizations/00000000-0000-4000-8000-000000000000', 404);
  });

  it('/service_at_locations pair services with their locations; postcode and proximity find them near a place', async () => {
    const pairs = await all('/hsds/service_at_locations', 'service_at_location');
    expect(pairs.length).toBeGreaterThan(50);
    const one = await json(`/hsds/service_at_locations/${pairs[0].id}`);
    expect(checkHsds('service_at_location', one)).toEqual([]);
    expect(one).toMatchObject({ id: pairs[0].id, service_id: pairs[0].service_id, location_id: pairs[0].location_id, service: { id: pairs[0].service_id } });
    await json('/hsds/service_at_locations/00000000-0000-4000-8000-000000000000', 404);

    const [place] = await server.db.sql.query<{ postal_code: string; n: number }>(
      `SELECT l.postal_code, count(*)::int AS n FROM offer_location x JOIN location l ON l.id = x.location_id JOIN offer o ON o.id = x.offer_id
        WHERE o.status = 'PUBLISHED' AND o.deleted_at IS NULL AND l.postal_code IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
    );
    const atPostcode = (await json(`/hsds/service_at_locations?postcode=${place!.postal_code}&per_page=200`)).contents;
    expect(atPostcode).toHaveLength(place!.n);
    expect(atPostcode.every((p: any) => p.location.addresses?.[0]?.postal_code === place!.postal_code)).toBe(true);
    const [centre] = await server.db.sql.query<{ latitude: number; longitude: number }>(
      `SELECT latitude, longitude FROM municipality WHERE $1 = ANY(postal_codes) ORDER BY population DESC LIMIT 1`,
      [place!.postal_code],
    );
    const near = checkPage(
      '/hsds/service_at_locations?postcode&proximity',
      await json(`/hsds/service_at_locations?postcode=${place!.postal_code}&proximity=20000&per_page=200`),
      'service_at_location',
    );
    expect(near.length).toBeGreaterThanOrEqual(1);
    for (const p of near) expect(distanceMeters(centre!, p.location)).toBeLessThanOrEqual(20_100);
  });

  it('/taxonomies and /taxonomy_terms describe the categories and target groups', async () => {
    const taxonomies = checkPage('/hsds/taxonomies', await json('/hsds/taxonomies'), 'taxonomy');
    expect(taxonomies.map((t) => t.name)).toEqual(['pakt offer categories', 'pakt target groups']);
    expect(checkHsds('taxonomy', await json(`/hsds/taxonomies/${taxonomies[1].id}`))).toEqual([]);
    const groups = checkPage(
      '/hsds/taxonomy_terms?taxonomy_id',
      await json(`/hsds/taxonomy_terms?taxonomy_id=${taxonomies[1].id}&per_page=100`),
      'taxonomy_term',
    );
    expect(groups.map((t) => t.code)).toContain('REFUGEES');
    expect(groups.every((t) => t.taxonomy_id === taxonomies[1].id)).toBe(true);
    expect(checkHsds('taxonomy_term', await json(`/hsds/taxonomy_terms/${groups[0].id}`))).toEqual([]);
  });

  it.each([
    ['/hsds/services?page=0', 'page'],
    ['/hsds/services?per_page=100000', 'per_page'],
    ['/hsds/services?organization_id=caritas', 'organization_id'],
    ['/hsds/services?modified_after=yesterday', 'modified_after'],
    ['/hsds/services?format=ndjson', 'format'],
    ['/hsds/services?full=yes', 'full'],
    ['/hsds/services?colour=red', 'colour'],
    ['/hsds/service_at_locations?proximity=1000', 'proximity'],
    ['/hsds/taxonomy_terms?taxonomy_id=1', 'taxonomy_id'],
  ])('%s is a 400 naming %s', async (path, parameter) => {
    const body = await json(path, 400);
    expect(body.errors[0].extensions).toEqual({ code: 'BAD_REQUEST', parameter });
  });

  it('is read-only', async () => {
    const response = await server.fetch('/hsds/services', { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
  });
});

function distanceMeters(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.latitude - a.latitude) * rad) / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(((b.longitude - a.longitude) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
