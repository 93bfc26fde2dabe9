// Regierungsbezirke, Stadt- and Landkreise and Gemeinden from the committed CSV files
// (data/SOURCES.md says where they come from). Upserted by their official keys.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlExecutor } from '../client.js';
import type { DistrictType } from '../generated/prisma/enums.js';
import { dataDir } from '../paths.js';
import { type ColumnSpec, insertRows, upsertTail } from './bulk.js';
import { parseCsvRecords } from './csv.js';

export interface RegionRow {
  code: string;
  name: string;
}

export interface DistrictRow {
  ags: string;
  name: string;
  type: DistrictType;
  regionCode: string;
  population: number;
  /** Kept as the CSV's decimal text so the numeric column gets it exactly. */
  areaKm2: string;
}

export interface MunicipalityRow {
  ags: string;
  /** As Destatis writes it, with suffixes such as ", Stadt". */
  name: string;
  districtAgs: string;
  population: number;
  latitude: number;
  longitude: number;
  postalCodes: string[];
}

export interface ReferenceData {
  regions: RegionRow[];
  districts: DistrictRow[];
  municipalities: MunicipalityRow[];
}

const DISTRICT_TYPES: Record<string, DistrictType> = { Stadtkreis: 'STADTKREIS', Landkreis: 'LANDKREIS' };

function integer(value: string, what: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`${what}: "${value}" is not a whole number`);
  return Number(value);
}

function decimal(value: string, what: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new Error(`${what}: "${value}" is not a number`);
  return number;
}

/** Reads and cross-checks the two CSV files. Throws on anything inconsistent. */
export function loadReferenceData(dir = dataDir): ReferenceData {
  const municipalityRecords = parseCsvRecords(readFileSync(join(dir, 'bw-municipalities.csv'), 'utf8'), 'bw-municipalities.csv');
  const districtRecords = parseCsvRecords(readFileSync(join(dir, 'bw-districts.csv'), 'utf8'), 'bw-districts.csv');

  // The region name only appears in the municipality file ("Regierungsbezirk Stuttgart"); its
  // code is the AGS's third digit after the Land prefix "08".
  const regions = new Map<string, string>();
  for (const record of municipalityRecords) {
    const code = record.ags!.slice(0, 3);
    const name = record.region!.replace(/^Regierungsbezirk\s+/, '');
    const known = regions.get(code);
    if (known !== undefined && known !== name) throw new Error(`Region ${code} is named both ${known} and ${name}`);
    regions.set(code, name);
  }

  const districts = districtRecords.map((record): DistrictRow => {
    const type = DISTRICT_TYPES[record.type!];
    if (!/^08\d{3}$/.test(record.ags!) || !type) throw new Error(`Bad district row ${JSON.stringify(record)}`);
    const areaKm2 = record.area_km2!.trim();
    decimal(areaKm2, `district ${record.ags} area`);
    return {
      ags: record.ags!,
      name: record.name!,
      type,
      regionCode: record.ags!.slice(0, 3),
      population: integer(record.population!, `district ${record.ags} population`),
      areaKm2,
    };
  });
  const districtsByAgs = new Map(districts.map((district) => [district.ags, district]));

  const municipalities = municipalityRecords.map((record): MunicipalityRow => {
    const ags = record.ags!;
    const district = districtsByAgs.get(record.district_ags!);
    if (!/^08\d{6}$/.test(ags) || !district || !ags.startsWith(district.ags)) {
      throw new Error(`Municipality ${ags} refers to unknown district ${record.district_ags}`);
    }
    if (district.name !== record.district_name || DISTRICT_TYPES[record.district_type!] !== district.type) {
      throw new Error(`Municipality ${ags}: district ${district.ags} is "${district.name}" (${district.type}) in bw-districts.csv`);
    }
    if (!regions.has(district.regionCode)) throw new Error(`District ${district.ags} has no region`);
    return {
      ags,
      name: record.name!,
      districtAgs: district.ags,
      population: integer(record.population!, `municipality ${ags} population`),
      latitude: decimal(record.lat!, `municipality ${ags} lat`),
      longitude: decimal(record.lon!, `municipality ${ags} lon`),
      postalCodes: record.postal_codes!.split(/\s+/).filter(Boolean),
    };
  });

  return {
    regions: [...regions].sort(([a], [b]) => a.localeCompare(b)).map(([code, name]) => ({ code, name })),
    districts,
    municipalities,
  };
}

const REGION_COLUMNS: ColumnSpec[] = [
  ['code', 'text'],
  ['name', 'text'],
];
const DISTRICT_COLUMNS: ColumnSpec[] = [
  ['ags', 'text'],
  ['name', 'text'],
  ['type', '"DistrictType"'],
  ['region_code', 'text'],
  ['population', 'integer'],
  ['area_km2', 'numeric'],
];
const MUNICIPALITY_COLUMNS: ColumnSpec[] = [
  ['ags', 'text'],
  ['name', 'text'],
  ['district_ags', 'text'],
  ['population', 'integer'],
  ['latitude', 'double precision'],
  ['longitude', 'double precision'],
  ['postal_codes', 'text[]'],
];

const updatable = (columns: ColumnSpec[]) => columns.slice(1).map(([name]) => name);

/** Writes regions, districts and municipalities; a corrected CSV updates the rows in place. */
export async function seedReference(sql: SqlExecutor, data: ReferenceData): Promise<void> {
  await insertRows(
    sql,
    'region',
    REGION_COLUMNS,
    data.regions.map((r) => ({ code: r.code, name: r.name })),
    upsertTail('region', 'code', updatable(REGION_COLUMNS)),
  );
  await insertRows(
    sql,
    'district',
    DISTRICT_COLUMNS,
    data.districts.map((d) => ({
      ags: d.ags,
      name: d.name,
      type: d.type,
      region_code: d.regionCode,
      population: d.population,
      area_km2: d.areaKm2,
    })),
    upsertTail('district', 'ags', updatable(DISTRICT_COLUMNS)),
  );
  await insertRows(
    sql,
    'municipality',
    MUNICIPALITY_COLUMNS,
    data.municipalities.map((m) => ({
      ags: m.ags,
      name: m.name,
      district_ags: m.districtAgs,
      population: m.population,
      latitude: m.latitude,
      longitude: m.longitude,
      postal_codes: m.postalCodes,
    })),
    upsertTail('municipality', 'ags', updatable(MUNICIPALITY_COLUMNS)),
  );
}
