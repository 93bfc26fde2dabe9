// The HSDS 3.0 API's routes: parameters (validated, 400 naming the bad one), paging
// (`page`, `per_page` → total_items, total_pages, page_number, size, first_page, last_page, empty,
// contents) and the answers. See schema/openapi.json of openreferral/specification (branch 3.0).
import type { SqlExecutor } from '@pakt/db';
import { BadParameterError, checkKnownParameters } from '../open-data/responses.js';
import { organizationJson, locationJson, SERVICE_AT_LOCATION_PREFIX, serviceAtLocationJson, serviceJson, serviceListJson } from './mapping.js';
import {
  findServiceAtLocation,
  listOrganizations,
  listServiceAtLocations,
  listServiceIds,
  loadOrganization,
  loadServices,
  type Paging,
  type ServiceFilter,
} from './statements.js';
import { TAXONOMIES, TERMS, taxonomyJson, termJson } from './taxonomy.js';
import { isUuid } from '../uuid.js';

export const HSDS_VERSION = '3.0';
export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 200;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A found resource (200) or nothing (404). */
export type RouteResult = { status: 200; body: unknown } | { status: 404; message: string };

const ok = (body: unknown): RouteResult => ({ status: 200, body });
const missing = (what: string, id: string): RouteResult => ({ status: 404, message: `No ${what} has the id ${id}.` });

function uuidParam(url: URL, name: string): string | undefined {
  const value = url.searchParams.get(name);
  if (value === null) return undefined;
  if (!isUuid(value)) throw new BadParameterError(name, `${name} must be a UUID.`);
  return value.toLowerCase();
}

function boolParam(url: URL, name: string): boolean {
  const value = url.searchParams.get(name);
  if (value === null) return false;
  if (value !== 'true' && value !== 'false') throw new BadParameterError(name, `${name} must be true or false.`);
  return value === 'true';
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const value = url.searchParams.get(name);
  if (value === null) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max)
    throw new BadParameterError(name, `${name} must be a whole number from ${min} to ${max}.`);
  return Number(value);
}

function textParam(url: URL, name: string): string | undefined {
  const value = url.searchParams.get(name)?.trim();
  if (value === undefined || value === '') return undefined;
  if (value.length > 200) throw new BadParameterError(name, `${name} must have at most 200 characters.`);
  return value;
}

function paging(url: URL): Paging & { page: number; perPage: number } {
  const page = intParam(url, 'page', 1, 1, 1_000_000);
  const perPage = intParam(url, 'per_page', DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
  const format = url.searchParams.get('format');
  if (format !== null && format !== 'json') throw new BadParameterError('format', 'Only format=json is offered.');
  return { page, perPage, limit: perPage, offset: (page - 1) * perPage };
}

/** The spec's Page envelope. */
export function pageOf(contents: unknown[], total: number, { page, perPage }: { page: number; perPage: number }) {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

/** taxonomy_term_id / taxonomy_id → the category and target-group codes they stand for. */
function taxonomyFilter(url: URL): Pick<ServiceFilter, 'categories' | 'targetGroups' | 'nothing'> {
  const termId = uuidParam(url, 'taxonomy_term_id');
  const taxonomyId = uuidParam(url, 'taxonomy_id');
  let terms = TERMS;
  if (termId) terms = terms.filter((t) => t.id === termId);
  if (taxonomyId) {
    const taxonomy = TAXONOMIES.find((t) => t.id === taxonomyId);
    terms = taxonomy ? terms.filter((t) => t.scheme === taxonomy.scheme) : [];
  }
  if (!termId && !taxonomyId) return {};
  return {
    categories: terms.filter((t) => t.scheme === 'categories').map((t) => t.code),
    targetGroups: terms.filter((t) => t.scheme === 'target-groups').map((t) => t.code),
    nothing: terms.length === 0,
  };
}

function serviceFilter(url: URL): ServiceFilter {
  const modified = url.searchParams.get('modified_after');
  let modifiedAfter: Date | undefined;
  if (modified !== null) {
    if (!ISO_DATE_TIME.test(modified) || Number.isNaN(Date.parse(modified)))
      throw new BadParameterError('modified_after', 'modified_after must be an ISO 8601 date or date-time, e.g. 2026-10-01T00:00:00Z.');
    modifiedAfter = new Date(modified);
  }
  return { search: textParam(url, 'search'), organizationId: uuidParam(url, 'organization_id'), modifiedAfter, ...taxonomyFilter(url) };
}

const PAGE_PARAMS = ['page', 'per_page', 'format'];
const SERVICE_PARAMS = [...PAGE_PARAMS, 'search', 'organization_id', 'taxonomy_term_id', 'taxonomy_id', 'modified_after', 'full'];

/** Answers a path below /hsds (without the prefix): `/`, `/services`, `/services/{id}`, … */
export async function route(sql: SqlExecutor, base: string, path: string, url: URL, license: string): Promise<RouteResult> {
  const [collection, id, ...rest] = path.split('/').filter(Boolean);
  if (rest.length > 0) return { status: 404, message: `No HSDS resource at ${url.pathname}.` };
  if (id !== undefined) {
    checkKnownParameters(url, []);
    if (!isUuid(id)) return missing(collection ?? 'resource', id);
    return one(sql, base, collection, id.toLowerCase());
  }
  switch (collection) {
    case undefined:
      checkKnownParameters(url, []);
      return ok({
        version: HSDS_VERSION,
        profile: 'https://docs.openreferral.org/en/v3.0/',
        openapi_url: 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json',
        description:
          'Integration offers in Baden-Württemberg from pakt, the register of the Pakt für Integration mit den Kommunen, as Open Referral HSDS 3.0: services (offers), organizations (providers), locations and taxonomies (categories, target groups). Read-only; only published offers.',
        publisher: { name: 'pakt', website: base },
        license,
        mapping: `${base}/feeds`,
      });
    case 'services': {
      checkKnownParameters(url, SERVICE_PARAMS);
      const page = paging(url);
      const full = boolParam(url, 'full');
      const { ids, total } = await listServiceIds(sql, serviceFilter(url), page);
      const services = await loadServices(sql, ids);
      return ok(
        pageOf(
          services.map((s) => (full ? serviceJson(base, s) : serviceListJson(s))),
          total,
          page,
        ),
      );
    }
    case 'service_at_locations': {
      checkKnownParameters(url, [...SERVICE_PARAMS, 'postcode', 'proximity']);
      const page = paging(url);
      const full = boolParam(url, 'full');
      const postcode = textParam(url, 'postcode');
      const proximity = url.searchParams.get('proximity');
      let meters: number | undefined;
      if (proximity !== null) {
        if (!postcode) throw new BadParameterError('proximity', 'proximity (meters) is measured from the centroid of a postcode: pass postcode too.');
        meters = intParam(url, 'proximity', 0, 1, 500_000);
      }
      const { pairs, total } = await listServiceAtLocations(sql, serviceFilter(url), { postcode, meters }, page);
      const services = new Map((await loadServices(sql, [...new Set(pairs.map((p) => p.offer_id))])).map((s) => [s.id, s]));
      return ok(
        pageOf(
          pairs.flatMap((p) => serviceAtLocationJson(base, services.get(p.offer_id)!, p.location_id, full) ?? []),
          total,
          page,
        ),
      );
    }
    case 'organizations': {
      checkKnownParameters(url, [...PAGE_PARAMS, 'search', 'full']);
      const page = paging(url);
      const full = boolParam(url, 'full');
      const { rows, total } = await listOrganizations(sql, { search: textParam(url, 'search') }, page);
      const contents = full
        ? await Promise.all(rows.map(async (row) => (await one(sql, base, 'organizations', row.id)) as { body: unknown })).then((r) => r.map((x) => x.body))
        : rows.map((row) => organizationJson(row));
      return ok(pageOf(contents, total, page));
    }
    case 'taxonomies': {
      checkKnownParameters(url, [...PAGE_PARAMS, 'search']);
      const page = paging(url);
      const search = textParam(url, 'search')?.toLowerCase();
      const matched = TAXONOMIES.filter((t) => !search || `${t.name} ${t.description}`.toLowerCase().includes(search));
      return ok(
        pageOf(
          matched.slice(page.offset, page.offset + page.limit).map((t) => taxonomyJson(base, t)),
          matched.length,
          page,
        ),
      );
    }
    case 'taxonomy_terms': {
      checkKnownParameters(url, [...PAGE_PARAMS, 'search', 'taxonomy_id', 'top_only', 'parent_id']);
      const page = paging(url);
      const search = textParam(url, 'search')?.toLowerCase();
      const taxonomyId = uuidParam(url, 'taxonomy_id');
      const parentId = uuidParam(url, 'parent_id');
      boolParam(url, 'top_only'); // every pakt term is a top term: the filter keeps all
      const scheme = taxonomyId ? (TAXONOMIES.find((t) => t.id === taxonomyId)?.scheme ?? null) : undefined;
      const matched = TERMS.filter(
        (t) => (scheme === undefined || t.scheme === scheme) && !parentId && (!search || `${t.code} ${t.de} ${t.en}`.toLowerCase().includes(search)),
      );
      return ok(
        pageOf(
          matched.slice(page.offset, page.offset + page.limit).map((t) => termJson(base, t)),
          matched.length,
          page,
        ),
      );
    }
    default:
      return { status: 404, message: `No HSDS resource at ${url.pathname}.` };
  }
}

async function one(sql: SqlExecutor, base: string, collection: string | undefined, id: string): Promise<RouteResult> {
  switch (collection) {
    case 'services': {
      const [service] = await loadServices(sql, [id]);
      return service ? ok(serviceJson(base, service)) : missing('service', id);
    }
    case 'organizations': {
      const found = await loadOrganization(sql, id);
      if (!found) return missing('organization', id);
      const services = await loadServices(sql, found.serviceIds);
      return ok(organizationJson(found.organization, { locations: found.locations.map(locationJson), services: services.map((s) => serviceJson(base, s)) }));
    }
    case 'service_at_locations': {
      const pair = await findServiceAtLocation(sql, id, SERVICE_AT_LOCATION_PREFIX);
      const [service] = pair ? await loadServices(sql, [pair.offer_id]) : [];
      const body = service && pair ? serviceAtLocationJson(base, service, pair.location_id, true) : undefined;
      return body ? ok(body) : missing('service_at_location', id);
    }
    case 'taxonomies': {
      const taxonomy = TAXONOMIES.find((t) => t.id === id);
      return taxonomy ? ok(taxonomyJson(base, taxonomy)) : missing('taxonomy', id);
    }
    case 'taxonomy_terms': {
      const t = TERMS.find((term) => term.id === id);
      return t ? ok(termJson(base, t)) : missing('taxonomy_term', id);
    }
    default:
      return { status: 404, message: `No HSDS resource /hsds/${collection}/${id}.` };
  }
}
