package common

import (
	"context"
	"fmt"

	"github.com/attune-tui/attune-tui/client"
)

// clientAPI adapts a *client.Client to API.
type clientAPI struct{ c *client.Client }

// ClientAPI returns the API backed by c. The root package re-exports it as
// ui.NewAPI.
func ClientAPI(c *client.Client) API { return clientAPI{c: c} }

// ListEvents implements API.
func (a clientAPI) ListEvents(ctx context.Context, q EventQuery) (*client.Page[client.EventSummary], error) {
	p, _, err := a.c.Events.List(ctx, &client.EventListOptions{
		ListOptions: client.ListOptions{Page: q.Page, PerPage: q.PerPage},
		Trigger:     q.Trigger,
		Source:      q.Source,
		TriggerRef:  q.TriggerRef,
		RuleRef:     q.RuleRef,
		TraceTag:    q.TraceTag,
	})
	return p, err
}

// GetEvent implements API.
func (a clientAPI) GetEvent(ctx context.Context, id int64) (*client.Event, error) {
	ev, _, err := a.c.Events.Get(ctx, id)
	return ev, err
}

// Me implements API.
func (a clientAPI) Me(ctx context.Context) (*client.CurrentUser, error) {
	u, _, err := a.c.Auth.Me(ctx)
	return u, err
}

// LoginWith returns a LoginFunc for the login form: it creates a
// client for baseURL with opts (transport, CA, user agent — no credentials)
// and signs in with the typed login and password.
func LoginWith(baseURL string, opts ...client.Option) LoginFunc {
	return func(ctx context.Context, login, password string) (API, error) {
		c, err := client.New(baseURL, opts...)
		if err != nil {
			return nil, fmt.Errorf("new client: %w", err)
		}
		if _, _, err := c.Auth.Login(ctx, login, password); err != nil {
			return nil, err
		}
		return ClientAPI(c), nil
	}
}
