/**
 * The ajv configuration of cluster files, in a module of its own: scripts/validator.ts compiles
 * the schema with it ahead of time (src/config/cluster.validate.js), and tests compile their own
 * schemas the same way. Runs never compile: they load the generated validator.
 */
import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';

/**
 * Keywords editors understand beside the standard ones (vscode-json-languageservice, which
 * yaml-language-server builds on, shows `errorMessage` / `patternErrorMessage` instead of its
 * generic text); ours reads them too. They are registered as annotations so strict mode accepts them.
 */
const MESSAGE_KEYWORDS = ['errorMessage', 'patternErrorMessage', 'additionalPropertiesErrorMessage'] as const;

// ajv-formats is CommonJS: Node's default import is its module.exports (the plugin), which also
// carries itself as `.default`; TypeScript sees the namespace. `.default` works under both.
const addFormats = formatsModule.default;

/** An ajv instance configured as the project uses it; `extra` for the ahead-of-time compile. */
export function createAjv(extra: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({
    ...extra,
    allErrors: true,
    strict: true,
    // `type: ["integer", "string"]` (a count or "25%") is clearer than oneOf, and strict mode
    // only accepts union types when asked.
    allowUnionTypes: true,
    // Data is never changed by validation: defaults are applied by the code that reads them,
    // and `"3"` is not silently a number (see validateSchema for the one narrow exception).
    useDefaults: false,
    coerceTypes: false,
    // parentSchema and data on each error: needed for messages (allowed keys, custom messages).
    verbose: true,
  });
  addFormats(ajv, ['date-time']);
  for (const keyword of MESSAGE_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'string' });
  return ajv;
}
