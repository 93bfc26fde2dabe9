import { builder } from '../builder.js';
import { uuidFromId } from './node.js';
import { publicOfferWhere } from './visibility.js';

export const CourseType = builder.enumType('CourseType', {
  description: 'Kind of language course (the BAMF course types plus others).',
  values: {
    INTEGRATIONSKURS: { description: 'General integration course (Integrationskurs).' },
    JUGENDINTEGRATIONSKURS: { description: 'Integration course for young adults (Jugendintegrationskurs).' },
    ELTERN_FRAUENINTEGRATIONSKURS: { description: 'Integration course for parents or women (Eltern- und Frauenintegrationskurs).' },
    ALPHABETISIERUNGSKURS: { description: 'Integration course with literacy training (Alphabetisierungskurs).' },
    BERUFSSPRACHKURS: { description: 'German for work (Berufssprachkurs).' },
    ERSTORIENTIERUNGSKURS: { description: 'First orientation course (Erstorientierungskurs).' },
    OTHER: { description: 'Any other language course.' },
  } as const,
});

export const CefrLevel = builder.enumType('CefrLevel', {
  description: 'Level of the Common European Framework of Reference for Languages, from A1 (beginner) to C2.',
  values: {
    A1: { description: 'Beginner.' },
    A2: { description: 'Elementary.' },
    B1: { description: 'Intermediate (the goal of the Integrationskurs).' },
    B2: { description: 'Upper intermediate.' },
    C1: { description: 'Advanced.' },
    C2: { description: 'Proficient.' },
  } as const,
});

builder.prismaNode('CourseDetails', {
  description: 'What only language courses have: course type, levels, teaching units and childcare.',
  id: { field: 'offerId' },
  findUnique: (id) => ({ offerId: uuidFromId(id, 'CourseDetails'), offer: publicOfferWhere }),
  nullable: true,
  fields: (t) => ({
    courseType: t.expose('courseType', { type: CourseType, description: 'Kind of course.' }),
    cefrFrom: t.expose('cefrFrom', { type: CefrLevel, nullable: true, description: 'Level the course starts from; null when not stated.' }),
    cefrTo: t.expose('cefrTo', { type: CefrLevel, nullable: true, description: 'Level the course leads to; null when not stated.' }),
    teachingUnits: t.exposeInt('teachingUnits', { nullable: true, description: 'Teaching units (45 minutes each) of the whole course.' }),
    childcareAvailable: t.exposeBoolean('childcareAvailable', { description: 'Whether childcare is offered during lessons.' }),
    offer: t.relation('offer', { description: 'The offer these details belong to.' }),
  }),
});
