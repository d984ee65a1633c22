/**
 * The demo's fleet in moto: what an account looks like before autoscale-gitops manages it, with
 * drift for the plan to show. Returns the environment the example clusters/ files read.
 */
import { CreateLaunchTemplateVersionCommand } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../src/aws/clients.ts';
import {
  createGroup,
  createLaunchTemplate,
  createTargetGroup,
  createVpcSubnet,
  TEST_AMI,
} from '../../test/support/seed.ts';

export interface SeededFleet {
  /** Variables for ${VAR} references in clusters/*.yml. */
  readonly env: Record<string, string>;
  /** One line per seeded object, for the demo's narration. */
  readonly story: string[];
}

export async function seedFleet(clients: AwsClients): Promise<SeededFleet> {
  const story: string[] = [];
  // web-asg exists, drifted: someone lowered its sizes by hand in the console.
  await createLaunchTemplate(clients, 'web');
  await createGroup(clients, 'web-asg', {
    min: 1,
    max: 4,
    desired: 1,
    zones: ['us-east-1a', 'us-east-1b'],
    launchTemplate: 'web',
  });
  story.push(
    'web-asg exists with min 1, max 4 (the YAML says 2 and 8), and none of its triggers or schedules',
  );

  // api-asg does not exist yet: the YAML names its launch template (version 3) and subnets.
  const api = await createLaunchTemplate(clients, 'api');
  // The YAML pins version 3: publish two more versions after the first.
  for (let version = 2; version <= 3; version++) {
    await clients.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: api.id,
        LaunchTemplateData: { ImageId: TEST_AMI },
      }),
    );
  }
  const subnetA = await createVpcSubnet(clients, { cidr: '10.30.0.0/16', zone: 'us-east-1a' });
  const subnetB = await createVpcSubnet(clients, { cidr: '10.31.0.0/16', zone: 'us-east-1b' });
  story.push('api-asg does not exist: the YAML gives a launch template and subnets, so it will be created');

  // bastion-asg exists with two instances where the YAML pins one.
  await createGroup(clients, 'bastion-asg', { min: 1, max: 2, desired: 2, zones: ['us-east-1a'] });
  story.push('bastion-asg runs 2 instances (max 2); the YAML pins it at exactly 1');

  const webTg = await createTargetGroup(clients, 'web');
  const apiTg = await createTargetGroup(clients, 'api', { port: 8080 });
  story.push('target groups web and api exist');

  return {
    story,
    env: {
      WEB_TARGET_GROUP_ARN: webTg,
      API_TARGET_GROUP_ARN: apiTg,
      API_LAUNCH_TEMPLATE_ID: api.id,
      API_SUBNET_A: subnetA.subnetId,
      API_SUBNET_B: subnetB.subnetId,
      RABBIT_USER: 'demo',
      RABBIT_PASS: 'demo-password',
      CHEF_TOKEN: 'demo-chef-token',
    },
  };
}
