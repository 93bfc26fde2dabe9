// A Prisma `select` (as plugin-prisma plans it from the GraphQL selection) compiled into ONE
// PostgreSQL expression that builds the same rows as JSON, so that a raw search can return its page
// with every nested relation in the same statement instead of handing ids to a second, Prisma one.
// The rows decode to what Prisma would return (Date, BigInt, Decimal), so the Pothos resolvers and
// plugin-prisma's loader mappings work on them unchanged.
//
// Only what plugin-prisma plans for pakt's read types is compiled: select/include, to-one and
// to-many relations with where (equals, not, in, notIn, lt, lte, gt, gte, null, AND/OR/NOT,
// to-one relation filters), orderBy (fields and to-one relations), take, skip, and _count. Anything
// else (cursors, distinct, negative take, string filters) makes `compileSelect` return null and
// the caller loads the rows through Prisma instead.
import { Prisma, type PrismaClient } from '@pakt/db';
import { getDatamodel } from '@pakt/db/generated/pothos-types';
import type { SqlParams } from '../pagination.js';

interface FieldMeta {
  name: string;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  /** Column of a scalar or enum field. */
  column: string;
  /** For a relation: the target model, and how the two tables join. */
  relation?: { target: string; name: string; fromFields: readonly string[] };
}

interface ModelMeta {
  name: string;
  table: string;
  fields: Map<string, FieldMeta>;
  /** The single-field primary key, when there is one. */
  id: string | undefined;
}

interface RuntimeDataModel {
  models: Record<string, { dbName: string | null; fields: { name: string; dbName?: string | null }[] }>;
}

let cachedModels: Map<string, ModelMeta> | null | undefined;

/**
 * Table and column names come from the client's runtime data model (Prisma's own mapping of
 * @map/@@map), relations and keys from the datamodel Pothos is built with. Null when the client
 * does not expose the runtime data model (then nothing is compiled).
 */
function modelsOf(prisma: PrismaClient): Map<string, ModelMeta> | null {
  if (cachedModels !== undefined) return cachedModels;
  const runtime = (prisma as unknown as { _runtimeDataModel?: RuntimeDataModel })._runtimeDataModel;
  if (!runtime?.models) {
    cachedModels = null;
    return null;
  }
  const models = new Map<string, ModelMeta>();
  for (const [name, model] of Object.entries(getDatamodel().datamodel.models)) {
    const names = runtime.models[name];
    if (!names) continue;
    const columns = new Map(names.fields.map((f) => [f.name, f.dbName ?? f.name]));
    const fields = new Map<string, FieldMeta>();
    for (const f of model.fields) {
      fields.set(f.name, {
        name: f.name,
        kind: f.kind as FieldMeta['kind'],
        type: f.type,
        isList: f.isList,
        column: columns.get(f.name) ?? f.name,
        ...(f.kind === 'object' ? { relation: { target: f.type, name: f.relationName ?? '', fromFields: f.relationFromFields ?? [] } } : {}),
      });
    }
    const ids = model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);
    models.set(name, { name, table: names.dbName ?? name, fields, id: ids.length === 1 ? ids[0] : undefined });
  }
  cachedModels = models;
  return models;
}

/** Thrown inside the compiler for anything it does not handle; `compileSelect` turns it into null. */
class Unsupported extends Error {}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const OPERATORS: Record<string, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** A parameter value as the drivers take it (a Date as ISO text, so both drivers agree). */
const paramOf = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

export interface CompiledSelect {
  /** SQL for the row's JSON, with `alias` the row's table alias in the enclosing statement. */
  readonly sql: string;
  /** The JSON of one row as Prisma would return it. */
  decode(json: unknown): Record<string, unknown>;
}

type Args = Record<string, unknown>;

class Compiler {
  #aliases = 0;
  constructor(
    readonly models: Map<string, ModelMeta>,
    readonly params: SqlParams,
  ) {}

  model(name: string): ModelMeta {
    const model = this.models.get(name);
    if (!model) throw new Unsupported(`model ${name}`);
    return model;
  }

  alias(): string {
    this.#aliases += 1;
    return `j${this.#aliases}`;
  }

  /** The JSON object of one row of `model` (alias `a`) for a relation argument (`true`, `{ select }` or `{ include }`). */
  object(model: ModelMeta, a: string, args: unknown): string {
    const { select, include } = (args === true ? {} : args) as { select?: Args; include?: Args };
    if (select && include) throw new Unsupported('select and include');
    const entries: [string, string][] = [];
    const scalars = select ? [] : [...model.fields.values()].filter((f) => f.kind === 'scalar' || f.kind === 'enum');
    for (const field of scalars) entries.push([field.name, this.scalar(a, field)]);
    for (const [key, value] of Object.entries(select ?? include ?? {})) {
      if (value === false || value === undefined) continue;
      if (key === '_count') {
        entries.push([key, this.count(model, a, value)]);
        continue;
      }
      const field = model.fields.get(key);
      if (!field) throw new Unsupported(`field ${model.name}.${key}`);
      if (field.kind === 'object') entries.push([key, this.relation(model, a, field, value)]);
      else if (value === true) entries.push([key, this.scalar(a, field)]);
      else throw new Unsupported(`arguments on scalar ${key}`);
    }
    const pairs = (list: [string, string][]) => list.map(([key, sql]) => `'${key}', ${sql}`).join(', ');
    // json (text) is cheaper to build than jsonb; json_build_object takes at most 100 arguments,
    // so a larger object is merged from jsonb parts.
    if (entries.length <= 50) return `json_build_object(${pairs(entries)})`;
    const parts: string[] = [];
    for (let i = 0; i < entries.length; i += 50) parts.push(`jsonb_build_object(${pairs(entries.slice(i, i + 50))})`);
    return `(${parts.join(' || ')})`;
  }

  scalar(a: string, field: FieldMeta): string {
    if (field.kind === 'unsupported') throw new Unsupported(`type of ${field.name}`);
    const column = `${a}.${quote(field.column)}`;
    // Exact as text: JSON numbers would round big integers and decimals.
    if (field.type === 'BigInt' || field.type === 'Decimal') return field.isList ? `${column}::text[]` : `${column}::text`;
    if (field.type === 'Bytes') throw new Unsupported('Bytes');
    return column;
  }

  /** How a relation's rows join the parent row `a`: the condition on the target alias `b`. */
  join(model: ModelMeta, a: string, field: FieldMeta, b: string): { target: ModelMeta; on: string } {
    const relation = field.relation!;
    const target = this.model(relation.target);
    if (relation.fromFields.length > 0) {
      // The foreign key is on this side and references the target's primary key.
      if (relation.fromFields.length !== 1 || !target.id) throw new Unsupported('composite foreign key');
      const fk = model.fields.get(relation.fromFields[0]!)!;
      return { target, on: `${b}.${quote(target.fields.get(target.id)!.column)} = ${a}.${quote(fk.column)}` };
    }
    // The other side holds the key: its field of the same relation with from-fields.
    const back = [...target.fields.values()].find((f) => f.relation && f.relation.name === relation.name && f.relation.fromFields.length > 0 && f !== field);
    if (!back || back.relation!.fromFields.length !== 1 || !model.id) throw new Unsupported(`relation ${field.name}`);
    const fk = target.fields.get(back.relation!.fromFields[0]!)!;
    return { target, on: `${b}.${quote(fk.column)} = ${a}.${quote(model.fields.get(model.id)!.column)}` };
  }

  relation(model: ModelMeta, a: string, field: FieldMeta, value: unknown): string {
    const b = this.alias();
    const { target, on } = this.join(model, a, field, b);
    const args = (value === true ? {} : value) as Args;
    for (const key of Object.keys(args)) {
      if (!['select', 'include', 'where', 'orderBy', 'take', 'skip'].includes(key)) throw new Unsupported(`relation argument ${key}`);
    }
    const object = this.object(target, b, args);
    if (!field.isList) {
      if (args.where || args.orderBy || args.take !== undefined || args.skip !== undefined) throw new Unsupported('arguments on a to-one relation');
      return `(SELECT ${object} FROM ${quote(target.table)} ${b} WHERE ${on} LIMIT 1)`;
    }
    const where = [on, ...(args.where ? [this.where(target, b, args.where as Args)] : [])];
    const order = args.orderBy ? this.orderBy(target, b, args.orderBy) : '';
    const take = args.take;
    const skip = args.skip;
    if (take !== undefined && !(typeof take === 'number' && Number.isInteger(take) && take >= 0)) throw new Unsupported('take');
    if (skip !== undefined && !(typeof skip === 'number' && Number.isInteger(skip) && skip >= 0)) throw new Unsupported('skip');
    const limit = `${take !== undefined ? ` LIMIT ${take}` : ''}${skip ? ` OFFSET ${skip}` : ''}`;
    // As Prisma does: the ordered, limited rows in a subquery, aggregated in that order.
    return `(SELECT COALESCE(json_agg(r.row), '[]'::json) FROM (SELECT ${object} AS row FROM ${quote(target.table)} ${b} WHERE ${where.join(' AND ')}${order ? ` ORDER BY ${order}` : ''}${limit}) r)`;
  }

  count(model: ModelMeta, a: string, value: unknown): string {
    const select = (value as { select?: Args }).select;
    if (!select) throw new Unsupported('_count without select');
    const entries: string[] = [];
    for (const [key, arg] of Object.entries(select)) {
      if (arg === false) continue;
      const field = model.fields.get(key);
      if (!field?.relation || !field.isList) throw new Unsupported(`_count of ${key}`);
      const b = this.alias();
      const { target, on } = this.join(model, a, field, b);
      const where = arg === true ? undefined : (arg as { where?: Args }).where;
      entries.push(`'${key}', (SELECT count(*)::int FROM ${quote(target.table)} ${b} WHERE ${on}${where ? ` AND ${this.where(target, b, where)}` : ''})`);
    }
    return `json_build_object(${entries.join(', ')})`;
  }

  where(model: ModelMeta, a: string, where: Args): string {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue;
      if (key === 'AND' || key === 'OR' || key === 'NOT') {
        const list = (Array.isArray(value) ? value : [value]) as Args[];
        const each = list.map((w) => `(${this.where(model, a, w)})`);
        if (key === 'AND') parts.push(each.length ? each.join(' AND ') : 'true');
        else if (key === 'OR') parts.push(each.length ? `(${each.join(' OR ')})` : 'false');
        else parts.push(each.length ? `NOT (${each.join(' OR ')})` : 'true');
        continue;
      }
      const field = model.fields.get(key);
      if (!field) throw new Unsupported(`filter on ${key}`);
      if (field.kind === 'object') parts.push(this.relationFilter(model, a, field, value));
      else parts.push(this.scalarFilter(`${a}.${quote(field.column)}`, field, value));
    }
    return parts.length ? parts.join(' AND ') : 'true';
  }

  scalarFilter(column: string, field: FieldMeta, value: unknown): string {
    if (field.isList) throw new Unsupported('filter on a list');
    if (value === null) return `${column} IS NULL`;
    if (typeof value !== 'object' || value instanceof Date) return `${column} = ${this.params.add(paramOf(value))}`;
    const parts: string[] = [];
    for (const [op, operand] of Object.entries(value as Args)) {
      if (operand === undefined) continue;
      if (op === 'equals') parts.push(this.scalarFilter(column, field, operand));
      else if (op === 'not') {
        // Prisma's `not: v` keeps NULLs out, as SQL's <> does.
        if (operand === null) parts.push(`${column} IS NOT NULL`);
        else if (typeof operand === 'object' && !(operand instanceof Date)) parts.push(`NOT (${this.scalarFilter(column, field, operand)})`);
        else parts.push(`${column} <> ${this.params.add(paramOf(operand))}`);
      } else if (op === 'in' || op === 'notIn') {
        if (!Array.isArray(operand)) throw new Unsupported(op);
        const list = this.params.add(operand.map(paramOf));
        parts.push(op === 'in' ? `${column} = ANY(${list})` : `NOT (${column} = ANY(${list}))`);
      } else if (OPERATORS[op]) parts.push(`${column} ${OPERATORS[op]} ${this.params.add(paramOf(operand))}`);
      else throw new Unsupported(`operator ${op}`);
    }
    return parts.length ? parts.join(' AND ') : 'true';
  }

  relationFilter(model: ModelMeta, a: string, field: FieldMeta, value: unknown): string {
    if (field.isList) throw new Unsupported('filter on a to-many relation');
    const b = this.alias();
    const { target, on } = this.join(model, a, field, b);
    if (value === null) return `NOT EXISTS (SELECT 1 FROM ${quote(target.table)} ${b} WHERE ${on})`;
    const args = value as Args;
    const is = 'is' in args || 'isNot' in args ? args : { is: args };
    const parts: string[] = [];
    if (is.is !== undefined) {
      parts.push(
        is.is === null
          ? `NOT EXISTS (SELECT 1 FROM ${quote(target.table)} ${b} WHERE ${on})`
          : `EXISTS (SELECT 1 FROM ${quote(target.table)} ${b} WHERE ${on} AND ${this.where(target, b, is.is as Args)})`,
      );
    }
    if (is.isNot !== undefined) throw new Unsupported('isNot');
    return parts.join(' AND ') || 'true';
  }

  orderBy(model: ModelMeta, a: string, orderBy: unknown): string {
    const list = (Array.isArray(orderBy) ? orderBy : [orderBy]) as Args[];
    const terms: string[] = [];
    for (const entry of list) {
      for (const [key, value] of Object.entries(entry)) {
        const field = model.fields.get(key);
        if (!field) throw new Unsupported(`order by ${key}`);
        if (field.kind === 'object') {
          if (field.isList) throw new Unsupported('order by a to-many relation');
          const b = this.alias();
          const { target, on } = this.join(model, a, field, b);
          for (const [inner, direction] of Object.entries(value as Args)) {
            const column = target.fields.get(inner);
            if (!column || column.kind === 'object') throw new Unsupported(`order by ${key}.${inner}`);
            terms.push(`(SELECT ${b}.${quote(column.column)} FROM ${quote(target.table)} ${b} WHERE ${on}) ${this.direction(direction)}`);
          }
        } else {
          terms.push(`${a}.${quote(field.column)} ${this.direction(value)}`);
        }
      }
    }
    return terms.join(', ');
  }

  direction(value: unknown): string {
    if (value === 'asc' || value === 'desc') return value.toUpperCase();
    const { sort, nulls } = (value ?? {}) as { sort?: string; nulls?: string };
    if ((sort !== 'asc' && sort !== 'desc') || (nulls !== undefined && nulls !== 'first' && nulls !== 'last')) throw new Unsupported('order');
    return `${sort.toUpperCase()}${nulls ? ` NULLS ${nulls.toUpperCase()}` : ''}`;
  }
}

/** Converts a row's JSON to Prisma's types, walking the same selection the SQL was built from. */
function decoder(models: Map<string, ModelMeta>, model: ModelMeta, args: unknown): (row: Record<string, unknown>) => Record<string, unknown> {
  const { select, include } = (args === true ? {} : args) as { select?: Args; include?: Args };
  const steps: ((row: Record<string, unknown>) => void)[] = [];
  const scalarStep = (field: FieldMeta) => {
    const convert =
      field.type === 'DateTime'
        ? (v: unknown) => new Date(v as string)
        : field.type === 'BigInt'
          ? (v: unknown) => BigInt(v as string)
          : field.type === 'Decimal'
            ? (v: unknown) => new Prisma.Decimal(v as string)
            : field.type === 'Float'
              ? (v: unknown) => (typeof v === 'string' ? Number(v) : v)
              : undefined;
    if (!convert) return;
    const key = field.name;
    steps.push((row) => {
      const v = row[key];
      if (v === null || v === undefined) return;
      row[key] = Array.isArray(v) ? v.map(convert) : convert(v);
    });
  };
  if (!select) for (const field of model.fields.values()) if (field.kind === 'scalar' || field.kind === 'enum') scalarStep(field);
  for (const [key, value] of Object.entries(select ?? include ?? {})) {
    if (value === false || value === undefined || key === '_count') continue;
    const field = model.fields.get(key)!;
    if (field.kind !== 'object') {
      scalarStep(field);
      continue;
    }
    const nested = decoder(models, models.get(field.relation!.target)!, value);
    steps.push((row) => {
      const v = row[key];
      if (Array.isArray(v)) row[key] = v.map((item) => nested(item as Record<string, unknown>));
      else if (v !== null && v !== undefined) row[key] = nested(v as Record<string, unknown>);
    });
  }
  return (row) => {
    for (const step of steps) step(row);
    return row;
  };
}

/**
 * The JSON expression for one row of `modelName` aliased `alias`, selecting what `query` (a
 * Prisma `{ select }` or `{ include }`) selects, with its values added to `params`; null when the
 * query holds something this compiler does not handle (load through Prisma then).
 */
export function compileSelect(prisma: PrismaClient, modelName: string, query: unknown, alias: string, params: SqlParams): CompiledSelect | null {
  const models = modelsOf(prisma);
  if (!models) return null;
  const model = models.get(modelName);
  if (!model) return null;
  const mark = params.values.length;
  try {
    const sql = new Compiler(models, params).object(model, alias, query);
    const decode = decoder(models, model, query);
    return { sql, decode: (json) => decode((typeof json === 'string' ? JSON.parse(json) : json) as Record<string, unknown>) };
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    params.values.length = mark;
    return null;
  }
}
