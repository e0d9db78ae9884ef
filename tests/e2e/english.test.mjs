// The English walk through every page in a file of its own (see scenario.test.mjs for why).
import './english.spec.mjs';
