/** The tax-payment intake: the service the Lambda and the local runtime call, and its contracts. */
export {
  type OpenedArrears,
  type PaymentReceived,
  paymentFacts,
  type ResumeOutcome,
  waitsFor,
} from './cases.js';
export { type CoverOutcome, enrollmentFor, waitingPeriodFacts } from './cover.js';
export { arrearsCaseId, contentHashOf, INTAKE_ACTOR, PAYMENT_WAITS } from './ids.js';
export {
  createPaymentIntake,
  IntakeIncompleteError,
  type MessageOutcome,
  NotificationConflictError,
  type PaymentIntake,
  type PersonOutcome,
} from './service.js';
export type { Decide, IntakeDeps, IntakeLog } from './types.js';
