import { builder } from '../builder.js';
import { TranslationStatus } from './localized-text.js';
import { partsFromId, uuidFromId } from './node.js';
import { publicOfferWhere } from './visibility.js';

builder.prismaNode('OfferTranslation', {
  description: 'The title and description of an offer in one language.',
  id: { field: 'offerId_languageCode' },
  findUnique: (id) => {
    const [offerId = '', languageCode = ''] = partsFromId(id, 'OfferTranslation', 2);
    return {
      offerId_languageCode: { offerId: uuidFromId(offerId, 'OfferTranslation'), languageCode },
      offer: publicOfferWhere,
    };
  },
  nullable: true,
  fields: (t) => ({
    language: t.relation('language', { description: 'The language of this version.' }),
    title: t.exposeString('title', { description: 'Title in this language.' }),
    description: t.exposeString('description', { nullable: true, description: 'Description in this language; null when there is none.' }),
    status: t.expose('status', { type: TranslationStatus, description: 'Where this version comes from (original, human or machine translation).' }),
    offer: t.relation('offer', { description: 'The offer.' }),
  }),
});
