// Package client is a typed, read-only client for the Attune REST API
// (events, enforcements, executions, rules, triggers, sensors, traces).
//
// Create one with New, then use the services hung off the Client:
//
//	c, err := client.New("https://attune.example.com", client.WithCredentials("alice", pw))
//	page, _, err := c.Events.List(ctx, &client.EventListOptions{TriggerRef: "core.webhook"})
package client
