// Names of the offer categories, shared by the GraphQL enum's localised names, the open-data
// concept scheme (/feeds/concepts/categories) and the HSDS taxonomy. German is the original;
// other languages fall back to it.
import type { OfferCategory } from '@pakt/db';

export const CATEGORY_NAMES: Readonly<Record<OfferCategory, Readonly<Record<string, string>>>> = {
  LANGUAGE_COURSE: { de: 'Sprachkurs', en: 'Language course' },
  INTEGRATION_MANAGEMENT: { de: 'Integrationsmanagement', en: 'Integration management' },
  MIGRATION_COUNSELLING: { de: 'Migrations- und Asylberatung', en: 'Migration and asylum counselling' },
  CIVIC_ENGAGEMENT: { de: 'Bürgerschaftliches Engagement und Ehrenamt', en: 'Civic engagement and volunteering' },
  SCHOOL_TO_WORK: { de: 'Übergang Schule–Beruf', en: 'Transition from school to work' },
  CHILDCARE_FAMILY: { de: 'Kinderbetreuung und Familie', en: 'Childcare and family' },
  OTHER: { de: 'Sonstiges', en: 'Other' },
};
