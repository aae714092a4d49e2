// The CEL compiler, as a file of its own in the hook bundle (dist/hook-cel.cjs), loaded only when
// an action reaches a rule with a `when` condition. scripts/build.mjs sends the hook's dynamic
// import of policy/cel.js here.
export { compileCondition } from '../policy/cel.js';
