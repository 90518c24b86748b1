// Package devserver is an Attune-compatible development API server: the
// routes of CONTRACT.md (auth, events, enforcements, executions, rules,
// triggers, sensors, traces, health) over a SQLite database (pure Go, WAL,
// embedded migrations), seeded deterministically from a seed and a size,
// with optional live traffic and fault injection.
//
// It is a development server for demos, tests and benchmarks: one demo
// identity, a per-process random JWT secret, no TLS. Never expose it.
//
//	srv, err := devserver.New(ctx, devserver.Options{Seed: devserver.SeedOptions{Seed: 1, Events: 5000}})
//	defer srv.Close()
//	http.ListenAndServe("127.0.0.1:8080", srv)
package devserver
