/** The case store: repository interfaces, the DynamoDB implementation, the table definition and typed errors. */
export * from './case-store.js';
export { DEFAULT_RETRY, type RequestEvent, type RequestObserver, type RetryPolicy } from './dynamo-client.js';
export { DynamoCaseStore, type DynamoCaseStoreOptions, retryOnConflict } from './dynamo-store.js';
export * from './errors.js';
export { maskIdentity as maskIdentityKey } from '#domain/identity.js';
export * from './model.js';
export { ensureCaseTable } from './provision.js';
export { appliedRules, coverPeriodFromWaitingPeriod } from './cover.js';
export { statusOnDate } from './status.js';
export { CASE_TABLE, createTableInput, INDEX, type TableDescription, timeToLiveInput } from './table.js';
export { DynamoWorkflowStore } from './workflow-store.js';
export * from './workflow-model.js';
