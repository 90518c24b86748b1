// Package devserver is an Attune-compatible development API server: the
// routes of CONTRACT.md (auth, events, enforcements, executions, rules,
// triggers, sensors, traces, health) over a SQLite database (pure Go, WAL,
// embedded migrations), seeded deterministically from a seed and a size,
// with optional live traffic and fault injection.
//
// It also serves execution output as upstream models it (LOGS.md): two
// runtime-log artifacts per action, one version per execution, the log SSE
// route in upstream's RT-EX2 wire generation (or RT-EX with
// Options.LogStreamCompat), artifact and version reads with Range
// downloads, and GET /api/v1/executions/stats. Log bytes are never stored:
// they are generated from the seed and the execution (Server.LogText returns
// them for tests; Server.FindLogs finds executions by kind of log).
//
// It is a development server for demos, tests and benchmarks: one demo
// identity, a per-process random JWT secret, no TLS. Never expose it.
//
//	srv, err := devserver.New(ctx, devserver.Options{Seed: devserver.SeedOptions{Seed: 1, Events: 5000}})
//	defer srv.Close()
//	http.ListenAndServe("127.0.0.1:8080", srv)
package devserver
