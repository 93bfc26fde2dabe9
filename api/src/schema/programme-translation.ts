import { builder } from '../builder.js';
import { TranslationStatus } from './localized-text.js';
import { partsFromId, uuidFromId } from './node.js';

builder.prismaNode('ProgrammeTranslation', {
  description: 'The name and description of a programme in one language.',
  id: { field: 'programmeId_languageCode' },
  findUnique: (id) => {
    const [programmeId = '', languageCode = ''] = partsFromId(id, 'ProgrammeTranslation', 2);
    return { programmeId_languageCode: { programmeId: uuidFromId(programmeId, 'ProgrammeTranslation'), languageCode } };
  },
  nullable: true,
  fields: (t) => ({
    language: t.relation('language', { description: 'The language of this version.' }),
    name: t.exposeString('name', { description: 'Name of the programme in this language.' }),
    description: t.exposeString('description', { nullable: true, description: 'Description in this language; null when there is none.' }),
    status: t.expose('status', { type: TranslationStatus, description: 'Where this version comes from.' }),
    programme: t.relation('programme', { description: 'The programme.' }),
  }),
});
