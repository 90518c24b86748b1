package client_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/attune-tui/attune-tui/client"
)

// exampleServer is a minimal Attune stand-in for the example.
func exampleServer() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"data":{"access_token":"a","refresh_token":"r","token_type":"Bearer","expires_in":3600,
			"user":{"id":1,"login":"alice","display_name":"Alice"}}}`)
	})
	mux.HandleFunc("GET /api/v1/events", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer a" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"items":[
			{"id":2,"trigger":1,"trigger_ref":"core.webhook","source":null,"source_ref":null,"rule":null,"rule_ref":null,"has_payload":true,"created":"2026-06-11T14:03:00Z"},
			{"id":1,"trigger":1,"trigger_ref":"core.webhook","source":null,"source_ref":null,"rule":null,"rule_ref":null,"has_payload":false,"created":"2026-06-11T14:02:00Z"}],
			"pagination":{"page":1,"page_size":50,"total_items":2,"total_pages":1,"has_previous":false,"has_next":false}}`)
	})
	return httptest.NewServer(mux)
}

// Example signs in and lists the events of one trigger.
func Example() {
	srv := exampleServer()
	defer srv.Close()

	ctx := context.Background()
	c, err := client.New(srv.URL, client.WithCredentials("alice", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	// The client signs in lazily on the first call; an explicit Login
	// reports bad credentials early.
	if _, _, err := c.Auth.Login(ctx, "alice", "s3cret"); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("signed in as", c.Auth.User().Login)

	page, _, err := c.Events.List(ctx, &client.EventListOptions{
		ListOptions: client.ListOptions{PerPage: 50, IncludeTotal: true},
		TriggerRef:  "core.webhook",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	total, _ := page.TotalItems()
	fmt.Println("events:", total)
	for _, ev := range page.Items {
		fmt.Println(ev.ID, ev.TriggerRef, ev.HasPayload)
	}
	// Output:
	// signed in as alice
	// events: 2
	// 2 core.webhook true
	// 1 core.webhook false
}
