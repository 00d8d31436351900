// Node options every platform process (API, worker, the demo's single process) runs with, in production, the demo,
// the test platforms and the benchmarks alike. package.json's start scripts, docker/Dockerfile and
// docker/compose.yaml repeat them literally; test/ops/node-flags.int-spec.ts keeps those in step with this list.
//
// --single-threaded-gc: on the 2-core machines Kubelab targets, V8's parallel and concurrent GC helper threads take
// a core from the main thread for whole scheduler ticks (about 4 ms) while it answers a command, which set the
// tail of every latency we measure (bench:engine `get all -A` p99 3.9 ms with helpers, 0.4 ms without; bench:commands
// files workload p99 67-124 ms with, 17-48 ms without). Collection work then runs on the main thread, in the
// incremental steps V8 keeps, and CPU per command did not grow.
module.exports = { PLATFORM_NODE_FLAGS: ['--single-threaded-gc'] };
