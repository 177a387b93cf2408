/**
 * Enrollments on DynamoDB: `ENR#<enrollment id>` items of the person's partition, so a person's
 * enrollments (and with them the status on any date) are one Query. Each item carries the status of
 * the day it was written beside its dated status history; every replace is conditional on the version
 * it was read at and goes with its audit record in one transaction.
 */
import { type CalendarDate, isValidDate, todayCst } from '#domain/calendar.js';
import { maskIdentity as maskIdentityKey } from '#domain/identity.js';
import type { EnrollmentRepository } from '../case-store.js';
import { NotFoundError, StoreValidationError } from '../errors.js';
import { enrollmentSk, personPk, SK } from '../keys.js';
import {
  type ChangeContext,
  type Enrollment,
  type EnrollmentInput,
  type EnrollmentStatus,
  enrollmentInput,
  identityKey as identityKeySchema,
  type StatusOnDate,
} from '../model.js';
import { statusOnDate } from '../status.js';
import { fromItem, parse, toItem, type Write } from './common.js';
import { DynamoRepository } from './repository.js';

/** The current status: the last change that has begun by `today` (the first one if none has). */
function currentStatus(e: EnrollmentInput, today: CalendarDate): EnrollmentStatus {
  let s = e.statusHistory[0]!.status;
  for (const c of e.statusHistory) if (c.from <= today) s = c.status;
  return s;
}

export class DynamoEnrollments extends DynamoRepository implements EnrollmentRepository {
  /** The enrollment and its audit record as one write; cases.ts adds it to `commit` and intake transactions. */
  enrollmentWrite(
    input: EnrollmentInput,
    expectedVersion: number | null,
    ctx: ChangeContext,
  ): { write: Write; enrollment: Enrollment } {
    const e = parse(enrollmentInput, input, 'enrollment');
    const at = this.now();
    const enrollment: Enrollment = {
      ...e,
      status: currentStatus(e, todayCst(at.getTime())),
      version: (expectedVersion ?? 0) + 1,
      updatedAt: at.toISOString(),
    };
    const pk = personPk(e.identityKey);
    const id = `${maskIdentityKey(e.identityKey)}/${e.enrollmentId}`;
    return {
      enrollment,
      write: {
        actions: [
          this.versionedPut(
            toItem({ pk, sk: enrollmentSk(e.enrollmentId), type: 'enrollment', ...enrollment }),
            expectedVersion,
          ),
          this.auditAction(
            pk,
            `enrollment:${e.enrollmentId}`,
            expectedVersion === null ? 'enrollment-created' : 'enrollment-saved',
            ctx,
            {
              [`enrollment:${e.enrollmentId}`]: enrollment.version,
            },
          ),
        ],
        labels: [
          { entity: 'enrollment', id, expectedVersion, guard: expectedVersion === null ? 'create' : 'version' },
          { entity: 'audit', id, expectedVersion: null, guard: 'append' },
        ],
      },
    };
  }

  async createEnrollment(enrollment: EnrollmentInput, ctx: ChangeContext): Promise<Enrollment> {
    const w = this.enrollmentWrite(enrollment, null, ctx);
    await this.transact('createEnrollment', w.write);
    return w.enrollment;
  }

  async saveEnrollment(enrollment: EnrollmentInput, expectedVersion: number, ctx: ChangeContext): Promise<Enrollment> {
    const w = this.enrollmentWrite(enrollment, expectedVersion, ctx);
    await this.transact('saveEnrollment', w.write);
    return w.enrollment;
  }

  async getEnrollment(identityKey: string, enrollmentId: string): Promise<Enrollment> {
    const item = await this.getItem('getEnrollment', personPk(identityKey), enrollmentSk(enrollmentId));
    if (!item) throw new NotFoundError('enrollment', `${maskIdentityKey(identityKey)}/${enrollmentId}`);
    return fromItem<Enrollment>(item);
  }

  async listEnrollments(identityKey: string): Promise<Enrollment[]> {
    const items = await this.queryAll('listEnrollments', {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': { S: personPk(identityKey) }, ':prefix': { S: SK.enrollmentPrefix } },
      ConsistentRead: true,
    });
    return items.map((i) => fromItem<Enrollment>(i));
  }

  async statusOn(identityKey: string, date: CalendarDate): Promise<StatusOnDate> {
    parse(identityKeySchema, identityKey, 'identity key');
    if (!isValidDate(date)) throw new StoreValidationError('date', [{ path: 'date', message: 'must be YYYY-MM-DD' }]);
    return statusOnDate(await this.listEnrollments(identityKey), date);
  }
}
