/**
 * Runs before every test file (vite.config.ts `setupFiles`): what the edge injects into the pure
 * core under test. pep/ reads no environment of its own, so the range invariant checks (canonical
 * cut lists after every operation) are turned on here, as the CLI turns them on under
 * NODE_ENV=development.
 */
import { setRangeInvariantChecks } from '../src/pep/range';

setRangeInvariantChecks(true);
