package devserver

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
)

// benchSizes are the event counts list benchmarks run at. Set
// DEVSERVER_BENCH_1M=1 to add 1,000,000 (seeding takes minutes).
func benchSizes() []int {
	sizes := []int{10_000, 100_000}
	if os.Getenv("DEVSERVER_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	return sizes
}

// BenchmarkList measures one list page through the handler (no network):
// unfiltered, each filter, selective and empty filter combinations, a rare
// result_contains term, and deep pages.
func BenchmarkList(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			srv, err := New(context.Background(), Options{DBPath: b.TempDir() + "/bench.db", Seed: SeedOptions{Seed: 1, Events: n}})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			st, _ := srv.SeedStats()
			b.Logf("seeded %d events, %d enforcements, %d executions in %s (%.0f events/s)",
				st.Events, st.Enforcements, st.Executions, st.Duration, float64(st.Events)/st.Duration.Seconds())
			tok, err := srv.issue(tokenAccess)
			if err != nil {
				b.Fatal(err)
			}
			mid := n / 2
			paths := []struct{ name, path string }{
				{"events", "/api/v1/events"},
				{"events_total", "/api/v1/events?include_total=true"},
				{"events_trigger", "/api/v1/events?trigger=8"},
				{"events_trigger_ref", "/api/v1/events?trigger_ref=github.push"},
				{"events_rule_ref", "/api/v1/events?rule_ref=core.heartbeat_echo"},
				{"events_source", "/api/v1/events?source=3"},
				{"events_trace_tag", fmt.Sprintf("/api/v1/events?trace_tag=kubernetes.pod_event.%d", mid)},
				{"events_deep_page", fmt.Sprintf("/api/v1/events?page=%d&per_page=50", n/100)},
				{"enforcements", "/api/v1/enforcements"},
				{"enforcements_status", "/api/v1/enforcements?status=created"},
				{"enforcements_rule", "/api/v1/enforcements?rule=12"},
				{"enforcements_event", fmt.Sprintf("/api/v1/enforcements?event=%d", mid)},
				{"enforcements_rule_ref", "/api/v1/enforcements?rule_ref=aws.notify_alarms"},
				{"enforcements_trigger_ref", "/api/v1/enforcements?trigger_ref=slack.message"},
				{"executions", "/api/v1/executions"},
				{"executions_status", "/api/v1/executions?status=timeout"},
				{"executions_action_ref", "/api/v1/executions?action_ref=kubernetes.scale"},
				{"executions_rule_ref", "/api/v1/executions?rule_ref=kubernetes.restart_crashloop"},
				{"executions_trigger_wildcard", "/api/v1/executions?trigger_ref=aws.*"},
				{"executions_pack_name", "/api/v1/executions?pack_name=github"},
				{"executions_executor", "/api/v1/executions?executor=2"},
				{"executions_enforcement", fmt.Sprintf("/api/v1/executions?enforcement=%d", mid/2)},
				{"executions_parent", "/api/v1/executions?parent=100"},
				{"executions_top_level", "/api/v1/executions?top_level_only=true"},
				{"executions_result_contains", "/api/v1/executions?result_contains=permission%20denied"},
				{"executions_status_and_action", "/api/v1/executions?status=failed&action_ref=slack.post_message"},
				// Selective and empty combinations: two filters whose
				// intersection is empty although each alone matches many
				// rows (the worst case for one-column indexes).
				{"events_rule_ref_source_empty", "/api/v1/events?rule_ref=core.heartbeat_echo&source=4"},
				{"events_trigger_source_empty", "/api/v1/events?trigger=4&source=3"},
				{"events_trigger_ref_rule_ref_empty", "/api/v1/events?trigger_ref=github.push&rule_ref=core.heartbeat_echo"},
				{"events_trigger_ref_unknown", "/api/v1/events?trigger_ref=no.such"},
				{"enforcements_rule_trigger_ref_empty", "/api/v1/enforcements?rule=1&trigger_ref=github.push"},
				{"enforcements_status_rule_ref", "/api/v1/enforcements?status=created&rule_ref=core.heartbeat_echo"},
				{"executions_action_rule_ref_empty", "/api/v1/executions?action_ref=slack.post_message&rule_ref=core.heartbeat_echo"},
				{"executions_status_pack_top_level", "/api/v1/executions?status=completed&pack_name=aws&top_level_only=true"},
				{"executions_trigger_wildcard_empty", "/api/v1/executions?trigger_ref=no.*"},
				{"executions_trigger_wildcard_deep", "/api/v1/executions?trigger_ref=aws.*&per_page=100&page=30"},
				// result_contains is a substring scan: a rare term reads
				// every result (newest first) before answering.
				{"executions_result_contains_rare", "/api/v1/executions?result_contains=zzz-no-such-term"},
				{"executions_result_contains_rare_status", "/api/v1/executions?result_contains=zzz-no-such-term&status=failed"},
				{"rules_q", "/api/v1/rules?q=aws"},
				{"get_event", fmt.Sprintf("/api/v1/events/%d", mid)},
				{"get_execution", fmt.Sprintf("/api/v1/executions/%d", mid/2)},
				{"get_enforcement", fmt.Sprintf("/api/v1/enforcements/%d", mid/2)},
				{"trace", fmt.Sprintf("/api/v1/traces/core.intervaltimer.%d", mid)},
				{"execution_stats", "/api/v1/executions/stats"},
				{"artifacts", "/api/v1/artifacts"},
				{"artifact_versions", "/api/v1/artifacts/1/versions"},
			}
			if ids, err := srv.FindLogs(context.Background(), LogQuery{Kind: LogKindJSON, Sealed: ptr(true), Limit: 1}); err == nil && len(ids) == 1 {
				paths = append(paths,
					struct{ name, path string }{"log_stream_sealed", fmt.Sprintf("/api/v1/executions/%d/logs/stdout/stream", ids[0])},
					struct{ name, path string }{"execution_artifacts", fmt.Sprintf("/api/v1/executions/%d/artifacts", ids[0])})
			}
			for _, p := range paths {
				b.Run(p.name, func(b *testing.B) {
					req := httptest.NewRequest(http.MethodGet, p.path, nil)
					req.Header.Set("Authorization", "Bearer "+tok)
					b.ReportAllocs()
					for b.Loop() {
						rec := httptest.NewRecorder()
						srv.ServeHTTP(rec, req)
						if rec.Code != http.StatusOK {
							b.Fatalf("%s: %d %s", p.path, rec.Code, rec.Body.String())
						}
					}
				})
			}
		})
	}
}

// BenchmarkExecutionCounts measures the uncached GROUP BY status behind
// /executions/stats (run once per server, then kept by live-step deltas).
func BenchmarkExecutionCounts(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			srv, err := New(context.Background(), Options{DBPath: b.TempDir() + "/bench.db", Seed: SeedOptions{Seed: 1, Events: n}})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			for b.Loop() {
				if _, err := srv.countExecutions(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSeed measures seeding throughput (events per second, including
// enforcements, executions and index builds).
func BenchmarkSeed(b *testing.B) {
	const n = 20_000
	for b.Loop() {
		srv, err := New(context.Background(), Options{DBPath: b.TempDir() + "/seed.db", Seed: SeedOptions{Seed: 1, Events: n}})
		if err != nil {
			b.Fatal(err)
		}
		if err := srv.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
}
