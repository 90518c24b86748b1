package devserver

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"
)

// TestNotifierFaults covers the notifier fault options.
func TestNotifierFaults(t *testing.T) {
	t.Parallel()
	t.Run("drop after", func(t *testing.T) {
		t.Parallel()
		e := startNotifierEnv(t, Options{Faults: Faults{NotifierDropAfter: 2}})
		w := e.dial(t, e.token)
		w.subscribe("all")
		w.sync()
		e.step(t)
		e.step(t)
		var got int
		var err error
		for {
			var m map[string]any
			if m, err = w.tryRead(); err != nil {
				break
			}
			if m["type"] == "notification" {
				got++
			}
		}
		if got != 2 || websocket.CloseStatus(err) != -1 {
			t.Fatalf("got %d notifications then %v; want 2 then a transport error, no close frame", got, err)
		}
		// A new socket works (and is dropped again after two).
		again := e.dial(t, e.token)
		again.subscribe("entity_type:event")
		again.sync()
		e.step(t)
		if got := again.sync(); len(got) != 1 {
			t.Fatalf("after reconnect: %v", got)
		}
	})
	t.Run("drop now", func(t *testing.T) {
		t.Parallel()
		e := startNotifierEnv(t, Options{})
		w1, w2 := e.dial(t, e.token), e.dial(t, e.token)
		w1.sync()
		w2.sync()
		if n := e.srv.DropNotifierClients(); n != 2 {
			t.Fatalf("dropped %d, want 2", n)
		}
		for _, w := range []*wsTestConn{w1, w2} {
			if _, err := w.tryRead(); err == nil || websocket.CloseStatus(err) != -1 {
				t.Fatalf("want a transport error, got %v", err)
			}
		}
		if c, _ := e.stats(t); c != 0 {
			t.Fatalf("%d clients left", c)
		}
	})
	t.Run("stall", func(t *testing.T) {
		t.Parallel()
		e := startNotifierEnv(t, Options{})
		w := e.dial(t, e.token)
		w.sync()
		e.srv.SetFaults(Faults{NotifierStall: true})
		// Nothing leaves a stalled socket, not even a Pong. The deadline
		// bounds the wait for an answer that must not come; it does not
		// synchronise anything.
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		errc := make(chan error, 1)
		go func() { errc <- w.conn.Ping(ctx) }()
		_, _, rerr := w.conn.Read(ctx)
		if perr := <-errc; perr == nil || rerr == nil {
			t.Fatalf("stalled socket answered: ping %v, read %v", perr, rerr)
		}
	})
	t.Run("stall then resume", func(t *testing.T) {
		t.Parallel()
		e := startNotifierEnv(t, Options{})
		w := e.dial(t, e.token)
		w.subscribe("entity_type:event")
		w.sync()
		e.srv.SetFaults(Faults{NotifierStall: true})
		e.step(t)                 // lost for the stalled socket
		w.send(barrierMsg)        // its reply waits at the gate
		e.srv.SetFaults(Faults{}) // resume
		m := w.read()
		if m["type"] != "error" {
			t.Fatalf("first frame after the stall %v: the stalled step's notification must be lost", m)
		}
		e.step(t)
		if got := w.sync(); len(got) != 1 || got[0]["notification_type"] != NoteEventCreated {
			t.Fatalf("after resume: %v", got)
		}
	})
	t.Run("refuse", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			status int
			body   string
		}{
			{401, `{"error":"invalid_or_expired_token"}`},
			{500, `{"error":"permission_lookup_failed"}`},
			{503, ``},
		} {
			e := startNotifierEnv(t, Options{Faults: Faults{NotifierRefuse: tc.status}})
			_, resp, err := e.dialRaw(t, "", "Bearer "+e.token)
			if err == nil || resp == nil || resp.StatusCode != tc.status {
				t.Fatalf("refuse %d: %v %v", tc.status, resp, err)
			}
			b, _ := io.ReadAll(resp.Body)
			if strings.TrimSpace(string(b)) != tc.body {
				t.Fatalf("refuse %d: body %s", tc.status, b)
			}
			e.srv.SetFaults(Faults{})
			if _, _, err := e.dialRaw(t, "", "Bearer "+e.token); err != nil {
				t.Fatalf("after clearing: %v", err)
			}
		}
	})
}

// TestNotifierCloseNoLeak: Close ends open sockets (a stalled one too) and
// execution streams, and leaves no goroutine behind. Not parallel, so that
// goleak sees only its own goroutines.
func TestNotifierCloseNoLeak(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) }) // after the httptest servers' cleanup
	e := startNotifierEnv(t, Options{})
	url, err := e.srv.StartNotifier(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w := e.dial(t, e.token)
	w.subscribe("all")
	w.sync()
	stalled, _, err := e.dialRaw(t, url, "Bearer "+e.token)
	if err != nil {
		t.Fatal(err)
	}
	sw := &wsTestConn{tb: t, conn: stalled}
	sw.read() // welcome
	s := e.stream(t, "")
	e.srv.SetFaults(Faults{NotifierStall: true})
	sw.send(barrierMsg) // its reply is held at the gate
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.tryRead(); err == nil {
		t.Fatal("socket open after Close")
	}
	if _, err := sw.tryRead(); err == nil {
		t.Fatal("stalled socket open after Close")
	}
	if _, err := s.rd.ReadString('\n'); err == nil {
		t.Fatal("stream open after Close")
	}
	_ = s.resp.Body.Close()
	_ = w.conn.CloseNow()
	_ = stalled.CloseNow()
	http.DefaultClient.CloseIdleConnections()
}

// TestDemoNotifier: StartDemo serves the notifier on its own loopback port
// and publishes live steps there.
func TestDemoNotifier(t *testing.T) {
	t.Parallel()
	d, err := StartDemo(context.Background(), DemoOptions{Events: 20, LiveRate: -1, DBPath: t.TempDir() + "/demo.db"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if !strings.HasPrefix(d.NotifierURL, "ws://127.0.0.1:") || strings.TrimPrefix(d.NotifierURL, "ws") == strings.TrimPrefix(d.URL, "http")+"/ws" {
		t.Fatalf("notifier URL %q (API %q)", d.NotifierURL, d.URL)
	}
	tok, err := d.Server.issue(tokenAccess)
	if err != nil {
		t.Fatal(err)
	}
	e := &notifierEnv{wsURL: d.NotifierURL}
	c, _, err := e.dialRaw(t, "", "Bearer "+tok)
	if err != nil {
		t.Fatal(err)
	}
	w := &wsTestConn{tb: t, conn: c}
	w.read() // welcome
	w.subscribe("entity_type:event")
	w.sync()
	if err := d.Server.LiveStep(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := w.sync(); len(got) != 1 || got[0]["notification_type"] != NoteEventCreated {
		t.Fatalf("got %v", got)
	}
}
