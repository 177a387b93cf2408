/**
 * The two guards of the store that make ids unique across writers (docs/data-model.md): a tax bureau
 * notification id bound to its content (`NOTIFICATION#<id>`), and a fee month of an enrollment held by one
 * arrears case (`ARREARS#<enrollment>#<month>`, written with the case).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newArrearsCase, openArrearsCase } from '#app/cases/arrears.js';
import { AlreadyExistsError } from '#store/errors.js';
import type { DynamoWorkflowStore } from '#store/workflow-store.js';
import { type LocalDynamo, startDynamoDbLocal } from '../support/dynamodb-local.js';
import { idNumber, staff, storeOn } from './support.js';

let local: LocalDynamo;
let store: DynamoWorkflowStore;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  store = storeOn(local);
});
afterAll(() => local?.stop());

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

describe('the notification guard', () => {
  it('claims an id once: the same content again is `same`, other content a `conflict` that writes nothing', async () => {
    const claim = { notificationId: 'DW-GUARD-1', contentHash: hash('first'), persons: 2 };
    expect(await store.claimNotification(claim, staff)).toEqual({ outcome: 'claimed', notificationId: 'DW-GUARD-1' });
    expect(await store.claimNotification(claim, staff)).toEqual({ outcome: 'same', notificationId: 'DW-GUARD-1' });
    const other = await store.claimNotification({ ...claim, contentHash: hash('second') }, staff);
    expect(other).toMatchObject({ outcome: 'conflict', notificationId: 'DW-GUARD-1' });
    // The first content still stands.
    expect(await store.claimNotification(claim, staff)).toMatchObject({ outcome: 'same' });
  });

  it('refuses a claim without a SHA-256 content hash', async () => {
    await expect(
      store.claimNotification({ notificationId: 'DW-GUARD-2', contentHash: 'abc', persons: 1 }, staff),
    ).rejects.toThrow(/SHA-256/);
  });
});

describe('the arrears month', () => {
  it('is held by one case: another case that takes it is refused, the same case may write it again', async () => {
    const identityKey = `CN:${idNumber()}`;
    const data = {
      identityKey,
      enrollmentId: 'E1',
      mode: 'unit' as const,
      months: [{ feeMonth: '2026-09', baseFen: 600_000, paidFen: 0 }],
      firstUnpaidDay: '2026-09-01',
    };
    const first = newArrearsCase({
      key: { identityKey, enrollmentId: 'E1', feeMonth: '2026-09' },
      region: '220100',
      openedOn: '2026-10-01',
      wait: null,
      data,
    });
    expect((await openArrearsCase(store, first, staff)).outcome).toBe('opened');
    expect((await openArrearsCase(store, first, staff)).outcome).toBe('existing');
    expect(await store.arrearsCaseOfMonth(identityKey, 'E1', '2026-09')).toBe(first.caseId);
    expect(await store.arrearsCaseOfMonth(identityKey, 'E1', '2026-10')).toBeNull();

    // A B-4 case of the same enrollment taking the same month: held by the first, nothing written.
    const b4 = newArrearsCase({
      key: { bankruptcyCaseId: 'bankruptcy-x', identityKey, enrollmentId: 'E1' },
      region: '220100',
      openedOn: '2027-01-01',
      wait: null,
      data: { ...data, deferredUntil: '2026-12-31', bankruptcyCaseId: 'bankruptcy-x' },
    });
    expect(await openArrearsCase(store, b4, staff)).toEqual({
      outcome: 'held',
      heldBy: first.caseId,
      feeMonth: '2026-09',
    });
    await expect(store.getCase(b4.caseId)).rejects.toThrow();

    // At the store's seam: the claim goes with the case, all or nothing.
    await expect(
      store.commit(
        [
          { kind: 'case', case: { ...first, caseId: 'arrears-other-1' }, expectedVersion: null },
          { kind: 'arrears-month', identityKey, enrollmentId: 'E1', feeMonth: '2026-09', caseId: 'arrears-other-1' },
        ],
        staff,
      ),
    ).rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(store.getCase('arrears-other-1')).rejects.toThrow();
  });
});
