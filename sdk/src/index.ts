// @pakt-bw/sdk: the typed client of the pakt GraphQL API. This file only re-exports.
export { createClient } from './client.js';
export type {
  AdjustSeatsOptions,
  ChangesFollowOptions,
  ChangesListOptions,
  ContactSyncOptions,
  ContactSyncResult,
  CreatedApiKey,
  MunicipalityContact,
  MunicipalityPage,
  OfferChangePage,
  OfferIterateOptions,
  OfferSearchEdge,
  OfferSearchOptions,
  OfferSearchPage,
  OfferSyncReport,
  OfferSyncResult,
  OfferUpsertOptions,
  OfferUpsertResult,
  PageOptions,
  PaktClient,
  ProgrammeWithLines,
  ProviderDetails,
  RevokedApiKey,
  VersionOptions,
  ViewerDetails,
  WebhookDeliveryPage,
  WebhookEndpointOptions,
  WebhookEndpointPage,
  WriteOptions,
  CreatedWebhookEndpoint,
  CreatedPublicWebhookEndpoint,
} from './client.js';
export { verifyWebhook } from './webhooks.js';
export type {
  OfferWebhookData,
  OfferWebhookEventType,
  SlotWebhookData,
  SlotWebhookEventType,
  VerificationWebhookData,
  VerifyWebhookOptions,
  WebhookEvent,
  WebhookEventType,
  WebhookHeaders,
} from './webhooks.js';
export { defaults, SDK_VERSION } from './defaults.js';
export { syncLimits, type SyncLimits } from './limits.js';
export type { RetryOptions } from './defaults.js';
export type { OperationInfo, PaktDocument } from './document.js';
export {
  PaktAuthError,
  PaktConflictError,
  PaktDeletionLimitError,
  PaktError,
  PaktGraphQLError,
  PaktHttpError,
  PaktNetworkError,
  PaktPaginationError,
  PaktRateLimitError,
  PaktTimeoutError,
  PaktUnavailableError,
  PaktWebhookVerificationError,
} from './errors.js';
export type { GraphQLErrorEntry, PaktErrorOptions, PaktRequestInfo, UserError } from './errors.js';
export type { ConnectionPage } from './paginate.js';
export type { FollowedChange, FollowOptions } from './follow.js';
export type {
  DeletionPreview,
  OffersSyncOptions,
  SyncBatchInfo,
  SyncCounts,
  SyncItemResultLike,
  SyncOptions,
  SyncProgress,
  SyncReport,
  SyncStatus,
} from './sync.js';
export type { ClientOptions, FetchLike, RequestArgs, RequestOptions } from './types.js';
export type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
// The generated operation types (`OfferSummaryFragment`, `OfferFilter`, `OfferCategory`, …) and
// typed documents (`SearchOffersDocument`, …) of the SDK's own operations.
export * from './generated/graphql.js';
