// Structured eligibility of an offer (who may take part) and the `eligibleFor` filter input.
// The provider's free-text note stays on `Offer.eligibility`.
import { builder } from '../builder.js';
import { CefrLevel } from './course-details.js';

export const ResidenceStatus = builder.enumType('ResidenceStatus', {
  description: 'A residence situation, as offers state whom they are open to.',
  values: {
    ASYLUM_APPLICANT: { description: 'Asylum applicants (Aufenthaltsgestattung) whose procedure is ongoing.' },
    ASYLUM_APPLICANT_GOOD_PROSPECTS: { description: 'Asylum applicants with good prospects to stay (gute Bleibeperspektive).' },
    TOLERATED: { description: 'People whose deportation is suspended (Duldung).' },
    RECOGNISED_REFUGEE: {
      description:
        'Recognised refugees and other protection statuses: asylum, refugee protection, subsidiary protection, a national ban on deportation, temporary protection (§ 24 AufenthG, e.g. people from Ukraine).',
    },
    EU_CITIZEN: { description: 'Citizens of the EU (and EEA, Switzerland).' },
    OTHER_IMMIGRANT: { description: 'Other immigrants (e.g. family reunification, work, study).' },
    ANYONE: { description: 'Open to everyone, whatever their residence status.' },
  } as const,
});

export const GenderRestriction = builder.enumType('GenderRestriction', {
  description: 'Who an offer restricted by gender is for.',
  values: {
    WOMEN: { description: 'Only women.' },
    MEN: { description: 'Only men.' },
  } as const,
});

export const LiteracyRequirement = builder.enumType('LiteracyRequirement', {
  description: 'What a participant must be able to read and write.',
  values: {
    NONE: { description: 'Nothing: also for people who cannot read or write (yet).' },
    ANY_SCRIPT: { description: 'Reading and writing in some script (not necessarily Latin).' },
    LATIN_SCRIPT: { description: 'Reading and writing in the Latin script.' },
  } as const,
});

builder.prismaObject('OfferEligibility', {
  description: 'Who may take part in an offer, as structured rules (`Offer.eligibility` keeps the provider’s own words beside them).',
  fields: (t) => ({
    residenceStatuses: t.field({
      type: [ResidenceStatus],
      description: 'Residence situations the offer is open to; ANYONE when it is open to all; empty when not stated.',
      resolve: (e) => e.residenceStatuses ?? [],
    }),
    minAge: t.exposeInt('minAge', { nullable: true, description: 'Youngest age (years, inclusive); null: no lower limit stated.' }),
    maxAge: t.exposeInt('maxAge', { nullable: true, description: 'Oldest age (years, inclusive); null: no upper limit stated.' }),
    bamfAdmissionRequired: t.exposeBoolean('bamfAdmissionRequired', {
      nullable: true,
      description:
        'true: participants need an entitlement, obligation or admission from the BAMF (Berechtigung, Verpflichtung, Zulassung), as integration courses do; false: not needed; null: not stated.',
    }),
    genderRestriction: t.expose('genderRestriction', {
      type: GenderRestriction,
      nullable: true,
      description: 'Only women or only men; null: open to all genders.',
    }),
    minGermanLevel: t.expose('minGermanLevel', { type: CefrLevel, nullable: true, description: 'German needed to start (CEFR level); null: none.' }),
    literacy: t.expose('literacy', { type: LiteracyRequirement, nullable: true, description: 'Reading and writing needed to start; null: not stated.' }),
  }),
});

export const EligibleForFilter = builder.inputType('EligibleForFilter', {
  description:
    'A person’s situation: offers whose structured eligibility admits it. An offer matches when every given condition holds; offers that state nothing on a condition do not match it unless `includeUnstated` is true.',
  fields: (t) => ({
    residence: t.field({ type: ResidenceStatus, description: 'The person’s residence situation: offers open to it or to ANYONE.' }),
    age: t.int({ description: 'The person’s age in years, 0 to 130: offers whose age range includes it (a range left open on one side is open there).' }),
    includeUnstated: t.boolean({
      defaultValue: false,
      description: 'true: also offers that state no residence situations (for `residence`) or no eligibility at all. Default false.',
    }),
  }),
});
