/** The one table definition, as a CreateTable request, and the key helpers that must sort as read. */
import { describe, expect, it } from 'vitest';
import { auditSk, deadlinePk, ledgerSk, ledgerVersionSk } from '#store/keys.js';
import { maskIdentityKey } from '#store/index.js';
import { CASE_TABLE, createTableInput, INDEX, timeToLiveInput } from '#store/table.js';

describe('createTableInput', () => {
  const input = createTableInput(CASE_TABLE, { tableName: 'x', deletionProtection: false });

  it('declares each key attribute once, as a string', () => {
    const names = input.AttributeDefinitions!.map((a) => a.AttributeName);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'pk', 'sk']);
    expect(input.AttributeDefinitions!.every((a) => a.AttributeType === 'S')).toBe(true);
  });

  it('has the base keys, the three indexes, the stream and on-demand billing', () => {
    expect(input.TableName).toBe('x');
    expect(input.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(input.GlobalSecondaryIndexes!.map((i) => i.IndexName)).toEqual(Object.values(INDEX));
    expect(input.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(input.BillingMode).toBe('PAY_PER_REQUEST');
    expect(input.DeletionProtectionEnabled).toBe(false);
    expect(createTableInput().DeletionProtectionEnabled).toBe(true);
  });

  it('switches TTL on for the one TTL attribute', () => {
    expect(timeToLiveInput(CASE_TABLE, 'x')).toEqual({
      TableName: 'x',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
    });
  });
});

describe('keys', () => {
  it('fee months and versions sort in calendar order', () => {
    const months = ['2026-10', '2025-12', '2026-02'].map((m) => ledgerSk('employee', m)).sort();
    expect(months).toEqual(['LEDGER#E#2025-12', 'LEDGER#E#2026-02', 'LEDGER#E#2026-10']);
    expect(ledgerVersionSk('employee', '2026-03', 2) < ledgerVersionSk('employee', '2026-03', 10)).toBe(true);
    expect(ledgerSk('resident', '2027')).toBe('LEDGER#R#2027');
  });

  it('audit records sort by time; deadlines partition by region and day', () => {
    expect(auditSk('2026-01-02T00:00:00.000Z', 'a') < auditSk('2026-01-10T00:00:00.000Z', 'a')).toBe(true);
    expect(deadlinePk('220100', '2026-06-29')).toBe('DUE#220100#2026-06-29');
  });

  it('masks identity keys', () => {
    expect(maskIdentityKey('CN:220102199003071234')).toBe('CN:220102********1234');
    expect(maskIdentityKey('PP:USA:E1234567')).toBe('PP:USA:******67');
  });
});
