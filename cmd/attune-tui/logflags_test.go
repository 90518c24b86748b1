package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestLogStreamCompatFlag: --log-stream-compat parses for the TUI's --demo
// and makes `devserver` serve log streams as upstream's RT-EX (no
// x-accel-buffering, done "Execution complete" or without data).
func TestLogStreamCompatFlag(t *testing.T) {
	t.Parallel()
	f, err := parseTUIFlags([]string{"--demo", "--log-stream-compat"}, io.Discard)
	if err != nil || !f.logCompat {
		t.Fatalf("parse: %v %+v", err, f)
	}
	d := startDevserverCmd(t, "--listen", "127.0.0.1:0", "--events", "60", "--fixed-time", "--log-stream-compat")
	defer d.stop(t)
	do := func(method, path, body, token string) *http.Response {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, _ := http.NewRequestWithContext(context.Background(), method, d.url+path, rd)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return resp
	}
	resp := do(http.MethodPost, "/auth/login", `{"login":"demo","password":"demo"}`, "")
	var login struct {
		Data struct {
			Access string `json:"access_token"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&login); err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	resp = do(http.MethodGet, "/api/v1/executions?status=completed&per_page=1", "", login.Data.Access)
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || len(list.Items) != 1 {
		t.Fatalf("executions: %v %+v", err, list)
	}
	_ = resp.Body.Close()
	resp = do(http.MethodGet, "/api/v1/executions/"+strconv.FormatInt(list.Items[0].ID, 10)+"/logs/stdout/stream", "", login.Data.Access)
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("X-Accel-Buffering") != "" {
		t.Fatalf("stream: %d %v %v", resp.StatusCode, resp.Header, err)
	}
	if s := string(body); !strings.HasSuffix(s, "event: done\ndata: Execution complete\n\n") && s != "event: done\n\n" {
		t.Errorf("not an RT-EX stream: %q", s)
	}
}
