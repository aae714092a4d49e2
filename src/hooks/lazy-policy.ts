// What a hook loads only when a policy is not yet in its snapshot cache, as a file of its own in
// the bundle (dist/hook-policy.cjs): the YAML reader and the validator. scripts/build.mjs sends the
// hook's dynamic import of policy/load.js here.
export { readPolicy } from '../policy/load.js';
