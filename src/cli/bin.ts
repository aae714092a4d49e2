// The `warden` executable (bundled to dist/warden.js).
import { main } from './main.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
