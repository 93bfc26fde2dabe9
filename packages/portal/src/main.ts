// The portal: pick a place, a radius and filters; see the offers nearby in your language, page by
// page. Everything comes from the API through @pakt-bw/sdk. The state lives in the URL
// (?lang=ar&ags=08116019&radius=25&category=LANGUAGE_COURSE&cefr=A2&seats=1), so a search can
// be bookmarked or shared; ?endpoint= points the page at another API (default: same origin).
import {
  createClient,
  LanguagesDocument,
  PaktError,
  PaktNetworkError,
  PaktUnavailableError,
  type CefrLevel,
  type OfferCategory,
  type OfferFilter,
  type OfferSearchEdge,
  type PaktClient,
} from '@pakt-bw/sdk';
import { byId, h } from './dom.js';
import {
  CATEGORIES,
  CEFR_LEVELS,
  isRtl,
  isUiLanguage,
  loadMessages,
  MESSAGES,
  preferredLanguage,
  UI_LANGUAGES,
  type Messages,
  type UiLanguage,
} from './i18n/index.js';
import { contactList } from './contacts-box.js';
import { format, offerCard } from './offer-card.js';
import { createPlaceSearch, toPlace, type Place } from './place-search.js';
import { shortlistIds, watchShortlist } from './shortlist.js';
import './style.css';

const PAGE_SIZE = 10;
const RADII = [5, 10, 25, 50, 100] as const;
const DEFAULT_RADIUS = 10;

interface SpokenLanguage {
  code: string;
  nativeName: string;
  rtl: boolean;
}

// ───────────────────────────── State ─────────────────────────────

const params = new URLSearchParams(location.search);
const endpoint = new URL(params.get('endpoint') || '/graphql', location.href).toString();

const initialLanguage = params.get('lang');
let language: UiLanguage = isUiLanguage(initialLanguage) ? initialLanguage : preferredLanguage(navigator.languages);
await loadMessages(language);
let messages: Messages = MESSAGES[language];
let client: PaktClient = connect(language);

const state = {
  place: null as Place | null,
  radius: parseRadius(params.get('radius')),
  category: (CATEGORIES as readonly string[]).includes(params.get('category') ?? '') ? (params.get('category') as OfferCategory) : null,
  spoken: params.get('spoken') || null,
  cefr: (CEFR_LEVELS as readonly string[]).includes(params.get('cefr') ?? '') ? (params.get('cefr') as CefrLevel) : null,
  seats: params.get('seats') === '1',
};

let spokenLanguages: SpokenLanguage[] = [];
let edges: OfferSearchEdge[] = [];
let totalCount = 0;
let endCursor: string | null = null;
let hasNextPage = false;
/** Bumped by every new search, so that answers of older ones are dropped. */
let generation = 0;
let inFlight: AbortController | undefined;

function connect(lang: UiLanguage): PaktClient {
  // `language` becomes Accept-Language: titles come in that language or fall back to German.
  return createClient({ endpoint, language: lang, timeoutMs: 20_000, retry: { retries: 2 } });
}

function parseRadius(value: string | null): number {
  const radius = Number(value);
  return Number.isFinite(radius) && radius > 0 && radius <= 300 ? radius : DEFAULT_RADIUS;
}

// ───────────────────────────── Elements ─────────────────────────────

const form = byId<HTMLFormElement>('filters');
const uiLanguage = byId<HTMLSelectElement>('ui-language');
const placeInput = byId<HTMLInputElement>('place');
const radiusSelect = byId<HTMLSelectElement>('radius');
const categorySelect = byId<HTMLSelectElement>('category');
const spokenSelect = byId<HTMLSelectElement>('spoken');
const cefrSelect = byId<HTMLSelectElement>('cefr');
const seatsCheckbox = byId<HTMLInputElement>('seats');
const results = byId<HTMLElement>('results');
const summary = byId<HTMLElement>('results-summary');
const list = byId<HTMLOListElement>('offer-list');
const loadMoreButton = byId<HTMLButtonElement>('load-more');
const moreFilters = byId<HTMLDetailsElement>('more-filters');
const filtersSummary = byId('filters-summary');
const helpers = byId<HTMLElement>('helpers');
const helpersPlace = byId('helpers-place');
const helpersList = byId('helpers-list');
const shortlistLink = byId<HTMLAnchorElement>('shortlist-link');
const translationNote = byId('translation-note');
/** Wide screens show the filters open; phones keep them folded so results come first. */
const wide = window.matchMedia('(min-width: 821px)');

const placeSearch = createPlaceSearch({
  input: placeInput,
  listbox: byId<HTMLUListElement>('place-options'),
  status: byId('place-status'),
  messages: () => messages,
  search: async (text, signal) => (await client.municipalities.list({ search: text }, { first: 8, signal })).edges.map((e) => e.node),
  onChoose: (place) => {
    state.place = place;
    void search();
    void loadHelpers(place);
  },
});

// ───────────────────────────── Rendering ─────────────────────────────

function option(value: string, label: string, selected: boolean, lang?: string): HTMLOptionElement {
  const element = h('option', { value, lang }, label);
  element.selected = selected;
  return element;
}

/** Interface strings, `lang`/`dir` of the document and the select options. */
function applyLanguage() {
  messages = MESSAGES[language];
  const root = document.documentElement;
  root.lang = language;
  root.dir = isRtl(language) ? 'rtl' : 'ltr';
  document.title = `${messages.pageTitle} · pakt`;
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const value = messages[element.dataset.i18n as keyof Messages];
    if (typeof value === 'string') element.textContent = value;
  }
  placeInput.placeholder = messages.placePlaceholder;
  translationNote.textContent = messages.translatedByProject;
  translationNote.hidden = messages.translatedByProject === '';
  renderShortlistLink();
  renderFiltersSummary();
  helpersPlace.textContent = state.place ? messages.helpersFor(state.place.name) : '';
  byId('place-options').setAttribute('aria-label', messages.placeSuggestions);

  uiLanguage.replaceChildren(...UI_LANGUAGES.map((ui) => option(ui.code, ui.name, ui.code === language, ui.code)));
  const f = format(language);
  radiusSelect.replaceChildren(...RADII.map((km) => option(String(km), f.km.format(km), km === state.radius)));
  if (!(RADII as readonly number[]).includes(state.radius)) {
    radiusSelect.append(option(String(state.radius), f.km.format(state.radius), true));
  }
  categorySelect.replaceChildren(
    option('', messages.allCategories, state.category === null),
    ...CATEGORIES.map((category) => option(category, messages.categories[category], category === state.category)),
  );
  cefrSelect.replaceChildren(option('', messages.anyLevel, state.cefr === null), ...CEFR_LEVELS.map((level) => option(level, level, level === state.cefr)));
  renderSpokenLanguages();
  seatsCheckbox.checked = state.seats;
}

function renderSpokenLanguages() {
  spokenSelect.replaceChildren(
    option('', messages.anyLanguage, state.spoken === null),
    ...spokenLanguages.map((spoken) => option(spoken.code, spoken.nativeName, spoken.code === state.spoken, spoken.code)),
  );
}

function renderShortlistLink() {
  shortlistLink.textContent = messages.shortlist(format(language).number.format(shortlistIds().length));
}

/** "Filters (active: 2)" on the folded filters, so a phone user sees that some apply. */
function renderFiltersSummary() {
  const active = [state.radius !== DEFAULT_RADIUS, state.category, state.spoken, state.cefr, state.seats].filter(Boolean).length;
  filtersSummary.textContent = active > 0 ? messages.filtersActive(format(language).number.format(active)) : messages.filters;
}

let helpersGeneration = 0;

/** "Who helps me here": integration management and counselling for the chosen municipality. */
async function loadHelpers(place: Place): Promise<void> {
  const current = ++helpersGeneration;
  helpers.hidden = false;
  helpers.dataset.state = 'loading';
  helpersPlace.textContent = messages.helpersFor(place.name);
  helpersList.replaceChildren(h('p', { class: 'summary' }, messages.loading));
  try {
    const contacts = await client.contacts.forMunicipality(place.ags, {
      roles: ['INTEGRATION_MANAGEMENT', 'MIGRATION_COUNSELLING_ADULTS', 'YOUTH_MIGRATION_SERVICE', 'REFUGEE_COUNSELLING'],
    });
    if (current !== helpersGeneration) return;
    helpersList.replaceChildren(contactList(contacts ?? [], { language, messages, level: 'h3' }));
    helpers.dataset.state = 'ready';
  } catch (error) {
    if (current !== helpersGeneration) return;
    console.error(error);
    const retry = h('button', { type: 'button', class: 'button small' }, messages.retry);
    retry.addEventListener('click', () => void loadHelpers(place));
    helpersList.replaceChildren(h('p', { class: 'error', role: 'alert' }, messages.error, ' ', retry));
    helpers.dataset.state = 'error';
  }
}

function setBusy(busy: boolean, phase: 'idle' | 'loading' | 'ready' | 'error') {
  results.setAttribute('aria-busy', String(busy));
  results.dataset.state = phase;
}

function renderSummary() {
  const f = format(language);
  results.dataset.total = String(totalCount);
  results.dataset.shown = String(edges.length);
  if (totalCount === 0) {
    summary.textContent = messages.noResults;
    return;
  }
  summary.replaceChildren(
    h('strong', {}, messages.total(f.number.format(totalCount))),
    h('span', { class: 'shown' }, ` · ${messages.shown(f.number.format(edges.length), f.number.format(totalCount))}`),
  );
}

/** Whether the API could not be reached at all (down, offline), as opposed to refusing a request. */
function unreachable(error: unknown): boolean {
  return error instanceof PaktNetworkError || error instanceof PaktUnavailableError || (error instanceof PaktError && (error.status ?? 0) >= 500);
}

function renderError(error: unknown, retry: () => void) {
  const requestId = error instanceof PaktError ? error.requestId : undefined;
  summary.replaceChildren(
    h(
      'span',
      { class: 'error', role: 'alert' },
      unreachable(error) ? messages.apiDown : messages.error,
      requestId ? h('span', { class: 'request-id' }, ` ${messages.requestId}: `, h('code', {}, requestId)) : null,
    ),
    ' ',
    (() => {
      const button = h('button', { type: 'button', class: 'button small' }, messages.retry);
      button.addEventListener('click', retry);
      return button;
    })(),
  );
}

function syncUrl() {
  const next = new URLSearchParams();
  if (params.get('endpoint')) next.set('endpoint', params.get('endpoint')!);
  next.set('lang', language);
  if (state.place) next.set('ags', state.place.ags);
  next.set('radius', String(state.radius));
  if (state.category) next.set('category', state.category);
  if (state.spoken) next.set('spoken', state.spoken);
  if (state.cefr) next.set('cefr', state.cefr);
  if (state.seats) next.set('seats', '1');
  history.replaceState(null, '', `${location.pathname}?${next.toString()}`);
}

// ───────────────────────────── Searching ─────────────────────────────

function filter(place: Place): OfferFilter {
  return {
    near: { ags: place.ags, radiusKm: state.radius },
    ...(state.category ? { categories: [state.category] } : {}),
    ...(state.spoken ? { languages: [state.spoken] } : {}),
    ...(state.cefr ? { cefrLevel: state.cefr } : {}),
    // Unchecked means "no matter", not "only offers without seats".
    ...(state.seats ? { hasSeats: true } : {}),
  };
}

/** A new search from the first page; drops whatever an older search still loads. */
async function search(): Promise<void> {
  syncUrl();
  inFlight?.abort();
  const current = ++generation;
  const place = state.place;
  if (!place) {
    edges = [];
    list.replaceChildren();
    loadMoreButton.hidden = true;
    summary.textContent = messages.choosePlace;
    setBusy(false, 'idle');
    return;
  }
  const controller = new AbortController();
  inFlight = controller;
  setBusy(true, 'loading');
  summary.textContent = messages.loading;
  loadMoreButton.hidden = true;
  try {
    const page = await client.offers.search(filter(place), { first: PAGE_SIZE, signal: controller.signal });
    if (current !== generation) return;
    edges = [...page.edges];
    totalCount = page.totalCount ?? edges.length;
    endCursor = page.pageInfo.endCursor ?? null;
    hasNextPage = page.pageInfo.hasNextPage;
    list.replaceChildren(...edges.map((edge) => offerCard(edge, { language, messages })));
    renderSummary();
    loadMoreButton.hidden = !hasNextPage;
    setBusy(false, 'ready');
  } catch (error) {
    if (current !== generation) return;
    console.error(error);
    list.replaceChildren();
    renderError(error, () => void search());
    setBusy(false, 'error');
  }
}

/** The next page after the last card, appended; focus moves to its first card. */
async function loadMore(): Promise<void> {
  const place = state.place;
  if (!place || !hasNextPage || !endCursor) return;
  const current = generation;
  const controller = new AbortController();
  inFlight = controller;
  loadMoreButton.disabled = true;
  setBusy(true, 'loading');
  try {
    const page = await client.offers.search(filter(place), {
      first: PAGE_SIZE,
      after: endCursor,
      signal: controller.signal,
    });
    if (current !== generation) return;
    const cards = page.edges.map((edge) => offerCard(edge, { language, messages }));
    edges.push(...page.edges);
    totalCount = page.totalCount ?? totalCount;
    endCursor = page.pageInfo.endCursor ?? null;
    hasNextPage = page.pageInfo.hasNextPage;
    list.append(...cards);
    renderSummary();
    loadMoreButton.hidden = !hasNextPage;
    setBusy(false, 'ready');
    cards[0]?.querySelector('article')?.focus();
  } catch (error) {
    if (current !== generation) return;
    console.error(error);
    renderError(error, () => void loadMore());
    setBusy(false, 'error');
  } finally {
    loadMoreButton.disabled = false;
  }
}

// ───────────────────────────── Events ─────────────────────────────

uiLanguage.addEventListener('change', async () => {
  if (!isUiLanguage(uiLanguage.value)) return;
  const next = uiLanguage.value;
  await loadMessages(next);
  language = next;
  client = connect(language);
  applyLanguage();
  uiLanguage.focus();
  void search();
  if (state.place) void loadHelpers(state.place);
});

radiusSelect.addEventListener('change', () => {
  state.radius = parseRadius(radiusSelect.value);
  renderFiltersSummary();
  void search();
});
categorySelect.addEventListener('change', () => {
  state.category = (categorySelect.value || null) as OfferCategory | null;
  renderFiltersSummary();
  void search();
});
spokenSelect.addEventListener('change', () => {
  state.spoken = spokenSelect.value || null;
  renderFiltersSummary();
  void search();
});
cefrSelect.addEventListener('change', () => {
  state.cefr = (cefrSelect.value || null) as CefrLevel | null;
  renderFiltersSummary();
  void search();
});
seatsCheckbox.addEventListener('change', () => {
  state.seats = seatsCheckbox.checked;
  renderFiltersSummary();
  void search();
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (state.place) void search();
  else placeInput.focus();
});
loadMoreButton.addEventListener('click', () => void loadMore());

// ───────────────────────────── Start ─────────────────────────────

watchShortlist(renderShortlistLink);
moreFilters.open = wide.matches;
wide.addEventListener('change', () => {
  moreFilters.open = wide.matches;
});

/** The place of a shared link, and the languages; a link opened while the API is down says so. */
async function start() {
  const ags = params.get('ags');
  const [languagesResult, placeResult] = await Promise.allSettled([
    // A persisted operation of the SDK (schema/operations/languages.graphql): servers that run only
    // persisted operations for anonymous callers answer it too.
    client.request(LanguagesDocument),
    ags ? client.municipalities.get(ags) : Promise.resolve(null),
  ]);
  if (languagesResult.status === 'fulfilled') {
    spokenLanguages = languagesResult.value.languages;
    renderSpokenLanguages();
  } else {
    console.error(languagesResult.reason);
  }
  if (placeResult.status === 'rejected') {
    // Not "choose a place": the link names one, and the API could not be asked about it.
    console.error(placeResult.reason);
    renderError(placeResult.reason, () => {
      summary.textContent = messages.loading;
      void start();
    });
    setBusy(false, 'error');
  } else if (placeResult.value) {
    state.place = toPlace(placeResult.value);
    placeSearch.set(state.place);
  }
  if (state.place) {
    void loadHelpers(state.place);
    await search();
  }
  document.body.dataset.ready = 'true';
}

applyLanguage();
setBusy(false, 'idle');
void start();
