// Types of the generated cluster.validate.js (scripts/validator.ts).
import type { ValidateFunction } from 'ajv/dist/2020.js';

export declare const validate: ValidateFunction;
export default validate;
