// The page of one offer, at /offers/<uuid>: what it is, who runs it, where (with a link to
// OpenStreetMap) and when (opening hours with "open now", every upcoming slot with seats), who may
// take part and what it costs in plain words, how to register, tap-to-call, who helps in its
// municipality, when the provider last confirmed it, and schema.org JSON-LD for search engines.
import { PortalOfferDocument, type LanguageExam, type PortalOfferQuery } from '@pakt-bw/sdk';
import { contactList } from './contacts-box.js';
import { byId, h } from './dom.js';
import { format, offerPath, telHref } from './format.js';
import { openingStatus, weekTable } from './hours.js';
import { loadMessages, type Messages, type UiLanguage } from './i18n/index.js';
import { offerJsonLd, setJsonLd } from './json-ld.js';
import { localized, shortlistButton, slotItem, textNotes } from './offer-card.js';
import { applyDocumentLanguage, connect, initialLanguage, languagePicker, setUrlLanguage } from './page.js';
import { costLines, eligibilityLines } from './plain-words.js';
import { shortlistIds, watchShortlist } from './shortlist.js';
import './style.css';

type Offer = NonNullable<PortalOfferQuery['offer']>;

const EXAM_NAMES: Record<LanguageExam, string> = {
  DTZ: 'Deutsch-Test für Zuwanderer (DTZ)',
  LEBEN_IN_DEUTSCHLAND: 'Leben in Deutschland',
  DTB_A2: 'DTB A2',
  DTB_B1: 'DTB B1',
  DTB_B2: 'DTB B2',
  DTB_C1: 'DTB C1',
  TELC_A1: 'telc A1',
  TELC_A2: 'telc A2',
  TELC_B1: 'telc B1',
  TELC_B2: 'telc B2',
  TELC_C1: 'telc C1',
  GOETHE_A1: 'Goethe A1',
  GOETHE_A2: 'Goethe A2',
  GOETHE_B1: 'Goethe B1',
  GOETHE_B2: 'Goethe B2',
  GOETHE_C1: 'Goethe C1',
  OTHER: '—',
};

let language: UiLanguage = initialLanguage();
let messages: Messages;
let client = connect(language);
const main = byId<HTMLElement>('offer');
const shortlistLink = byId<HTMLAnchorElement>('shortlist-link');
const uuid = decodeURIComponent(location.pathname.split('/').filter(Boolean).at(-1) ?? '');

function section(id: string, title: string, ...content: (Node | string | null)[]): HTMLElement {
  return h('section', { class: 'panel offer-section', id, 'aria-labelledby': `${id}-heading` }, h('h2', { id: `${id}-heading` }, title), ...content);
}

/** Text the provider wrote in German, kept in German and marked as such. */
function providerText(text: string | null | undefined): HTMLElement | null {
  return text
    ? h('p', { class: 'provider-text' }, h('span', { class: 'provider-words' }, `${messages.providerWords}: `), h('span', { lang: 'de', dir: 'ltr' }, text))
    : null;
}

function lines(list: string[]): HTMLElement | null {
  return list.length > 0
    ? h(
        'ul',
        { class: 'plain-list' },
        list.map((line) => h('li', {}, line)),
      )
    : null;
}

function osmLink(latitude: number, longitude: number): HTMLAnchorElement {
  const lat = latitude.toFixed(5);
  const lon = longitude.toFixed(5);
  // A link only: no map tiles are loaded from elsewhere.
  return h(
    'a',
    { class: 'osm-link', href: `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=18/${lat}/${lon}`, rel: 'noopener' },
    messages.showOnMap,
  );
}

function render(offer: Offer) {
  const f = format(language);
  const context = { language, messages };
  const phone = offer.contactPhone ?? offer.provider.phone;
  const email = offer.contactEmail ?? offer.provider.email;
  const website = offer.website ?? offer.provider.website;
  const course = offer.courseDetails;
  const levels = course?.cefrFrom ? (course.cefrTo && course.cefrTo !== course.cefrFrom ? `${course.cefrFrom}–${course.cefrTo}` : course.cefrFrom) : null;
  const deadline = offer.upcoming.find((slot) => slot.registrationDeadline)?.registrationDeadline ?? null;

  const header = h(
    'div',
    { class: 'panel offer-head' },
    h(
      'p',
      { class: 'tags' },
      h('span', { class: 'badge badge-category', 'data-category': offer.category }, messages.categories[offer.category]),
      h('span', { class: 'badge badge-modality' }, messages.modality[offer.modality]),
      offer.isFree ? h('span', { class: 'badge badge-free' }, messages.free) : null,
      offer.isSample ? h('span', { class: 'badge badge-sample' }, messages.sample) : null,
    ),
    localized('h1', offer.title, { class: 'offer-page-title', id: 'offer-title' }),
    h('p', { class: 'text-notes' }, ...textNotes(offer.title, context)),
    h('p', { class: 'offer-provider' }, `${messages.provider}: `, h('bdi', { class: 'provider' }, offer.provider.name)),
    h('p', { class: 'checked', 'data-verified': offer.verifiedAt ?? '' }, offer.verifiedAt ? messages.checkedOn(f.day(offer.verifiedAt)) : messages.notChecked),
    h(
      'p',
      { class: 'offer-actions' },
      phone ? h('a', { class: 'button primary tel', href: telHref(phone) }, `${messages.phone}: `, h('bdi', { dir: 'ltr' }, phone)) : null,
      email ? h('a', { class: 'button', href: `mailto:${email}` }, messages.email) : null,
      website ? h('a', { class: 'button', href: website, rel: 'noopener' }, messages.website) : null,
      shortlistButton(offer.id, context),
    ),
  );

  const description = offer.description ? section('about', messages.description, localized('p', offer.description, { class: 'description' })) : null;

  const places = offer.locations.map((l) =>
    h(
      'li',
      { class: 'place' },
      h('p', { class: 'place-name' }, h('bdi', {}, l.name)),
      h(
        'p',
        { class: 'place-address' },
        h('bdi', {}, [l.street, [l.postalCode, l.city ?? l.municipality.name].filter(Boolean).join(' ')].filter(Boolean).join(', ')),
      ),
      osmLink(l.latitude, l.longitude),
      l.openingHours ? openingStatus(l.openingHours, context) : null,
      l.openingHours ? weekTable(l.openingHours, context) : null,
      l.accessibilityNotes ? h('p', { class: 'place-access', lang: 'de', dir: 'ltr' }, l.accessibilityNotes) : null,
    ),
  );
  const where = section(
    'where',
    messages.address,
    places.length > 0 ? h('ul', { class: 'places' }, places) : h('p', {}, messages.modality[offer.modality], ' · ', h('bdi', {}, offer.municipality.name)),
    offer.serviceArea.length > 0
      ? h('p', { class: 'serves' }, `${messages.servesAlso}: `, h('bdi', {}, f.list.format(offer.serviceArea.map((m) => m.name))))
      : null,
  );

  const dates = section(
    'dates',
    messages.allDates,
    offer.upcoming.length > 0
      ? h(
          'ul',
          { class: 'slots' },
          offer.upcoming.map((slot) => slotItem(slot, context)),
        )
      : h('p', { class: 'slots-none' }, messages.noDates),
  );

  const eligibility = eligibilityLines(offer.eligibilityDetails, language, messages);
  const join = section(
    'eligibility',
    messages.whoCanJoin,
    lines(eligibility),
    levels ? h('p', {}, `${messages.level}: `, h('bdi', { dir: 'ltr' }, levels)) : null,
    course && course.exams.length > 0 ? h('p', {}, `${messages.exams}: `, h('bdi', { dir: 'ltr' }, course.exams.map((e) => EXAM_NAMES[e]).join(', '))) : null,
    providerText(offer.eligibility),
    eligibility.length === 0 && !offer.eligibility ? h('p', {}, messages.eligibilityUnknown) : null,
  );

  const cost = costLines(offer, language, messages);
  const costs = section(
    'costs',
    messages.costs,
    lines(cost),
    providerText(offer.cost),
    cost.length === 0 && !offer.cost ? h('p', {}, messages.costUnknown) : null,
  );

  const register = section(
    'register',
    messages.howToRegister,
    providerText(offer.registrationNote),
    deadline ? h('p', {}, messages.deadline(f.moment(deadline))) : null,
    h(
      'p',
      { class: 'offer-actions' },
      offer.registrationUrl ? h('a', { class: 'button primary', href: offer.registrationUrl, rel: 'noopener' }, messages.registerOnline) : null,
      phone ? h('a', { class: 'button tel', href: telHref(phone) }, `${messages.phone}: `, h('bdi', { dir: 'ltr' }, phone)) : null,
      email ? h('a', { class: 'button', href: `mailto:${email}` }, h('bdi', { dir: 'ltr' }, email)) : null,
    ),
  );

  const contacts = section('contacts', messages.contactsHere(offer.municipality.name), contactList(offer.municipality.contacts, { ...context, level: 'h3' }));

  main.replaceChildren(header, h('div', { class: 'offer-grid' }, description, where, dates, join, costs, register, contacts));
  setJsonLd(offerJsonLd(offer, new URL(offerPath(offer.id), location.origin).toString()));
  document.title = `${offer.title.value} · pakt`;
}

function renderShortlistLink() {
  shortlistLink.textContent = messages.shortlist(format(language).number.format(shortlistIds().length));
}

async function load(): Promise<void> {
  await loadMessages(language);
  messages = applyDocumentLanguage(language, (m) => m.details);
  renderShortlistLink();
  const back = byId<HTMLAnchorElement>('back-link');
  back.href = `/?lang=${language}`;
  main.setAttribute('aria-busy', 'true');
  main.dataset.state = 'loading';
  try {
    const { offer } = await client.request(PortalOfferDocument, { id: uuid, language });
    if (!offer) {
      main.replaceChildren(h('h1', {}, messages.offerNotFound));
      main.dataset.state = 'not-found';
    } else {
      render(offer);
      main.dataset.state = 'ready';
    }
  } catch (error) {
    console.error(error);
    const retry = h('button', { type: 'button', class: 'button small' }, messages.retry);
    retry.addEventListener('click', () => void load());
    main.replaceChildren(h('h1', {}, messages.error), h('p', { class: 'error', role: 'alert' }, messages.apiDown, ' ', retry));
    main.dataset.state = 'error';
  } finally {
    main.setAttribute('aria-busy', 'false');
    document.body.dataset.ready = 'true';
  }
}

languagePicker(byId<HTMLSelectElement>('ui-language'), language, (next) => {
  language = next;
  client = connect(language);
  setUrlLanguage(language);
  void load();
});
watchShortlist(renderShortlistLink);
void load();
