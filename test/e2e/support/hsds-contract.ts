// The HSDS 3.0 contract the /hsds tests check answers against, written from the schemas of
// openreferral/specification (branch 3.0, schema/*.json and schema/openapi.json): each object's
// required fields, and the type and format of every field pakt fills. Not a copy of the schema
// files: only what the checks need, in a form the checker below reads.

type Kind = 'string' | 'uuid' | 'uri' | 'email' | 'date' | 'date-time' | 'time' | 'number' | 'integer' | 'boolean' | `enum:${string}`;
interface ObjectSpec {
  required: string[];
  fields: Record<string, Kind | { object: string } | { array: string }>;
}

export const HSDS: Record<string, ObjectSpec> = {
  page: {
    required: ['empty'],
    fields: {
      total_items: 'integer',
      total_pages: 'integer',
      page_number: 'integer',
      size: 'integer',
      first_page: 'boolean',
      last_page: 'boolean',
      empty: 'boolean',
    },
  },
  api: {
    required: [],
    fields: { version: 'string', profile: 'uri', openapi_url: 'uri', description: 'string', publisher: { object: 'publisher' } },
  },
  publisher: { required: [], fields: { name: 'string', identifier: 'string', email: 'email', website: 'uri' } },
  service: {
    required: ['id', 'name', 'status'],
    fields: {
      id: 'uuid',
      organization_id: 'uuid',
      program_id: 'uuid',
      name: 'string',
      alternate_name: 'string',
      description: 'string',
      url: 'uri',
      email: 'email',
      status: 'enum:active|inactive|defunct|temporarily closed',
      fees_description: 'string',
      eligibility_description: 'string',
      minimum_age: 'number',
      maximum_age: 'number',
      application_process: 'string',
      assured_date: 'date',
      phones: { array: 'phone' },
      schedules: { array: 'schedule' },
      service_areas: { array: 'service_area' },
      service_at_locations: { array: 'service_at_location' },
      languages: { array: 'language' },
      organization: { object: 'organization' },
      cost_options: { array: 'cost_option' },
      program: { object: 'program' },
      contacts: { array: 'contact' },
      attributes: { array: 'attribute' },
    },
  },
  organization: {
    required: ['id', 'name', 'description'],
    fields: {
      id: 'uuid',
      name: 'string',
      description: 'string',
      email: 'email',
      website: 'uri',
      parent_organization_id: 'uuid',
      phones: { array: 'phone' },
      locations: { array: 'location' },
      services: { array: 'service' },
    },
  },
  location: {
    required: ['id', 'location_type'],
    fields: {
      id: 'uuid',
      location_type: 'enum:physical|postal|virtual',
      organization_id: 'uuid',
      name: 'string',
      latitude: 'number',
      longitude: 'number',
      external_identifier: 'string',
      external_identifier_type: 'string',
      addresses: { array: 'address' },
      accessibility: { array: 'accessibility' },
    },
  },
  address: {
    required: ['id', 'address_1', 'city', 'state_province', 'postal_code', 'country', 'address_type'],
    fields: {
      id: 'uuid',
      location_id: 'uuid',
      address_1: 'string',
      city: 'string',
      region: 'string',
      state_province: 'string',
      postal_code: 'string',
      country: 'string',
      address_type: 'enum:physical|postal|virtual',
    },
  },
  accessibility: { required: ['id'], fields: { id: 'uuid', location_id: 'uuid', description: 'string' } },
  service_at_location: {
    required: ['id'],
    fields: { id: 'uuid', service_id: 'uuid', location_id: 'uuid', location: { object: 'location' }, service: { object: 'service' } },
  },
  service_area: { required: ['id'], fields: { id: 'uuid', service_id: 'uuid', name: 'string', description: 'string' } },
  phone: { required: ['id', 'number'], fields: { id: 'uuid', service_id: 'uuid', organization_id: 'uuid', number: 'string' } },
  schedule: {
    required: ['id'],
    fields: {
      id: 'uuid',
      service_id: 'uuid',
      location_id: 'uuid',
      service_at_location_id: 'uuid',
      valid_from: 'date',
      valid_to: 'date',
      dtstart: 'date',
      timezone: 'number',
      until: 'date',
      count: 'number',
      wkst: 'enum:MO|TU|WE|TH|FR|SA|SU',
      freq: 'enum:WEEKLY|MONTHLY',
      interval: 'number',
      byday: 'string',
      opens_at: 'time',
      closes_at: 'time',
      notes: 'string',
    },
  },
  language: { required: ['id'], fields: { id: 'uuid', service_id: 'uuid', name: 'string', code: 'string' } },
  cost_option: {
    required: ['id'],
    fields: { id: 'uuid', service_id: 'uuid', option: 'string', currency: 'string', amount: 'number', amount_description: 'string' },
  },
  program: { required: ['id', 'name', 'description'], fields: { id: 'uuid', organization_id: 'uuid', name: 'string', description: 'string' } },
  contact: { required: ['id'], fields: { id: 'uuid', service_id: 'uuid', name: 'string', email: 'email', phones: { array: 'phone' } } },
  attribute: {
    required: ['id'],
    fields: {
      id: 'uuid',
      link_id: 'uuid',
      taxonomy_term_id: 'uuid',
      link_type: 'string',
      link_entity: 'string',
      label: 'string',
      taxonomy_term: { object: 'taxonomy_term' },
    },
  },
  taxonomy_term: {
    required: ['id', 'name', 'description'],
    fields: {
      id: 'uuid',
      code: 'string',
      name: 'string',
      description: 'string',
      parent_id: 'uuid',
      taxonomy: 'string',
      taxonomy_detail: { object: 'taxonomy' },
      language: 'string',
      taxonomy_id: 'uuid',
      term_uri: 'uri',
    },
  },
  taxonomy: { required: ['id', 'name', 'description'], fields: { id: 'uuid', name: 'string', description: 'string', uri: 'uri', version: 'string' } },
};

const PATTERNS: Partial<Record<Kind, RegExp>> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  // HH:MM with a time zone (the schedule fields ask for a 'Z' or an offset).
  time: /^\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$/,
};

/** Every violation of `spec` in `value` (and what it nests), as "path: problem"; [] when it fits. */
export function checkHsds(type: string, value: unknown, path = type): string[] {
  const spec = HSDS[type];
  if (!spec) return [`${path}: no spec for ${type}`];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not an object`];
  const object = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of spec.required)
    if (object[field] === undefined || object[field] === null || object[field] === '') problems.push(`${path}.${field}: required`);
  for (const [field, kind] of Object.entries(spec.fields)) {
    const v = object[field];
    if (v === undefined) continue;
    const at = `${path}.${field}`;
    if (v === null) {
      problems.push(`${at}: null (leave it out instead)`);
      continue;
    }
    if (typeof kind === 'object') {
      if ('object' in kind) problems.push(...checkHsds(kind.object, v, at));
      else if (!Array.isArray(v)) problems.push(`${at}: not an array`);
      else for (const [i, item] of v.entries()) problems.push(...checkHsds(kind.array, item, `${at}[${i}]`));
      continue;
    }
    if (kind === 'number' || kind === 'integer') {
      if (typeof v !== 'number' || !Number.isFinite(v) || (kind === 'integer' && !Number.isInteger(v))) problems.push(`${at}: not a ${kind}`);
    } else if (kind === 'boolean') {
      if (typeof v !== 'boolean') problems.push(`${at}: not a boolean`);
    } else if (typeof v !== 'string') {
      problems.push(`${at}: not a string`);
    } else if (kind.startsWith('enum:')) {
      if (!kind.slice(5).split('|').includes(v)) problems.push(`${at}: "${v}" not in ${kind.slice(5)}`);
    } else if (kind === 'uri') {
      if (!URL.canParse(v)) problems.push(`${at}: "${v}" is not a URI`);
    } else if (kind === 'date-time' || kind === 'date') {
      if (!PATTERNS[kind]!.test(v) || Number.isNaN(Date.parse(v))) problems.push(`${at}: "${v}" is not an ISO ${kind}`);
    } else if (PATTERNS[kind] && !PATTERNS[kind]!.test(v)) {
      problems.push(`${at}: "${v}" is not a ${kind}`);
    }
  }
  return problems;
}
