import { readFileSync, readdirSync } from 'node:fs';
import { LineCounter, parseDocument, Parser, Composer } from 'yaml';
import { parseSource } from './src/config/load.ts';
import { validateSchema } from './src/config/schema.ts';
import { checkFile } from './src/config/semantic.ts';
import { loadConfig } from './src/config/index.ts';
const dir = '/tmp/fleet/clusters';
const texts = readdirSync(dir).map((f) => readFileSync(`${dir}/${f}`, 'utf8'));
const t = (label: string, fn: () => void) => { const s = performance.now(); fn(); console.log(label.padEnd(30), (performance.now() - s).toFixed(0), 'ms'); };
for (let round = 0; round < 2; round++) {
  console.log('round', round);
  t('cst only (Parser)', () => { for (const x of texts) for (const _ of new Parser().parse(x)); });
  t('parseDocument', () => { for (const x of texts) parseDocument(x, { lineCounter: new LineCounter(), uniqueKeys: true, merge: false }); });
  const docs = texts.map((x) => parseDocument(x));
  t('toJS', () => { for (const d of docs) d.toJS({ maxAliasCount: 100 }); });
  t('JSON.parse equiv', () => { for (const d of docs) JSON.parse(JSON.stringify(d.toJS())); });
  let files: any[] = [];
  t('parseSource', () => { files = texts.map((x, i) => parseSource(x, `f${i}.yml`, `f${i}.yml`, {}).file); });
  let schemas: any[] = [];
  t('validateSchema', () => { schemas = files.map((f) => validateSchema(f)); });
  t('checkFile', () => { files.forEach((f, i) => checkFile({ file: f, data: schemas[i].data }, {})); });
  const s = performance.now(); await loadConfig(dir, { env: {}, cwd: dir }); console.log('loadConfig'.padEnd(30), (performance.now() - s).toFixed(0), 'ms');
}
