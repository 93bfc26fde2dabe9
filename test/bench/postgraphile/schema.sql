-- The PostGraphile peer's SQL, in a schema of its own (pakt_peer) over pakt's tables. Applied by
-- the bench before it starts the peer (idempotent). What a PostGraphile expert would write for the
-- portal query: one STABLE SQL function for the radius search (a connection), computed columns for
-- the localised title, the distance and the next slots; provider and municipality come from the
-- foreign keys of `offer` (PostGraphile's automatic relations). Recreated on every run.
DROP SCHEMA IF EXISTS pakt_peer CASCADE;
CREATE SCHEMA pakt_peer;


-- Published offers within `radius_km` of the municipality's centre, nearest first by
-- (distance, id), plus the offers serving the municipality (service area) at distance 0. As pakt
-- does on PostgreSQL 15 (no incremental sort on a KNN scan before 17): the nearest `at_least` by
-- the GiST index, then every match within the largest of their distances, sorted exactly; the
-- first `at_least` of them come back (pass the page size + 1: PostGraphile reads one more row for
-- hasNextPage). The first page only: like pakt's, a next page would start after a cursor.
CREATE OR REPLACE FUNCTION pakt_peer.near_offers(ags text, radius_km float8, at_least int)
RETURNS SETOF public.offer
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  WITH centre AS (
    SELECT ll_to_earth(m.latitude, m.longitude) AS earth FROM public.municipality m WHERE m.ags = near_offers.ags
  ),
  served AS (
    SELECT COALESCE(array_agg(sa.offer_id), '{}'::uuid[]) AS ids
      FROM public.offer_service_area sa WHERE sa.municipality_ags = near_offers.ags
  ),
  knn AS (
    SELECT o.geo <-> (SELECT earth FROM centre) AS chord, earth_distance((SELECT earth FROM centre), o.geo) AS distance_m
      FROM public.offer o
     WHERE o.status = 'PUBLISHED' AND o.deleted_at IS NULL AND o.geo IS NOT NULL
       AND earth_box((SELECT earth FROM centre), radius_km * 1000) @> o.geo
       AND earth_distance((SELECT earth FROM centre), o.geo) <= radius_km * 1000
       AND NOT (o.id = ANY((SELECT ids FROM served)::uuid[]))
     ORDER BY o.geo <-> (SELECT earth FROM centre)
     LIMIT at_least
  ),
  cut AS (SELECT max(chord) AS chord, max(distance_m) AS distance_m FROM knn),
  matches AS (
    SELECT o.id, earth_distance((SELECT earth FROM centre), o.geo) AS distance_m
      FROM public.offer o
     WHERE o.status = 'PUBLISHED' AND o.deleted_at IS NULL AND o.geo IS NOT NULL
       AND earth_distance((SELECT earth FROM centre), o.geo) <= radius_km * 1000
       AND NOT (o.id = ANY((SELECT ids FROM served)::uuid[]))
       AND cube_enlarge((SELECT earth FROM centre), (SELECT chord FROM cut) * (1 + 1e-9) + 1e-6, 3) @> o.geo
       AND earth_distance((SELECT earth FROM centre), o.geo) <= (SELECT distance_m FROM cut)
    UNION ALL
    SELECT o.id, 0::float8 AS distance_m
      FROM public.offer o
     WHERE o.status = 'PUBLISHED' AND o.deleted_at IS NULL AND o.id = ANY((SELECT ids FROM served)::uuid[])
       AND EXISTS (SELECT 1 FROM centre)
  ),
  page AS (SELECT id, distance_m FROM matches ORDER BY distance_m, id LIMIT at_least)
  SELECT o.* FROM page JOIN public.offer o ON o.id = page.id ORDER BY page.distance_m, page.id
$$;

-- Distance from the centre of `ags` in km, rounded to 0.1 (as Math.round does); 0 for an offer
-- serving that municipality.
CREATE OR REPLACE FUNCTION pakt_peer.offer_distance_km(o public.offer, ags text)
RETURNS float8
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN EXISTS (SELECT 1 FROM public.offer_service_area sa WHERE sa.offer_id = o.id AND sa.municipality_ags = offer_distance_km.ags) THEN 0
    ELSE floor(earth_distance(ll_to_earth(m.latitude, m.longitude), o.geo) / 100 + 0.5) / 10
  END
  FROM public.municipality m WHERE m.ags = offer_distance_km.ags
$$;

-- The title in a language: the requested one, else German, else any (pakt's `localize`), as JSON
-- {value, language, rtl}. A composite type (or the offer_translation row) would be typed, but
-- PostGraphile fetches a composite computed column of a function's rows in a statement of its own
-- (measured: 4 statements instead of 3, about 25 % fewer requests per second); a scalar is inlined.
CREATE OR REPLACE FUNCTION pakt_peer.offer_title(o public.offer, language text)
RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT json_build_object('value', t.title, 'language', t.language_code, 'rtl', l.direction = 'RTL')
    FROM public.offer_translation t
    JOIN public.language l ON l.code = t.language_code
   WHERE t.offer_id = o.id AND t.title <> ''
   ORDER BY t.language_code = offer_title.language DESC, t.language_code = 'de' DESC, t.language_code
   LIMIT 1
$$;

-- The next slots that have not started and are not cancelled; with has_seats only scheduled ones
-- with seats left (pakt's `nextSlots(first, hasSeats)`).
CREATE OR REPLACE FUNCTION pakt_peer.offer_next_slots(o public.offer, max_slots int, has_seats boolean)
RETURNS SETOF public.slot
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT s.* FROM public.slot s
   WHERE s.offer_id = o.id AND s.deleted_at IS NULL AND s.starts_at >= now()
     AND (CASE WHEN has_seats THEN s.status = 'SCHEDULED' AND s.seats_available > 0 ELSE s.status <> 'CANCELLED' END)
   ORDER BY s.starts_at, s.id
   LIMIT max_slots
$$;

-- PostGraphile smart comments: a list of slots (not a connection), the search as `nearOffers`.
COMMENT ON FUNCTION pakt_peer.offer_next_slots(public.offer, int, boolean) IS E'@behavior -connection +list';
COMMENT ON FUNCTION pakt_peer.near_offers(text, float8, int) IS E'@name nearOffers';
