/**
 * V8 settings for the relay process, applied before anything else is loaded (first import of main.ts).
 *
 * No allocation-site pretenuring. At start the server decodes whole documents (the seed, the projection's
 * catch-up), whose Yjs structs live on, so V8 learns to allocate straight into the old generation at the
 * allocation sites of Yjs' decoder. The relay then decodes every incoming update through the same sites
 * (the append-only and plan guards decode it before it is stored), and those structs are garbage a moment
 * later: the old generation grew by ~0.25 MB per scavenge under bench:sync's load, and in the run I traced
 * a major GC (a 7 ms pause plus incremental steps) fell in the 20 s window and held a tenth of the p99
 * tail. Without pretenuring the old generation stays flat under the same load (--trace-gc). Set from code rather than on the
 * command line so that every way of starting the server (npm start, tsx, the tests, the benchmarks) gets it.
 */
import v8 from 'node:v8';

v8.setFlagsFromString('--no-allocation-site-pretenuring');
