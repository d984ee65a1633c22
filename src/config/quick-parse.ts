import {
  COLLECTION_STYLE_FLOW,
  EVENT_DOCUMENT,
  EVENT_MAPPING,
  EVENT_POP,
  EVENT_SCALAR,
  EVENT_SEQUENCE,
  type Event,
  getScalarValue,
  parseEvents,
  SCALAR_STYLE_DOUBLE_QUOTED,
  SCALAR_STYLE_PLAIN,
  SCALAR_STYLE_SINGLE_QUOTED,
  type ScalarEvent,
} from 'js-yaml';
import {
  type CollectionTag,
  Document,
  type DocumentOptions,
  LineCounter,
  Pair,
  type ParseOptions,
  Scalar,
  type ScalarTag,
  type SchemaOptions,
  YAMLMap,
  YAMLSeq,
} from 'yaml';

/**
 * The common shape of a cluster file, parsed into the very Document yaml would have built (same
 * nodes, values, ranges and line starts) with a quarter to a sixth of yaml's CPU, so every later
 * stage (positions, interpolation, duplicate keys, schema, semantic checks) is unchanged.
 *
 * Why: yaml's lexer, parser and composer took two thirds of the config stage (0.8 s of CPU for
 * the bench fleet's 730 KB, cold). js-yaml's event parser reads the same text in a fraction of
 * that and reports where each node starts; the nodes are then yaml's own classes, and plain
 * scalars are resolved by yaml's own core-schema tags, so values are yaml's by construction.
 *
 * Returns undefined (the caller then parses with yaml, as before) for anything outside that
 * shape or where the two parsers could disagree: js-yaml finding an error (yaml then reports its
 * own, located messages), more or fewer than one document, a root that is not a map,
 * directives, anchors, aliases, tags, block scalars (`|`, `>`), tabs, a carriage return alone,
 * explicit `?` keys, keys over 1024 characters or that are collections, a `%` that starts a
 * token (percent.ts recovers those), and an empty value that is not a map's. The equality is
 * tested on every fixture and on generated and damaged documents
 * (test/unit/config/quick-parse.test.ts).
 */
export function quickParse(
  text: string,
  options: ParseOptions & DocumentOptions & SchemaOptions,
): QuickParsed | undefined {
  // Cheap screens first: features the builder below does not model.
  if (text.includes('\t') || LONE_CR.test(text) || PERCENT_TOKEN.test(text) || QUESTION_KEY.test(text)) {
    return undefined;
  }
  let events: Event[];
  try {
    events = parseEvents(text, {});
  } catch {
    return undefined;
  }
  const doc = new Document(undefined, options) as Document.Parsed;
  const builder = new Builder(text, doc);
  const built = builder.build(events);
  if (built === undefined) return undefined;
  doc.contents = built as never;
  doc.range = [built.range?.[0] ?? 0, text.length, text.length];
  return {
    doc,
    lineCounter: countLines(text),
    data: builder.data,
    uniqueKeys: !builder.repeatedKey,
  };
}

export interface QuickParsed {
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /**
   * What `doc.toJS()` gives, built alongside the nodes (toJS walked them all again). It is the
   * file's data only while the nodes are as parsed: interpolation rewrites values in the nodes.
   */
  readonly data: unknown;
  /**
   * No map repeats a key, compared as duplicates.ts compares them (scalar values): the check
   * need not walk the document again.
   */
  readonly uniqueKeys: boolean;
}

/** `---` at the start of the first line that is not blank or a comment. */
const DOCUMENT_START = /^(?:[ ]*(?:#[^\n]*)?\n)*---(?:[ \r\n]|$)/;

/** A carriage return not before a line feed: a line break to js-yaml, not to yaml. */
const LONE_CR = /\r(?!\n)/;

/** A `%` that starts a token: a directive, or a value yaml rejects and percent.ts recovers. */
const PERCENT_TOKEN = /(?:^|[ [{,])%/m;

/** A line whose content starts with `? `: an explicit key, which js-yaml places differently. */
const QUESTION_KEY = /^[ -]*\?(?:[ \r\n]|$)/m;

/** Line starts as yaml's parser reports them to a LineCounter: 0, then after each `\n`. */
function countLines(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) counter.addNewLine(i + 1);
  return counter;
}

type Built = Scalar | YAMLMap | YAMLSeq;

/** The YAML spec's limit on an implicit key, which yaml enforces; longer keys go to yaml. */
const MAX_KEY_LENGTH = 1024;

/** Declines (undefined) by throwing this from deep inside the walk. */
const DECLINE = Symbol('decline');

class Builder {
  private readonly text: string;
  private readonly doc: Document.Parsed;
  private readonly plainTags: readonly ScalarTag[];
  private readonly stringTag: ScalarTag;
  private events: readonly Event[] = [];
  private at = 0;
  /** The JS value of the node `node()` returned last (toJS's, see QuickParsed.data). */
  data: unknown;
  repeatedKey = false;

  constructor(text: string, doc: Document.Parsed) {
    this.text = text;
    this.doc = doc;
    const schema = doc.schema;
    // The tags yaml's composer tries on a plain scalar, in its order (compose-scalar.js).
    this.plainTags = (schema.tags as (ScalarTag | CollectionTag)[]).filter(
      (tag): tag is ScalarTag =>
        tag.default === true && !('collection' in tag && tag.collection) && !!tag.test,
    );
    const stringTag = (schema as unknown as Record<symbol, ScalarTag>)[Symbol.for('yaml.scalar')];
    if (!stringTag) throw new Error('yaml schema without a string tag');
    this.stringTag = stringTag;
  }

  build(events: readonly Event[]): Built | undefined {
    this.events = events;
    // One document: DOCUMENT, its node, POP.
    const first = events[0];
    if (events.length < 3 || first?.type !== EVENT_DOCUMENT || first.directives.length > 0) return undefined;
    if (events.at(-1)?.type !== EVENT_POP) return undefined;
    // A cluster file is a map; anything else is the schema's error, found as well by yaml.
    if (events[1]?.type !== EVENT_MAPPING) return undefined;
    // js-yaml also takes an indented ` ---` for the document's start; yaml does not.
    if (first.explicitStart && !DOCUMENT_START.test(this.text)) return undefined;
    this.at = 1;
    try {
      const root = this.node(undefined);
      if (this.at !== events.length - 1) return undefined;
      return root;
    } catch (error) {
      if (error === DECLINE) return undefined;
      throw error;
    }
  }

  /** The node at the current event; `emptyAt` is where yaml puts an empty value here, if known. */
  private node(emptyAt: number | undefined): Built {
    const event = this.events[this.at++];
    if (event === undefined) throw DECLINE;
    switch (event.type) {
      case EVENT_SCALAR:
        return this.scalar(event, emptyAt);
      case EVENT_MAPPING: {
        if (event.anchorStart !== -1 || event.tagStart !== -1) throw DECLINE;
        const map = new YAMLMap(this.doc.schema);
        if (event.style === COLLECTION_STYLE_FLOW) map.flow = true;
        map.range = [event.start, event.start, event.start];
        const data: Record<string, unknown> = {};
        const keys = new Set<unknown>();
        while (this.events[this.at]?.type !== EVENT_POP) {
          const keyEvent = this.events[this.at];
          if (keyEvent?.type !== EVENT_SCALAR || keyEvent.valueStart === -1) throw DECLINE;
          const key = this.node(undefined) as Scalar;
          // yaml refuses an implicit key over 1024 characters (KEY_OVER_1024_CHARS); js-yaml not.
          if ((key.range?.[1] ?? 0) - (key.range?.[0] ?? 0) > MAX_KEY_LENGTH) throw DECLINE;
          if (keys.has(key.value)) this.repeatedKey = true;
          keys.add(key.value);
          const value = this.node(this.afterColon(key));
          map.items.push(new Pair(key, value));
          addToObject(data, key.value, this.data);
        }
        this.at++;
        this.data = data;
        return map;
      }
      case EVENT_SEQUENCE: {
        if (event.anchorStart !== -1 || event.tagStart !== -1) throw DECLINE;
        const seq = new YAMLSeq(this.doc.schema);
        if (event.style === COLLECTION_STYLE_FLOW) seq.flow = true;
        seq.range = [event.start, event.start, event.start];
        const data: unknown[] = [];
        while (this.events[this.at]?.type !== EVENT_POP) {
          seq.items.push(this.node(undefined));
          data.push(this.data);
        }
        this.at++;
        this.data = data;
        return seq;
      }
      default:
        throw DECLINE;
    }
  }

  private scalar(event: ScalarEvent, emptyAt: number | undefined): Scalar {
    if (event.anchorStart !== -1 || event.tagStart !== -1) throw DECLINE;
    const source = getScalarValue(this.text, event);
    let start: number;
    let end: number;
    let type: Scalar.Type;
    if (event.style === SCALAR_STYLE_PLAIN) {
      if (event.valueStart === -1) {
        // An empty value: yaml puts it after the `:` and the spaces after it.
        if (emptyAt === undefined) throw DECLINE;
        start = emptyAt;
        end = emptyAt;
      } else {
        start = event.valueStart;
        end = event.valueEnd;
      }
      type = 'PLAIN';
    } else if (event.style === SCALAR_STYLE_DOUBLE_QUOTED || event.style === SCALAR_STYLE_SINGLE_QUOTED) {
      // js-yaml's range is inside the quotes; yaml's includes them.
      start = event.valueStart - 1;
      end = event.valueEnd + 1;
      const quote = event.style === SCALAR_STYLE_DOUBLE_QUOTED ? '"' : "'";
      if (this.text[start] !== quote || this.text[end - 1] !== quote) throw DECLINE;
      type = event.style === SCALAR_STYLE_DOUBLE_QUOTED ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
    } else {
      // Block scalars: yaml's range starts at the `|` / `>` header, which js-yaml does not report.
      throw DECLINE;
    }
    const tag = type === 'PLAIN' ? this.plainTag(source) : this.stringTag;
    const resolved = tag.resolve(
      source,
      () => {
        throw DECLINE;
      },
      this.doc.options,
    );
    const scalar = resolved instanceof Scalar ? resolved : new Scalar(resolved);
    scalar.range = [start, end, end];
    scalar.source = source;
    scalar.type = type;
    if (tag.format) scalar.format = tag.format;
    this.data = scalar.value;
    return scalar;
  }

  /** yaml's findScalarTagByTest: the first default tag whose test matches, else a string. */
  private plainTag(source: string): ScalarTag {
    for (const tag of this.plainTags) if (tag.test?.test(source)) return tag;
    return this.stringTag;
  }

  /** Where yaml puts an empty value of `key`: after the `:` that follows it and any spaces. */
  private afterColon(key: Scalar): number | undefined {
    let i = key.range?.[1] ?? -1;
    if (i < 0) return undefined;
    while (this.text[i] === ' ') i++;
    if (this.text[i] !== ':') return undefined;
    i++;
    while (this.text[i] === ' ') i++;
    return i;
  }
}

/** A pair into a plain object as yaml's toJS adds it (addPairToJSMap.js): keys as text. */
function addToObject(object: Record<string, unknown>, key: unknown, value: unknown): void {
  const name = key === null ? '' : String(key);
  // `__proto__` (and other names an object inherits) become own properties, not the prototype.
  if (name in object) {
    Object.defineProperty(object, name, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[name] = value;
  }
}
