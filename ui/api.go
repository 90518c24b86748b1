package ui

import (
	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
)

// NewAPI returns the common.API backed by c, for Deps.API.
func NewAPI(c *client.Client) *common.API { return common.NewAPI(c) }

// LoginWith returns a common.LoginFunc for Deps.Login: it creates a client
// for baseURL with opts (transport, CA, user agent — no credentials) and
// signs in with what was typed into the login form.
func LoginWith(baseURL string, opts ...client.Option) common.LoginFunc {
	return common.LoginWith(baseURL, opts...)
}
