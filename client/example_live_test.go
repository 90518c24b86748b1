package client_test

import (
	"context"
	"errors"
	"log"

	"github.com/attune-tui/attune-tui/client"
)

// ExampleNewNotifier follows enforcements and executions live, trying the
// web image's /ws proxy once when no notifier URL is configured, and
// falling back to the execution SSE stream when that fails.
func ExampleNewNotifier() {
	ctx := context.Background()
	c, err := client.New("https://attune.example.com", client.WithCredentials("alice", "s3cret"))
	if err != nil {
		log.Fatal(err)
	}
	notifierURL := "" // --notifier-url, ATTUNE_NOTIFIER_URL or the context's notifier_url
	opts := &client.NotifierOptions{Filters: []client.Filter{
		client.FilterEntityType("enforcement"),
		client.FilterEntityType("execution"),
	}}
	if notifierURL == "" {
		notifierURL = c.DefaultNotifierURL() // a guess: try it once
		opts.FailFast = true
	}
	n, err := client.NewNotifier(ctx, c, notifierURL, opts)
	if err != nil {
		log.Fatal(err)
	}
	defer n.Close()
	for {
		ev, err := n.Next(ctx)
		var ne *client.NotifierError
		switch {
		case errors.As(err, &ne) && errors.Is(err, client.ErrUnauthorized):
			log.Print("sign in again: ", err)
			return
		case err != nil:
			log.Print("no notifier, using SSE and polling: ", err)
			st, err := c.Executions.Stream(ctx, nil)
			if err != nil {
				log.Print(err)
				return
			}
			// From here on, read st.Next(ctx) the way n.Next is read above.
			st.Close()
			return
		}
		switch ev.Kind {
		case client.LiveNotification:
			if ev.Notification.Compact {
				log.Printf("%s %d changed: refetch it", ev.Notification.EntityType, ev.Notification.EntityID)
			}
		case client.LiveGap:
			log.Print("missed changes: refetch the screen")
		case client.LiveReconnecting:
			log.Printf("reconnecting in %s: %v", ev.Delay, ev.Err)
		}
	}
}
