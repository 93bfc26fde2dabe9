import { builder } from '../builder.js';
import { uuidFromId } from './node.js';
import { publicOfferWhere } from './visibility.js';

export const CourseType = builder.enumType('CourseType', {
  description: 'Kind of language course: the integration-course types as the BAMF distinguishes them, job-related German, initial orientation and others.',
  values: {
    INTEGRATIONSKURS: { description: 'General integration course (allgemeiner Integrationskurs): 600 teaching units of German and 100 of orientation.' },
    JUGENDINTEGRATIONSKURS: { description: 'Integration course for young adults up to 27 (Jugendintegrationskurs).' },
    ELTERNINTEGRATIONSKURS: { description: 'Integration course for parents (Elternintegrationskurs), often with childcare.' },
    FRAUENINTEGRATIONSKURS: { description: 'Integration course for women (Frauenintegrationskurs), often with childcare.' },
    ELTERN_FRAUENINTEGRATIONSKURS: {
      description: 'Integration course for parents or women. Stored courses of this type were split into ELTERNINTEGRATIONSKURS and FRAUENINTEGRATIONSKURS.',
      deprecationReason:
        'The BAMF distinguishes parents’ and women’s courses: use ELTERNINTEGRATIONSKURS or FRAUENINTEGRATIONSKURS. Still accepted: as input it is stored as FRAUENINTEGRATIONSKURS for offers with the target group WOMEN (and not PARENTS), else ELTERNINTEGRATIONSKURS; as a filter it finds both.',
    },
    ALPHABETISIERUNGSKURS: { description: 'Integration course with literacy training (Integrationskurs mit Alphabetisierung).' },
    ZWEITSCHRIFTLERNERKURS: { description: 'Integration course for people who read and write another script (Zweitschriftlernerkurs).' },
    FOERDERKURS: { description: 'Remedial integration course for people with special learning needs (Förderkurs).' },
    INTENSIVKURS: { description: 'Intensive integration course for fast learners, 430 teaching units (Intensivkurs).' },
    BERUFSSPRACHKURS: { description: 'Job-related German (Berufssprachkurs, DeuFöV): basic and special courses.' },
    ERSTORIENTIERUNGSKURS: { description: 'Initial orientation course for asylum applicants (Erstorientierungskurs).' },
    OTHER: { description: 'Any other language course.' },
  } as const,
});

export const LanguageExam = builder.enumType('LanguageExam', {
  description: 'An exam a course prepares for.',
  values: {
    DTZ: { description: 'Deutsch-Test für Zuwanderer (A2–B1), the final exam of integration courses.' },
    LEBEN_IN_DEUTSCHLAND: { description: 'The test "Leben in Deutschland" at the end of the orientation course.' },
    DTB_A2: { description: 'Deutsch-Test für den Beruf A2 (job-related German).' },
    DTB_B1: { description: 'Deutsch-Test für den Beruf B1.' },
    DTB_B2: { description: 'Deutsch-Test für den Beruf B2.' },
    DTB_C1: { description: 'Deutsch-Test für den Beruf C1.' },
    TELC_A1: { description: 'telc Deutsch A1.' },
    TELC_A2: { description: 'telc Deutsch A2.' },
    TELC_B1: { description: 'telc Deutsch B1.' },
    TELC_B2: { description: 'telc Deutsch B2.' },
    TELC_C1: { description: 'telc Deutsch C1 (also C1 Hochschule).' },
    GOETHE_A1: { description: 'Goethe-Zertifikat A1.' },
    GOETHE_A2: { description: 'Goethe-Zertifikat A2.' },
    GOETHE_B1: { description: 'Goethe-Zertifikat B1.' },
    GOETHE_B2: { description: 'Goethe-Zertifikat B2.' },
    GOETHE_C1: { description: 'Goethe-Zertifikat C1.' },
    OTHER: { description: 'Another exam.' },
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
    exams: t.field({
      type: [LanguageExam],
      description: 'Exams the course prepares for (e.g. DTZ, telc B1); empty when none is stated.',
      select: { exams: true },
      resolve: (details) => details.exams,
    }),
    offer: t.relation('offer', { description: 'The offer these details belong to.' }),
  }),
});
