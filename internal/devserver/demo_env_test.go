package devserver

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/internal/demoenv"
)

// TestStartDemoFixedNow: with ATTUNE_DEMO_NOW the demo's seed counts back
// from that instant and the server's clock starts there; a bad value stops
// the demo with a message naming the variable.
func TestStartDemoFixedNow(t *testing.T) {
	fixed := time.Date(2026, 6, 11, 14, 5, 0, 0, time.UTC)
	t.Setenv(demoenv.NowEnv, fixed.Format(time.RFC3339))
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a free port for ATTUNE_DEMO_LISTEN
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	t.Setenv(demoenv.ListenEnv, addr)
	d, err := StartDemo(context.Background(), DemoOptions{Events: 20, LiveRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if d.URL != "http://"+addr {
		t.Errorf("demo URL %s, want http://%s", d.URL, addr)
	}
	var newest int64
	if err := d.Server.db.QueryRowContext(context.Background(),
		`SELECT created FROM event ORDER BY created DESC, id DESC LIMIT 1`).Scan(&newest); err != nil {
		t.Fatal(err)
	}
	created := time.UnixMicro(newest).UTC()
	if created.After(fixed) || fixed.Sub(created) > time.Minute {
		t.Errorf("newest seeded event created %v, want shortly before %v", created, fixed)
	}
	if now := d.Server.now(); now.Before(fixed) || now.Sub(fixed) > time.Minute {
		t.Errorf("server clock %v, want just after %v", now, fixed)
	}

	t.Setenv(demoenv.ListenEnv, "0.0.0.0:7780")
	if d2, err := StartDemo(context.Background(), DemoOptions{Events: 5, LiveRate: -1}); err == nil {
		_ = d2.Close()
		t.Fatal("StartDemo accepted a non-loopback ATTUNE_DEMO_LISTEN")
	}
	t.Setenv(demoenv.ListenEnv, "")

	t.Setenv(demoenv.NowEnv, "yesterday")
	if d2, err := StartDemo(context.Background(), DemoOptions{Events: 5, LiveRate: -1}); err == nil {
		_ = d2.Close()
		t.Fatal("StartDemo accepted ATTUNE_DEMO_NOW=yesterday")
	} else if !strings.Contains(err.Error(), demoenv.NowEnv) {
		t.Errorf("error %q does not name %s", err, demoenv.NowEnv)
	}
}
