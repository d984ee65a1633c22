/** CloudWatch alarms with a name prefix ('' for all) that watch one instance (an InstanceId dimension). */
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { paginateByToken } from '../aws/batch.ts';
import type { AwsClients } from '../aws/clients.ts';
import type { LiveInstanceAlarm } from '../model.ts';

export const ALARMS_PER_CALL = 100;

export async function readInstanceAlarms(clients: AwsClients, prefix: string): Promise<LiveInstanceAlarm[]> {
  const alarms = await paginateByToken(async (token) => {
    const out = await clients.cloudwatch.send(
      new DescribeAlarmsCommand({
        ...(prefix === '' ? {} : { AlarmNamePrefix: prefix }),
        AlarmTypes: ['MetricAlarm'],
        MaxRecords: ALARMS_PER_CALL,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    return { items: out.MetricAlarms, nextToken: out.NextToken };
  });
  return alarms.flatMap((alarm) => {
    const instanceId = alarm.Dimensions?.find((d) => d.Name === 'InstanceId')?.Value;
    if (alarm.AlarmName === undefined || !alarm.AlarmName.startsWith(prefix) || !instanceId) return [];
    const updated = alarm.AlarmConfigurationUpdatedTimestamp;
    return [
      {
        name: alarm.AlarmName,
        instanceId,
        ...(updated === undefined ? {} : { updatedAt: updated.toISOString() }),
      },
    ];
  });
}
