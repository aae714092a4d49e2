// What a hook loads only sometimes, as one file of its own in the bundle (dist/hook-policy.cjs):
// the YAML reader and validator for a policy not yet in the snapshot cache, and the CEL compiler
// for conditions an action reaches. scripts/build.mjs sends the hook's dynamic imports of
// policy/load.js and policy/cel.js here.
export { readPolicy } from '../policy/load.js';
export { compileCondition } from '../policy/cel.js';
