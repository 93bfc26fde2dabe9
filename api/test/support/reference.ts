// The offer filters re-implemented over the fixture descriptions, as the independent expectation
// the SQL search is compared with.
import { haversineKm } from './database.js';
import { isPublic, type Fixtures, type OfferSpec, type SlotSpec } from './fixtures.js';

export interface Filter {
  near?: { ags: string; radiusKm: number };
  districtAgs?: string;
  regionCode?: string;
  categories?: string[];
  programmes?: string[];
  providers?: string[];
  languages?: string[];
  courseTypes?: string[];
  cefrLevel?: string;
  targetGroups?: string[];
  startsAfter?: string;
  startsBefore?: string;
  hasSeats?: boolean;
  modality?: string;
}

const LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

export function expectedIds(fixtures: Fixtures, filter: Filter, programmeTree: Map<string, string | null>, now = new Date()): Set<string> {
  const within = (slug: string | null, wanted: string[]) => {
    for (let s = slug; s; s = programmeTree.get(s) ?? null) if (wanted.includes(s)) return true;
    return false;
  };
  const live = (slot: SlotSpec) => !slot.deleted && slot.status !== 'CANCELLED';
  const open = (slot: SlotSpec) => slot.status === 'SCHEDULED' && (slot.seats ?? 0) > 0 && slot.startsAt >= now;
  const inRange = (slot: SlotSpec) =>
    (!filter.startsAfter || slot.startsAt >= new Date(filter.startsAfter)) && (!filter.startsBefore || slot.startsAt < new Date(filter.startsBefore));
  const ranged = !!(filter.startsAfter || filter.startsBefore);

  const matches = (o: OfferSpec): boolean => {
    if (!isPublic(o)) return false;
    if (filter.near) {
      const centre = fixtures.municipalities.get(filter.near.ags)!;
      if (haversineKm(centre, o) > filter.near.radiusKm) return false;
    }
    if (filter.districtAgs && o.districtAgs !== filter.districtAgs) return false;
    if (filter.regionCode && o.regionCode !== filter.regionCode) return false;
    if (filter.categories && !filter.categories.includes(o.category)) return false;
    if (filter.modality && o.modality !== filter.modality) return false;
    if (filter.programmes && !within(o.programmeSlug, filter.programmes)) return false;
    if (filter.providers && !filter.providers.includes(o.providerSlug) && !(o.umbrellaSlug && filter.providers.includes(o.umbrellaSlug))) {
      return false;
    }
    if (filter.languages && !o.languages.some((l) => filter.languages!.includes(l))) return false;
    if (filter.targetGroups && !o.targetGroups.some((g) => filter.targetGroups!.includes(g))) return false;
    if (filter.courseTypes && !(o.course && filter.courseTypes.includes(o.course.type))) return false;
    if (filter.cefrLevel) {
      const from = o.course?.from ?? o.course?.to;
      const to = o.course?.to ?? o.course?.from;
      const level = LEVELS.indexOf(filter.cefrLevel);
      if (!from || !to || LEVELS.indexOf(from) > level || LEVELS.indexOf(to) < level) return false;
    }
    if (filter.hasSeats === true) {
      if (!o.slots.some((s) => live(s) && open(s) && inRange(s))) return false;
    } else {
      if (ranged && !o.slots.some((s) => live(s) && inRange(s))) return false;
      if (filter.hasSeats === false && o.slots.some((s) => live(s) && open(s))) return false;
    }
    return true;
  };
  return new Set(fixtures.offers.filter(matches).map((o) => o.id));
}

/** The soonest upcoming live slot of an offer, or +∞. */
export function nextStart(offer: OfferSpec, now = new Date()): number {
  const starts = offer.slots.filter((s) => !s.deleted && s.status !== 'CANCELLED' && s.startsAt >= now).map((s) => s.startsAt.getTime());
  return starts.length ? Math.min(...starts) : Number.POSITIVE_INFINITY;
}
