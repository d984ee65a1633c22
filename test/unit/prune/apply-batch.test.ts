/** apply's target batching: one call per target group batch; dependents follow their batch. */
import { describe, expect, it } from 'vitest';
import { batchTargetChanges, expandBatches } from '../../../src/apply/targets.ts';
import type { Change, ChangeResult } from '../../../src/model.ts';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';

function target(
  address: string,
  kind: 'register_targets' | 'deregister_targets',
  id: string,
  dependsOn: string[] = [],
): Change {
  return {
    address,
    type: 'target',
    action: kind === 'register_targets' ? 'register' : 'deregister',
    id: `${id}:80`,
    before: null,
    after: null,
    reason: '',
    scope: { region: 'us-east-1' },
    dependsOn,
    operation: { kind, targetGroupArn: TG, targets: [{ id, port: 80 }] },
  };
}

describe('batchTargetChanges', () => {
  it('merges a target group’s registrations into batches and points dependents at them', () => {
    const changes = [
      target('r1', 'register_targets', 'i-1'),
      target('r2', 'register_targets', 'i-2'),
      target('r3', 'register_targets', 'i-3'),
      target('d1', 'deregister_targets', 'i-9', ['r1', 'r2', 'r3']),
    ];
    const { units, members } = batchTargetChanges(changes, 2);
    expect(units.map((u) => [u.address, u.dependsOn, u.operation])).toEqual([
      [
        `batch:0:register_targets:${TG}`,
        [],
        {
          kind: 'register_targets',
          targetGroupArn: TG,
          targets: [
            { id: 'i-1', port: 80 },
            { id: 'i-2', port: 80 },
          ],
        },
      ],
      [
        `batch:1:register_targets:${TG}`,
        [],
        { kind: 'register_targets', targetGroupArn: TG, targets: [{ id: 'i-3', port: 80 }] },
      ],
      ['d1', [`batch:0:register_targets:${TG}`, `batch:1:register_targets:${TG}`], changes[3]?.operation],
    ]);
    const results = new Map<string, ChangeResult>([
      [`batch:0:register_targets:${TG}`, { status: 'applied' }],
      [`batch:1:register_targets:${TG}`, { status: 'failed', error: 'InvalidTarget' }],
      ['d1', { status: 'skipped', why: 'depends on batch:1…, which failed' }],
    ]);
    expect(Object.fromEntries(expandBatches(results, members))).toEqual({
      r1: { status: 'applied' },
      r2: { status: 'applied' },
      r3: { status: 'failed', error: 'InvalidTarget' },
      d1: { status: 'skipped', why: 'depends on batch:1…, which failed' },
    });
  });

  it('leaves single targets and other changes as they are', () => {
    const changes = [
      target('r1', 'register_targets', 'i-1'),
      target('d1', 'deregister_targets', 'i-9', ['r1']),
    ];
    expect(batchTargetChanges(changes).units).toEqual(changes);
  });
});
