/**
 * Cases on DynamoDB: the CASE item of a case's partition (`C#<case id>`), with the keys of three
 * indexes written beside it (table.ts): byRegionState for the staff API's lists, byDeadline (sparse:
 * only a case that waits) for the deadline sweep, bySubject for a person's, unit's or region's cases.
 *
 * `commit` and the intake's `alongside` write cases and enrollments in one transaction with the
 * change they belong to (`atomicWrite`); `updateCase` is read, change, conditional write, retried
 * on conflict.
 */
import { type CalendarDate, isValidDate } from '#domain/calendar.js';
import { maskIdentity as maskIdentityKey } from '#domain/identity.js';
import type {
  ArrearsMonthClaim,
  AtomicChange,
  CaseRepository,
  Page,
  PageOptions,
  UpdateOptions,
} from '../case-store.js';
import { ConflictError, NotFoundError, StoreValidationError } from '../errors.js';
import {
  arrearsMonthSk,
  casePk,
  deadlinePk,
  deadlineSk,
  personPk,
  regionStatePk,
  regionStateSk,
  SK,
  subjectPk,
  subjectSk,
} from '../keys.js';
import {
  type Case,
  type CaseFields,
  type CaseInput,
  type CaseSubject,
  type CaseType,
  CLOSED_STATES,
  type ChangeContext,
  caseInput,
  identityKey as identityKeySchema,
} from '../model.js';
import { INDEX } from '../table.js';
import { fromItem, type Item, parse, type StoreContext, toItem, type Write } from './common.js';
import type { DynamoEnrollments } from './enrollments.js';
import { DynamoRepository } from './repository.js';

export class DynamoCases extends DynamoRepository implements CaseRepository {
  constructor(
    context: StoreContext,
    private readonly enrollments: DynamoEnrollments,
  ) {
    super(context);
  }

  private caseItem(c: Case): Item {
    const waiting = c.wait !== null && !CLOSED_STATES.has(c.state);
    return toItem({
      pk: casePk(c.caseId),
      sk: SK.case,
      type: 'case',
      gsi1pk: regionStatePk(c.region, c.state),
      gsi1sk: regionStateSk(c.caseType, c.openedOn, c.caseId),
      // Sparse deadline index: only a case that waits is in it; a Put without these removes it.
      ...(waiting ? { gsi2pk: deadlinePk(c.region, c.wait!.until), gsi2sk: deadlineSk(c.caseType, c.caseId) } : {}),
      gsi3pk: subjectPk(c.subject),
      gsi3sk: subjectSk(c.openedOn, c.caseType, c.caseId),
      ...c,
    });
  }

  private caseWrite(
    input: CaseInput,
    expectedVersion: number | null,
    ctx: ChangeContext,
  ): { write: Write; case: Case } {
    const fields: CaseFields = parse(caseInput, input, 'case');
    const c: Case = { ...fields, version: (expectedVersion ?? 0) + 1, updatedAt: this.now().toISOString() };
    const pk = casePk(c.caseId);
    const action = expectedVersion === null ? 'case-opened' : 'case-saved';
    return {
      case: c,
      write: {
        actions: [
          this.versionedPut(this.caseItem(c), expectedVersion),
          this.auditAction(pk, `case:${c.caseId}`, `${action}:${c.state}`, ctx, { [`case:${c.caseId}`]: c.version }),
        ],
        labels: [
          { entity: 'case', id: c.caseId, expectedVersion, guard: expectedVersion === null ? 'create' : 'version' },
          { entity: 'audit', id: c.caseId, expectedVersion: null, guard: 'append' },
        ],
      },
    };
  }

  /** The write of one case or enrollment that goes in another change's transaction (ledger.ts uses it too). */
  atomicWrite(change: AtomicChange, ctx: ChangeContext): Write {
    switch (change.kind) {
      case 'case':
        return this.caseWrite(change.case, change.expectedVersion, ctx).write;
      case 'enrollment':
        return this.enrollments.enrollmentWrite(change.enrollment, change.expectedVersion, ctx).write;
      case 'arrears-month':
        return this.arrearsMonthWrite(change);
    }
  }

  /**
   * one fee month of an enrollment taken by one arrears case. The condition lets the same case write
   * it again (a retried change) and refuses any other case: the month is already in that one's arrears.
   * No audit record of its own: it is part of the case change it goes with, which has one.
   */
  private arrearsMonthWrite(claim: ArrearsMonthClaim): Write {
    parse(identityKeySchema, claim.identityKey, 'arrears month');
    if (!/^\d{4}-\d{2}$/.test(claim.feeMonth))
      throw new StoreValidationError('arrears month', [{ path: 'feeMonth', message: 'must be YYYY-MM' }]);
    return {
      actions: [
        this.put(
          toItem({
            pk: personPk(claim.identityKey),
            sk: arrearsMonthSk(claim.enrollmentId, claim.feeMonth),
            type: 'arrears-month',
            enrollmentId: claim.enrollmentId,
            feeMonth: claim.feeMonth,
            caseId: claim.caseId,
            claimedAt: this.now().toISOString(),
          }),
          'attribute_not_exists(pk) OR caseId = :caseId',
          { ':caseId': { S: claim.caseId } },
        ),
      ],
      labels: [
        {
          entity: 'arrears-month',
          id: `${maskIdentityKey(claim.identityKey)}/${claim.enrollmentId}/${claim.feeMonth}`,
          expectedVersion: null,
          guard: 'create',
        },
      ],
    };
  }

  async arrearsCaseOfMonth(identityKey: string, enrollmentId: string, feeMonth: string): Promise<string | null> {
    const item = await this.getItem(
      'arrearsCaseOfMonth',
      personPk(identityKey),
      arrearsMonthSk(enrollmentId, feeMonth),
    );
    return item ? fromItem<{ caseId: string }>(item).caseId : null;
  }

  async openCase(input: CaseInput, ctx: ChangeContext): Promise<Case> {
    const w = this.caseWrite(input, null, ctx);
    await this.transact('openCase', w.write);
    return w.case;
  }

  async saveCase(input: CaseInput, expectedVersion: number, ctx: ChangeContext): Promise<Case> {
    const w = this.caseWrite(input, expectedVersion, ctx);
    await this.transact('saveCase', w.write);
    return w.case;
  }

  async getCase(caseId: string): Promise<Case> {
    const item = await this.getItem('getCase', casePk(caseId), SK.case);
    if (!item) throw new NotFoundError('case', caseId);
    return fromItem<Case>(item);
  }

  async updateCase(
    caseId: string,
    change: (c: Case) => CaseInput | null,
    ctx: ChangeContext | ((c: Case) => ChangeContext),
    options: UpdateOptions = {},
  ): Promise<Case> {
    const maxAttempts = options.maxAttempts ?? 10;
    for (let attempt = 1; ; attempt++) {
      const current = await this.getCase(caseId);
      const next = change(current);
      if (next === null) return current;
      if (next.caseId !== caseId)
        throw new StoreValidationError('case', [{ path: 'caseId', message: 'an update cannot change the case id' }]);
      try {
        return await this.saveCase(next, current.version, typeof ctx === 'function' ? ctx(current) : ctx);
      } catch (e) {
        if (!(e instanceof ConflictError) || attempt >= maxAttempts) throw e;
        await this.db.pause(attempt);
      }
    }
  }

  async commit(changes: readonly AtomicChange[], ctx: ChangeContext): Promise<void> {
    if (changes.length === 0) return;
    const write: Write = { actions: [], labels: [] };
    for (const c of changes) {
      const w = this.atomicWrite(c, ctx);
      write.actions.push(...w.actions);
      write.labels.push(...w.labels);
    }
    await this.transact('commit', write);
  }

  async casesByRegionState(
    region: string,
    state: string,
    options: PageOptions & { caseType?: CaseType } = {},
  ): Promise<Page<Case>> {
    const page = await this.queryPage(
      'casesByRegionState',
      {
        IndexName: INDEX.byRegionState,
        KeyConditionExpression: options.caseType ? 'gsi1pk = :pk AND begins_with(gsi1sk, :t)' : 'gsi1pk = :pk',
        ExpressionAttributeValues: {
          ':pk': { S: regionStatePk(region, state) },
          ...(options.caseType ? { ':t': { S: `${options.caseType}#` } } : {}),
        },
      },
      options,
    );
    return { items: page.items.map((i) => fromItem<Case>(i)), ...(page.cursor ? { cursor: page.cursor } : {}) };
  }

  async casesExpiringOn(region: string, date: CalendarDate, options: PageOptions = {}): Promise<Page<Case>> {
    if (!isValidDate(date)) throw new StoreValidationError('date', [{ path: 'date', message: 'must be YYYY-MM-DD' }]);
    const page = await this.queryPage(
      'casesExpiringOn',
      {
        IndexName: INDEX.byDeadline,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: deadlinePk(region, date) } },
      },
      options,
    );
    return { items: page.items.map((i) => fromItem<Case>(i)), ...(page.cursor ? { cursor: page.cursor } : {}) };
  }

  async casesOf(subject: CaseSubject, options: PageOptions = {}): Promise<Page<Case>> {
    const page = await this.queryPage(
      'casesOf',
      {
        IndexName: INDEX.bySubject,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: subjectPk(subject) } },
      },
      options,
    );
    return { items: page.items.map((i) => fromItem<Case>(i)), ...(page.cursor ? { cursor: page.cursor } : {}) };
  }
}
