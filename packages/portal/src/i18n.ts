// Interface strings of the portal. Offer texts come from the API in the same language (with a
// German fallback); these are only the page's own words. Numbers and dates are formatted with
// Intl in the interface language, so the strings below avoid plurals ("Offers: 12").
import type { CefrLevel, Modality, OfferCategory, TranslationStatus } from '@pakt/sdk';

export const UI_LANGUAGES = [
  { code: 'de', name: 'Deutsch', rtl: false },
  { code: 'en', name: 'English', rtl: false },
  { code: 'ar', name: 'العربية', rtl: true },
  { code: 'fa', name: 'فارسی', rtl: true },
  { code: 'uk', name: 'Українська', rtl: false },
] as const;

export type UiLanguage = (typeof UI_LANGUAGES)[number]['code'];

export const CATEGORIES: readonly OfferCategory[] = [
  'LANGUAGE_COURSE',
  'INTEGRATION_MANAGEMENT',
  'MIGRATION_COUNSELLING',
  'CIVIC_ENGAGEMENT',
  'SCHOOL_TO_WORK',
  'CHILDCARE_FAMILY',
  'OTHER',
];

export const CEFR_LEVELS: readonly CefrLevel[] = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

export interface Messages {
  pageTitle: string;
  tagline: string;
  skipToResults: string;
  interfaceLanguage: string;
  searchHeading: string;
  place: string;
  placePlaceholder: string;
  placeHint: string;
  placeSuggestions: string;
  placeNone: string;
  placeFound: (count: string) => string;
  placeChosen: (name: string) => string;
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
  retry: string;
  requestId: string;
  /** `km` is the formatted distance with its unit ("0,5 km", "0.5 كم"). */
  distance: (km: string) => string;
  provider: string;
  where: string;
  level: string;
  languages: string;
  nextDates: string;
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
}

const de: Messages = {
  pageTitle: 'Angebote in Ihrer Nähe',
  tagline: 'Sprachkurse, Beratung und Unterstützung für Geflüchtete in Baden-Württemberg',
  skipToResults: 'Zu den Ergebnissen springen',
  interfaceLanguage: 'Sprache',
  searchHeading: 'Suche',
  place: 'Ort (Gemeinde oder Postleitzahl)',
  placePlaceholder: 'z. B. Esslingen',
  placeHint: 'Tippen Sie den Namen und wählen Sie einen Ort aus der Liste.',
  placeSuggestions: 'Vorschläge',
  placeNone: 'Kein Ort gefunden.',
  placeFound: (n) => `Orte gefunden: ${n}. Mit den Pfeiltasten auswählen.`,
  placeChosen: (name) => `Ausgewählt: ${name}`,
  radius: 'Umkreis',
  category: 'Art des Angebots',
  allCategories: 'Alle Angebote',
  categories: {
    LANGUAGE_COURSE: 'Sprachkurs',
    INTEGRATION_MANAGEMENT: 'Integrationsmanagement',
    MIGRATION_COUNSELLING: 'Migrations- und Asylberatung',
    CIVIC_ENGAGEMENT: 'Ehrenamt und Engagement',
    SCHOOL_TO_WORK: 'Übergang Schule – Beruf',
    CHILDCARE_FAMILY: 'Kinderbetreuung und Familie',
    OTHER: 'Sonstiges',
  },
  spokenLanguage: 'Gesprochene Sprache',
  anyLanguage: 'Alle Sprachen',
  cefrLevel: 'Sprachniveau (GER)',
  anyLevel: 'Alle Niveaus',
  onlyWithSeats: 'Nur mit freien Plätzen',
  showOffers: 'Angebote anzeigen',
  resultsHeading: 'Ergebnisse',
  choosePlace: 'Wählen Sie einen Ort, um Angebote in der Nähe zu sehen.',
  loading: 'Angebote werden geladen …',
  total: (n) => `Gefundene Angebote: ${n}`,
  shown: (shown, total) => `${shown} von ${total} angezeigt`,
  noResults: 'Keine passenden Angebote. Vergrößern Sie den Umkreis oder entfernen Sie Filter.',
  loadMore: 'Mehr laden',
  error: 'Die Angebote konnten nicht geladen werden.',
  retry: 'Erneut versuchen',
  requestId: 'Anfrage-ID',
  distance: (km) => `${km} entfernt`,
  provider: 'Träger',
  where: 'Ort',
  level: 'Niveau',
  languages: 'Sprachen',
  nextDates: 'Nächste Termine',
  noDates: 'Noch keine Termine angekündigt',
  seatsLeft: (n) => `freie Plätze: ${n}`,
  full: 'ausgebucht',
  waitingList: 'Warteliste',
  rollingEntry: 'Einstieg jederzeit',
  cancelled: 'abgesagt',
  free: 'kostenlos',
  modality: { IN_PERSON: 'vor Ort', ONLINE: 'online', HYBRID: 'vor Ort und online' },
  translation: {
    MACHINE_TRANSLATED: 'Maschinell übersetzt',
    OUTDATED: 'Übersetzung evtl. veraltet',
  },
  fallback: 'Nur auf Deutsch verfügbar',
  sample: 'Beispieldaten',
  footer: 'Daten: pakt-API des Pakts für Integration mit den Kommunen, Baden-Württemberg. Als Beispieldaten markierte Angebote sind erfunden.',
};

const en: Messages = {
  pageTitle: 'Offers near you',
  tagline: 'Language courses, counselling and support for refugees in Baden-Württemberg',
  skipToResults: 'Skip to results',
  interfaceLanguage: 'Language',
  searchHeading: 'Search',
  place: 'Place (municipality or postcode)',
  placePlaceholder: 'e.g. Esslingen',
  placeHint: 'Type the name and choose a place from the list.',
  placeSuggestions: 'Suggestions',
  placeNone: 'No place found.',
  placeFound: (n) => `Places found: ${n}. Use the arrow keys to choose.`,
  placeChosen: (name) => `Chosen: ${name}`,
  radius: 'Distance',
  category: 'Type of offer',
  allCategories: 'All offers',
  categories: {
    LANGUAGE_COURSE: 'Language course',
    INTEGRATION_MANAGEMENT: 'Integration management',
    MIGRATION_COUNSELLING: 'Migration and asylum counselling',
    CIVIC_ENGAGEMENT: 'Volunteering and civic engagement',
    SCHOOL_TO_WORK: 'From school to work',
    CHILDCARE_FAMILY: 'Childcare and family',
    OTHER: 'Other',
  },
  spokenLanguage: 'Language spoken',
  anyLanguage: 'Any language',
  cefrLevel: 'Level (CEFR)',
  anyLevel: 'Any level',
  onlyWithSeats: 'Only with free seats',
  showOffers: 'Show offers',
  resultsHeading: 'Results',
  choosePlace: 'Choose a place to see offers nearby.',
  loading: 'Loading offers …',
  total: (n) => `Offers found: ${n}`,
  shown: (shown, total) => `Showing ${shown} of ${total}`,
  noResults: 'No matching offers. Try a larger distance or fewer filters.',
  loadMore: 'Load more',
  error: 'The offers could not be loaded.',
  retry: 'Try again',
  requestId: 'Request ID',
  distance: (km) => `${km} away`,
  provider: 'Provider',
  where: 'Place',
  level: 'Level',
  languages: 'Languages',
  nextDates: 'Next dates',
  noDates: 'No dates announced yet',
  seatsLeft: (n) => `seats left: ${n}`,
  full: 'full',
  waitingList: 'waiting list',
  rollingEntry: 'join any time',
  cancelled: 'cancelled',
  free: 'free of charge',
  modality: { IN_PERSON: 'in person', ONLINE: 'online', HYBRID: 'in person and online' },
  translation: {
    MACHINE_TRANSLATED: 'Machine translation',
    OUTDATED: 'Translation may be outdated',
  },
  fallback: 'Only available in German',
  sample: 'Sample data',
  footer: 'Data: the pakt API of the Pact for Integration with the Municipalities, Baden-Württemberg. Offers marked as sample data are invented.',
};

const ar: Messages = {
  pageTitle: 'العروض القريبة منك',
  tagline: 'دورات اللغة والاستشارات والدعم للاجئين في بادن-فورتمبيرغ',
  skipToResults: 'انتقل إلى النتائج',
  interfaceLanguage: 'اللغة',
  searchHeading: 'البحث',
  place: 'المكان (البلدية أو الرمز البريدي)',
  placePlaceholder: 'مثلاً Esslingen',
  placeHint: 'اكتب الاسم واختر مكاناً من القائمة.',
  placeSuggestions: 'اقتراحات',
  placeNone: 'لم يتم العثور على أي مكان.',
  placeFound: (n) => `عدد الأماكن: ${n}. استخدم مفاتيح الأسهم للاختيار.`,
  placeChosen: (name) => `تم اختيار: ${name}`,
  radius: 'المسافة',
  category: 'نوع العرض',
  allCategories: 'جميع العروض',
  categories: {
    LANGUAGE_COURSE: 'دورة لغة',
    INTEGRATION_MANAGEMENT: 'إدارة الاندماج',
    MIGRATION_COUNSELLING: 'استشارات الهجرة واللجوء',
    CIVIC_ENGAGEMENT: 'العمل التطوعي والمشاركة المدنية',
    SCHOOL_TO_WORK: 'الانتقال من المدرسة إلى العمل',
    CHILDCARE_FAMILY: 'رعاية الأطفال والأسرة',
    OTHER: 'أخرى',
  },
  spokenLanguage: 'لغة التواصل',
  anyLanguage: 'كل اللغات',
  cefrLevel: 'مستوى اللغة (الإطار الأوروبي المرجعي)',
  anyLevel: 'كل المستويات',
  onlyWithSeats: 'فقط مع أماكن شاغرة',
  showOffers: 'عرض النتائج',
  resultsHeading: 'النتائج',
  choosePlace: 'اختر مكاناً لرؤية العروض القريبة.',
  loading: 'جارٍ تحميل العروض …',
  total: (n) => `عدد العروض: ${n}`,
  shown: (shown, total) => `المعروض: ${shown} من ${total}`,
  noResults: 'لا توجد عروض مطابقة. وسّع المسافة أو قلّل عوامل التصفية.',
  loadMore: 'تحميل المزيد',
  error: 'تعذّر تحميل العروض.',
  retry: 'حاول مرة أخرى',
  requestId: 'رقم الطلب',
  distance: (km) => `على بعد ${km}`,
  provider: 'الجهة المقدّمة',
  where: 'المكان',
  level: 'المستوى',
  languages: 'اللغات',
  nextDates: 'المواعيد القادمة',
  noDates: 'لم يُعلن عن مواعيد بعد',
  seatsLeft: (n) => `الأماكن الشاغرة: ${n}`,
  full: 'مكتمل',
  waitingList: 'قائمة انتظار',
  rollingEntry: 'يمكن الالتحاق في أي وقت',
  cancelled: 'ملغى',
  free: 'مجاني',
  modality: { IN_PERSON: 'حضوري', ONLINE: 'عبر الإنترنت', HYBRID: 'حضوري وعبر الإنترنت' },
  translation: {
    MACHINE_TRANSLATED: 'ترجمة آلية',
    OUTDATED: 'قد تكون الترجمة قديمة',
  },
  fallback: 'متوفر بالألمانية فقط',
  sample: 'بيانات تجريبية',
  footer: 'البيانات: واجهة pakt لميثاق الاندماج مع البلديات في بادن-فورتمبيرغ. العروض المعلّمة كبيانات تجريبية غير حقيقية.',
};

const fa: Messages = {
  pageTitle: 'پیشنهادها در نزدیکی شما',
  tagline: 'کلاس‌های زبان، مشاوره و حمایت برای پناهجویان در بادن-وورتمبرگ',
  skipToResults: 'رفتن به نتایج',
  interfaceLanguage: 'زبان',
  searchHeading: 'جستجو',
  place: 'مکان (شهر یا کد پستی)',
  placePlaceholder: 'مثلاً Esslingen',
  placeHint: 'نام را بنویسید و مکانی را از فهرست انتخاب کنید.',
  placeSuggestions: 'پیشنهادها',
  placeNone: 'مکانی پیدا نشد.',
  placeFound: (n) => `تعداد مکان‌ها: ${n}. با کلیدهای جهت‌دار انتخاب کنید.`,
  placeChosen: (name) => `انتخاب شد: ${name}`,
  radius: 'شعاع',
  category: 'نوع پیشنهاد',
  allCategories: 'همه پیشنهادها',
  categories: {
    LANGUAGE_COURSE: 'کلاس زبان',
    INTEGRATION_MANAGEMENT: 'مدیریت ادغام',
    MIGRATION_COUNSELLING: 'مشاوره مهاجرت و پناهندگی',
    CIVIC_ENGAGEMENT: 'کار داوطلبانه و مشارکت مدنی',
    SCHOOL_TO_WORK: 'از مدرسه تا کار',
    CHILDCARE_FAMILY: 'مراقبت از کودک و خانواده',
    OTHER: 'سایر',
  },
  spokenLanguage: 'زبان گفتگو',
  anyLanguage: 'همه زبان‌ها',
  cefrLevel: 'سطح زبان (چارچوب مرجع اروپایی)',
  anyLevel: 'همه سطح‌ها',
  onlyWithSeats: 'فقط با جای خالی',
  showOffers: 'نمایش پیشنهادها',
  resultsHeading: 'نتایج',
  choosePlace: 'برای دیدن پیشنهادهای نزدیک، یک مکان انتخاب کنید.',
  loading: 'در حال بارگذاری پیشنهادها …',
  total: (n) => `تعداد پیشنهادها: ${n}`,
  shown: (shown, total) => `نمایش ${shown} از ${total}`,
  noResults: 'پیشنهاد مناسبی پیدا نشد. شعاع را بزرگ‌تر کنید یا فیلترها را کم کنید.',
  loadMore: 'بارگذاری بیشتر',
  error: 'بارگذاری پیشنهادها ممکن نشد.',
  retry: 'تلاش دوباره',
  requestId: 'شناسه درخواست',
  distance: (km) => `${km} فاصله`,
  provider: 'ارائه‌دهنده',
  where: 'مکان',
  level: 'سطح',
  languages: 'زبان‌ها',
  nextDates: 'تاریخ‌های بعدی',
  noDates: 'هنوز تاریخی اعلام نشده است',
  seatsLeft: (n) => `جای خالی: ${n}`,
  full: 'تکمیل',
  waitingList: 'فهرست انتظار',
  rollingEntry: 'ورود در هر زمان',
  cancelled: 'لغو شده',
  free: 'رایگان',
  modality: { IN_PERSON: 'حضوری', ONLINE: 'آنلاین', HYBRID: 'حضوری و آنلاین' },
  translation: {
    MACHINE_TRANSLATED: 'ترجمه ماشینی',
    OUTDATED: 'ممکن است ترجمه قدیمی باشد',
  },
  fallback: 'فقط به آلمانی موجود است',
  sample: 'داده نمونه',
  footer: 'داده‌ها: رابط pakt پیمان ادغام با شهرداری‌ها، بادن-وورتمبرگ. پیشنهادهایی که داده نمونه هستند ساختگی‌اند.',
};

const uk: Messages = {
  pageTitle: 'Пропозиції поруч із вами',
  tagline: 'Мовні курси, консультації та підтримка для біженців у Баден-Вюртемберзі',
  skipToResults: 'Перейти до результатів',
  interfaceLanguage: 'Мова',
  searchHeading: 'Пошук',
  place: 'Місце (громада або поштовий індекс)',
  placePlaceholder: 'напр. Esslingen',
  placeHint: 'Введіть назву та виберіть місце зі списку.',
  placeSuggestions: 'Пропозиції',
  placeNone: 'Місце не знайдено.',
  placeFound: (n) => `Знайдено місць: ${n}. Виберіть клавішами зі стрілками.`,
  placeChosen: (name) => `Вибрано: ${name}`,
  radius: 'Радіус',
  category: 'Тип пропозиції',
  allCategories: 'Усі пропозиції',
  categories: {
    LANGUAGE_COURSE: 'Мовний курс',
    INTEGRATION_MANAGEMENT: 'Супровід інтеграції',
    MIGRATION_COUNSELLING: 'Консультації з питань міграції та притулку',
    CIVIC_ENGAGEMENT: 'Волонтерство та громадська активність',
    SCHOOL_TO_WORK: 'Від школи до роботи',
    CHILDCARE_FAMILY: "Догляд за дітьми та сім'я",
    OTHER: 'Інше',
  },
  spokenLanguage: 'Мова спілкування',
  anyLanguage: 'Будь-яка мова',
  cefrLevel: 'Рівень мови (CEFR)',
  anyLevel: 'Будь-який рівень',
  onlyWithSeats: 'Лише з вільними місцями',
  showOffers: 'Показати пропозиції',
  resultsHeading: 'Результати',
  choosePlace: 'Виберіть місце, щоб побачити пропозиції поблизу.',
  loading: 'Завантаження пропозицій …',
  total: (n) => `Знайдено пропозицій: ${n}`,
  shown: (shown, total) => `Показано ${shown} з ${total}`,
  noResults: 'Немає відповідних пропозицій. Збільште радіус або приберіть фільтри.',
  loadMore: 'Завантажити ще',
  error: 'Не вдалося завантажити пропозиції.',
  retry: 'Спробувати ще раз',
  requestId: 'Ідентифікатор запиту',
  distance: (km) => `${km} від вас`,
  provider: 'Організатор',
  where: 'Місце',
  level: 'Рівень',
  languages: 'Мови',
  nextDates: 'Найближчі дати',
  noDates: 'Дати ще не оголошено',
  seatsLeft: (n) => `вільних місць: ${n}`,
  full: 'місць немає',
  waitingList: 'список очікування',
  rollingEntry: 'можна приєднатися будь-коли',
  cancelled: 'скасовано',
  free: 'безкоштовно',
  modality: { IN_PERSON: 'очно', ONLINE: 'онлайн', HYBRID: 'очно та онлайн' },
  translation: {
    MACHINE_TRANSLATED: 'Машинний переклад',
    OUTDATED: 'Переклад може бути застарілим',
  },
  fallback: 'Доступно лише німецькою',
  sample: 'Демонстраційні дані',
  footer: 'Дані: pakt API Пакту інтеграції з громадами, Баден-Вюртемберг. Пропозиції з позначкою «Демонстраційні дані» вигадані.',
};

export const MESSAGES: Record<UiLanguage, Messages> = { de, en, ar, fa, uk };

export function isUiLanguage(code: string | null | undefined): code is UiLanguage {
  return UI_LANGUAGES.some((language) => language.code === code);
}

export function isRtl(code: UiLanguage): boolean {
  return UI_LANGUAGES.find((language) => language.code === code)?.rtl ?? false;
}

/** The first of the browser's preferred languages the portal speaks, else German. */
export function preferredLanguage(preferences: readonly string[]): UiLanguage {
  for (const preference of preferences) {
    const base = preference.toLowerCase().split('-')[0];
    if (isUiLanguage(base)) return base;
  }
  return 'de';
}
