// Contact: an office people turn to (integration management, migration counselling, …) with its
// responsible provider, ways to reach it, opening hours and the municipalities it serves; and
// "who is responsible here": Municipality.contacts and Provider.contacts.
import type { ContactRole as ContactRoleName, Prisma } from '@pakt/db';
import { builder } from '../builder.js';
import { relatedTotalCount } from './connection.js';
import { uuidFromId } from './node.js';
import { Language } from './language.js';
import { Municipality } from './municipality.js';
import { OpeningHours, openingHoursOf } from './opening-hours.js';

export const ContactRole = builder.enumType('ContactRole', {
  description: 'What a contact does for people who arrived.',
  values: {
    INTEGRATION_MANAGEMENT: { description: 'Integration management (Integrationsmanagement) of a municipality or district: individual case management.' },
    MIGRATION_COUNSELLING_ADULTS: { description: 'Migration counselling for adult immigrants (Migrationsberatung für erwachsene Zuwanderer, MBE).' },
    YOUTH_MIGRATION_SERVICE: { description: 'Youth migration service for young people aged 12 to 27 (Jugendmigrationsdienst, JMD).' },
    REFUGEE_COUNSELLING: { description: 'Social and asylum counselling for refugees (Flüchtlingssozialarbeit, Asylberatung).' },
    VOLUNTEER_COORDINATION: { description: 'Coordination of volunteers (Ehrenamtskoordination).' },
    LANGUAGE_COURSE_COUNSELLING: { description: 'Advice on language and integration courses (Sprachkursberatung).' },
    OTHER: { description: 'Any other point of contact.' },
  } as const,
});

/** Only contacts that are not deleted are public. */
export const publicContactWhere = { deletedAt: null } as const satisfies Prisma.ContactWhereInput;

/** The order of contact lists: by role (integration management first), then office name. */
const contactOrder: Prisma.ContactOrderByWithRelationInput[] = [{ role: 'asc' }, { officeName: 'asc' }, { id: 'asc' }];

export const Contact = builder.prismaNode('Contact', {
  description:
    'A point of contact for people who arrived: an office or service (never a named person), the provider responsible for it, how to reach it, when, in which languages, and the municipalities it is responsible for.',
  id: { field: 'id' },
  findUnique: (id) => ({ id: uuidFromId(id, 'Contact'), ...publicContactWhere }),
  nullable: true,
  select: { id: true },
  fields: (t) => ({
    externalId: t.exposeString('externalId', { description: "The provider's own key for the contact (unique per provider)." }),
    role: t.expose('role', { type: ContactRole, description: 'What the contact does.' }),
    officeName: t.exposeString('officeName', { description: 'Name of the office or service, e.g. "Integrationsmanagement Gemeinde Aichwald".' }),
    provider: t.relation('provider', { description: 'The provider responsible for the contact (a municipality or a welfare association).' }),
    phone: t.exposeString('phone', { nullable: true, description: 'Phone number, as the provider writes it.' }),
    email: t.exposeString('email', { nullable: true, description: 'E-mail address.' }),
    website: t.exposeString('website', { nullable: true, description: 'Web page.' }),
    street: t.exposeString('street', { nullable: true, description: 'Street and number of the office.' }),
    postalCode: t.exposeString('postalCode', { nullable: true, description: 'Postal code (PLZ) of the office.' }),
    city: t.exposeString('city', { nullable: true, description: 'Town of the office, as written in the address.' }),
    latitude: t.exposeFloat('latitude', { nullable: true, description: 'Latitude of the office (WGS84); null when not stated.' }),
    longitude: t.exposeFloat('longitude', { nullable: true, description: 'Longitude of the office (WGS84); null when not stated.' }),
    note: t.exposeString('note', { nullable: true, description: 'Further notes, in German.' }),
    openingHours: t.field({
      type: OpeningHours,
      nullable: true,
      description: 'When the office can be reached (office hours, phone hours), with `openNow`; null when not stated.',
      select: { openingHours: true },
      resolve: (contact) => openingHoursOf(contact.openingHours),
    }),
    languages: t.field({
      type: [Language],
      description: 'Languages spoken at the office, in the usual order of languages.',
      select: (_args, _ctx, nested) => ({
        languages: { select: { language: nested(true) }, orderBy: [{ language: { sortOrder: 'asc' } }, { languageCode: 'asc' }] },
      }),
      resolve: (contact) => contact.languages.map((link) => link.language),
    }),
    serviceArea: t.field({
      type: [Municipality],
      description: 'The municipalities the contact is responsible for, by AGS.',
      select: (_args, _ctx, nested) => ({
        serviceArea: { select: { municipality: nested(true) }, orderBy: { municipalityAgs: 'asc' } },
      }),
      resolve: (contact) => contact.serviceArea.map((link) => link.municipality),
    }),
    verifiedAt: t.expose('verifiedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the provider last confirmed these details; null when never.',
    }),
    version: t.exposeInt('version', { description: 'Increases with every change.' }),
    isSample: t.exposeBoolean('isSample', { description: 'True for invented demonstration data; such contacts do not exist.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the contact last changed.' }),
  }),
});

const ROLES_ARG = 'Only contacts with these roles; all roles when left out.';

function roleFilter(roles: readonly ContactRoleName[] | null | undefined): Prisma.ContactWhereInput {
  return roles && roles.length > 0 ? { role: { in: [...roles] } } : {};
}

builder.prismaObjectField('Municipality', 'contacts', (t) =>
  t.field({
    type: [Contact],
    description:
      'Who is responsible here: the contacts whose service area includes the municipality (integration management first, then by role and office name).',
    args: { roles: t.arg({ type: [ContactRole], description: ROLES_ARG }) },
    select: (args, _ctx, nested) => ({
      contactAreas: {
        where: { contact: { ...publicContactWhere, ...roleFilter(args.roles) } },
        select: { contact: nested(true) },
        orderBy: [{ contact: { role: 'asc' } }, { contact: { officeName: 'asc' } }, { contactId: 'asc' }],
      },
    }),
    resolve: (municipality) => municipality.contactAreas.map((link) => link.contact),
  }),
);

builder.prismaObjectField('Provider', 'contacts', (t) =>
  t.relatedConnection(
    'contacts',
    {
      description: 'The contacts the provider is responsible for, by role and office name.',
      args: { roles: t.arg({ type: [ContactRole], description: ROLES_ARG }) },
      cursor: 'id',
      totalCount: true,
      query: (args) => ({ where: { ...publicContactWhere, ...roleFilter(args.roles) }, orderBy: contactOrder }),
    },
    { description: 'A page of contacts.', fields: (c) => ({ totalCount: relatedTotalCount(c) }) },
  ),
);
