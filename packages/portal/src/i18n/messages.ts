// The interface strings of the portal, one object per language (de.ts, en.ts, …). Offer texts
// come from the API; these are only the page's own words. Numbers, dates and times are formatted
// with Intl in the interface language, so the strings avoid plurals ("Offers: 12").
import type {
  CefrLevel,
  ContactRole,
  CostExemptionKind,
  CostUnit,
  LiteracyRequirement,
  Modality,
  OfferCategory,
  ResidenceStatus,
  TranslationStatus,
} from '@pakt-bw/sdk';

export interface Messages {
  pageTitle: string;
  tagline: string;
  skipToResults: string;
  interfaceLanguage: string;
  /** Shown for languages translated by the project and not yet reviewed (tr, ru); empty otherwise. */
  translatedByProject: string;
  searchHeading: string;
  place: string;
  placePlaceholder: string;
  placeHint: string;
  placeSuggestions: string;
  placeNone: string;
  placeFound: (count: string) => string;
  placeChosen: (name: string) => string;
  placeError: string;
  filters: string;
  filtersActive: (count: string) => string;
  radius: string;
  category: string;
  allCategories: string;
  categories: Record<OfferCategory, string>;
  spokenLanguage: string;
  anyLanguage: string;
  cefrLevel: string;
  anyLevel: string;
  onlyWithSeats: string;
  showOffers: string;
  resultsHeading: string;
  choosePlace: string;
  loading: string;
  total: (count: string) => string;
  shown: (shown: string, total: string) => string;
  noResults: string;
  loadMore: string;
  error: string;
  /** A shared link was opened while the API cannot be reached. */
  apiDown: string;
  retry: string;
  requestId: string;
  /** `km` is the formatted distance with its unit ("0,5 km", "0.5 كم"). */
  distance: (km: string) => string;
  provider: string;
  where: string;
  level: string;
  languages: string;
  nextDates: string;
  allDates: string;
  noDates: string;
  seatsLeft: (count: string) => string;
  full: string;
  waitingList: string;
  rollingEntry: string;
  cancelled: string;
  free: string;
  modality: Record<Modality, string>;
  translation: Partial<Record<TranslationStatus, string>>;
  fallback: string;
  sample: string;
  footer: string;

  helpersHeading: string;
  helpersFor: (place: string) => string;
  helpersNone: string;
  roles: Record<ContactRole, string>;
  openingHours: string;
  openNow: string;
  openUntil: (time: string) => string;
  closedNow: string;
  opensNext: (when: string) => string;
  byAppointmentOnly: string;
  byAppointment: string;
  closedDays: (from: string, until: string) => string;
  phone: string;
  email: string;
  website: string;

  details: string;
  addToShortlist: string;
  onShortlist: string;
  shortlist: (count: string) => string;
  shortlistFull: (count: string) => string;
  keptInBrowser: string;

  backToSearch: string;
  checkedOn: (date: string) => string;
  notChecked: string;
  description: string;
  address: string;
  showOnMap: string;
  whoCanJoin: string;
  costs: string;
  howToRegister: string;
  registerOnline: string;
  deadline: (date: string) => string;
  providerWords: string;
  offerNotFound: string;
  contactsHere: (place: string) => string;
  servesAlso: string;
  exams: string;

  residence: Record<ResidenceStatus, string>;
  openTo: (list: string) => string;
  ageFrom: (age: string) => string;
  ageUpTo: (age: string) => string;
  ageRange: (from: string, to: string) => string;
  bamfRequired: string;
  bamfNotRequired: string;
  onlyWomen: string;
  onlyMen: string;
  germanLevel: (level: CefrLevel) => string;
  literacy: Record<LiteracyRequirement, string>;
  eligibilityUnknown: string;
  price: Record<CostUnit, (amount: string) => string>;
  exemptions: Record<CostExemptionKind, string>;
  exemptFree: (who: string) => string;
  exemptReduced: (who: string) => string;
  costUnknown: string;

  handoutTitle: string;
  handoutIntro: string;
  clientLanguage: string;
  print: string;
  remove: string;
  clearList: string;
  shortlistEmpty: string;
  scanToOpen: string;
}
