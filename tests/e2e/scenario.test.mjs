// The whole-lifecycle scenario in a file of its own: `node --test --test-timeout=…` times each file,
// and this spec alone takes a minute or two on a busy machine.
import './scenario.spec.mjs';
