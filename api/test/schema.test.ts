// schema/schema.graphql is what the code produces (run `pnpm --filter @pakt/api schema:print`
// after changing the schema), and the schema documents itself: every type, field, argument and
// enum value has a description, because partners read it as the API's documentation.
import { readFileSync } from 'node:fs';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isUnionType, isIntrospectionType, isSpecifiedScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema, schemaFile } from '../src/print.js';
import { schema } from '../src/schema/index.js';

describe('schema', () => {
  it('matches the committed schema/schema.graphql', () => {
    const committed = readFileSync(schemaFile, 'utf8');
    expect(committed, 'schema/schema.graphql is out of date: run `pnpm --filter @pakt/api schema:print`').toBe(printedSchema());
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
      if (isUnionType(type) || isScalarType(type)) continue;
    }
    expect(missing).toEqual([]);
  });

  it('has the read API, the viewer, the change feed and the partner writes of the contract', () => {
    expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual(
      [
        'district',
        'districts',
        'languages',
        'municipalities',
        'municipality',
        'node',
        'nodes',
        'offer',
        'offerChanges',
        'offers',
        'programme',
        'programmes',
        'provider',
        'providers',
        'regions',
        'slots',
        'targetGroups',
        'viewer',
        'webhookEndpoint',
        'webhookEndpoints',
      ].sort(),
    );
    expect(Object.keys(schema.getMutationType()!.getFields()).sort()).toEqual(
      [
        'adjustSlotSeats',
        'createApiKey',
        'deleteOffer',
        'publishOffer',
        'revokeApiKey',
        'syncOffers',
        'unpublishOffer',
        'updateSlotSeats',
        'upsertOffer',
        'syncContacts',
        'createPublicWebhookEndpoint',
        'createWebhookEndpoint',
        'deleteWebhookEndpoint',
        'replayWebhookDeliveries',
        'replayWebhookDelivery',
        'rotateWebhookEndpointSecret',
        'updateWebhookEndpoint',
      ].sort(),
    );
  });
});
