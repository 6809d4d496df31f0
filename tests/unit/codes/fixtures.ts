import type { EntryRecord } from '../../../src/domain/schemas';
import { usccCheckChar } from '../../../src/domain/uscc';

const U = '91140302MA0K1A2B3';
export const entry = (by = 'u-insp-1'): EntryRecord => ({
  id: 'e-0001',
  uscc: U + usccCheckChar(U),
  at: '2025-06-03T09:15:00+08:00',
  by,
  type: 'entry',
  agencyId: 'scjg-cq',
  taskId: 'T-1',
  kind: { type: 'planned', planned: 'routine' },
  team: [
    { inspectorId: 'i-001', name: '王建国', certificateNumber: '14030200123', certificateValid: true },
    { inspectorId: 'i-002', name: '李红梅', certificateNumber: '14030200456', certificateValid: true },
  ],
  itemIds: ['item-1'],
  via: 'scan',
  exemptions: [],
  device: 'dev-1',
  conductAcknowledged: true,
});
