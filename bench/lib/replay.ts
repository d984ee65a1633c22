/**
 * A saved fleet: its clusters/ YAML, the run's clock and moto's recorded answers, so that one
 * plan can be measured again in seconds, without moto or seeding (bench/replay.ts).
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordedAnswers } from '../../test/support/aws-proxy.ts';

export interface SavedFleet {
  /** The fleet's clusters/ folder, inside the saved directory. */
  readonly configDir: string;
  /** ISO 8601: the clock the answers were recorded at (the metric windows depend on it). */
  readonly now: string;
  readonly answers: RecordedAnswers;
}

export async function saveReplay(dir: string, fleet: SavedFleet): Promise<void> {
  await mkdir(dir, { recursive: true });
  const configDir = join(dir, 'clusters');
  await cp(fleet.configDir, configDir, { recursive: true });
  await writeFile(join(dir, 'answers.json'), JSON.stringify({ now: fleet.now, answers: fleet.answers }));
}

export async function loadReplay(dir: string): Promise<SavedFleet> {
  const saved = JSON.parse(await readFile(join(dir, 'answers.json'), 'utf8')) as {
    now: string;
    answers: RecordedAnswers;
  };
  return { configDir: join(dir, 'clusters'), now: saved.now, answers: saved.answers };
}
