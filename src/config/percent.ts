import {
  type Document,
  type DocumentOptions,
  isScalar,
  LineCounter,
  type ParseOptions,
  parseDocument,
  type Scalar,
  type SchemaOptions,
  visit,
  YAMLParseError,
} from 'yaml';

/**
 * ecs-autoscale replaced `%(VAR)` in the file's text before parsing it, so its files may start
 * a plain value with one: `max: %(WORKER_MAX)`, `url: %(RABBITMQ_URL)/api/queues`. To YAML a
 * plain value cannot start with `%` (the directive indicator). Substituting before parsing, as
 * ecs-autoscale did, would move every position after a reference and let a value's text change
 * the file's structure. Instead, where the parser reports exactly that error at a `%(`, the `%`
 * is swapped for a stand-in of the same length, the text parsed again, and the scalar's value
 * given its `%` back: every offset stays the file's own, and interpolation (interpolate.ts)
 * then treats the value like any other plain scalar holding `%(VAR)`, typed values included.
 */

/** One UTF-16 unit, a character YAML takes to start a plain scalar; private use, so no text means it. */
const STAND_IN = '\uE000';

/** How often to parse again: a fix can let the parser reach a `%(` its recovery skipped before. */
const MAX_PASSES = 4;

export interface Parsed {
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

export function parseAcceptingPercentValues(
  text: string,
  options: ParseOptions & DocumentOptions & SchemaOptions,
): Parsed {
  let lineCounter = new LineCounter();
  let doc = parseDocument(text, { ...options, lineCounter });
  const swapped = new Set<number>();
  let patched = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const fresh = doc.errors
      .filter((e) => e.code === 'BAD_SCALAR_START' && text.startsWith('%(', e.pos[0]))
      .map((e) => e.pos[0])
      .filter((offset) => !swapped.has(offset));
    if (fresh.length === 0) break;
    for (const offset of fresh) {
      swapped.add(offset);
      patched = `${patched.slice(0, offset)}${STAND_IN}${patched.slice(offset + 1)}`;
    }
    // A LineCounter records lines as the parser meets them: a second parse needs a new one.
    lineCounter = new LineCounter();
    doc = parseDocument(patched, { ...options, lineCounter });
  }
  if (swapped.size > 0) restore(doc, swapped);
  return { doc, lineCounter };
}

/** Gives swapped values their `%` back; a key keeps the error it had (keys are not interpolated). */
function restore(doc: Document.Parsed, swapped: ReadonlySet<number>): void {
  const isSwapped = (node: unknown): node is Scalar =>
    isScalar(node) &&
    typeof node.value === 'string' &&
    node.value.startsWith(STAND_IN) &&
    swapped.has(node.range?.[0] ?? -1);
  const keys = new Set<Scalar>();
  visit(doc as Document, {
    Pair(_, pair) {
      if (isSwapped(pair.key)) keys.add(pair.key);
    },
    Scalar(_, scalar) {
      if (!isSwapped(scalar)) return;
      scalar.value = `%${(scalar.value as string).slice(1)}`;
      if (keys.has(scalar)) {
        const start = scalar.range?.[0] ?? 0;
        doc.errors.push(
          new YAMLParseError(
            [start, start + 1],
            'BAD_SCALAR_START',
            'Plain value cannot start with directive indicator character %',
          ),
        );
      }
    },
  });
  doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
}
