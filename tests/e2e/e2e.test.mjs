// Node 20's `node --test <dir>` only picks up *.test.mjs-style names, not *.spec.mjs;
// this file makes `node --test tests/e2e/` run the spec(s). Run one spec directly with
// `node --test tests/e2e/login.spec.mjs`. The long specs have files of their own (scenario.test.mjs,
// english.test.mjs): `--test-timeout` applies to each file, so no file holds all the specs.
import './login.spec.mjs';
import './tickets.spec.mjs';
import './survey-dispatch.spec.mjs';
import './dashboard.spec.mjs';
