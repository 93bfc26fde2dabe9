import { builder } from '../builder.js';
import { uuidFromId } from './node.js';
import { OpeningHours, openingHoursOf } from './opening-hours.js';

export const Location = builder.prismaNode('Location', {
  description: 'A place where a provider works and offers take place.',
  id: { field: 'id' },
  findUnique: (id) => ({ id: uuidFromId(id, 'Location') }),
  nullable: true,
  // Only the columns the query asks for (each exposed field adds its own).
  select: { id: true },
  fields: (t) => ({
    externalId: t.exposeString('externalId', { description: "The provider's own key for the place (unique per provider)." }),
    name: t.exposeString('name', { description: 'Name of the place, e.g. "Haus der Familie".' }),
    street: t.exposeString('street', { nullable: true, description: 'Street and number.' }),
    postalCode: t.exposeString('postalCode', { nullable: true, description: 'Postal code (PLZ).' }),
    city: t.exposeString('city', { nullable: true, description: 'Town as written in the address.' }),
    municipality: t.relation('municipality', { description: 'The municipality the place is in.' }),
    latitude: t.exposeFloat('latitude', { description: 'Latitude (WGS84).' }),
    longitude: t.exposeFloat('longitude', { description: 'Longitude (WGS84).' }),
    accessibilityNotes: t.exposeString('accessibilityNotes', {
      nullable: true,
      description: 'Accessibility: step-free access, lifts, toilets, as the provider describes it.',
    }),
    openingHours: t.field({
      type: OpeningHours,
      nullable: true,
      description: 'When the place is open, with `openNow` and `nextOpening`; null when not stated.',
      select: { openingHours: true },
      resolve: (location) => openingHoursOf(location.openingHours),
    }),
    provider: t.relation('provider', { description: 'The provider the place belongs to.' }),
    isSample: t.exposeBoolean('isSample', { description: 'True for invented demonstration data.' }),
  }),
});
