package listview

import (
	"context"
	"errors"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
)

// SensorGetter reads one sensor by ref: the filter bars resolve
// source:<sensor ref> with it. common.ClientAPI implements it.
type SensorGetter interface {
	GetSensor(ctx context.Context, ref string) (*client.Sensor, error)
}

// Resolver returns the filter bars' resolver of refs given for ids:
// "source" takes a sensor ref (GET /api/v1/sensors/{ref}). It is nil when
// api cannot read sensors.
func Resolver(api any) filterbar.Resolver {
	sg, ok := api.(SensorGetter)
	if !ok {
		return nil
	}
	return func(ctx context.Context, key, ref string) (int64, error) {
		if key != "source" {
			return 0, fmt.Errorf("%q is not an id", ref)
		}
		s, err := sg.GetSensor(ctx, ref)
		switch {
		case errors.Is(err, client.ErrNotFound):
			return 0, fmt.Errorf("no sensor %q", ref)
		case err != nil:
			return 0, fmt.Errorf("resolve sensor %q: %w", ref, err)
		}
		return s.ID, nil
	}
}

// ResolveThenApply returns the command that resolves the refs of toks (a
// filter given on the command line) and applies the filter, or reports why
// it could not. It is nil when nothing needs resolving.
func ResolveThenApply(deps common.Deps, fields []filterbar.Field, toks []filterbar.Token, noun string) tea.Cmd {
	if !filterbar.NeedsResolve(fields, toks) {
		return nil
	}
	cmd := filterbar.ResolveCmd(fields, toks, Resolver(deps.API), deps.RequestContext)
	return func() tea.Msg {
		msg := cmd()
		if e, ok := msg.(filterbar.ResolveErrMsg); ok {
			return common.ErrorMsg{Err: fmt.Errorf("filter: %w", e.Err), Origin: noun}
		}
		return msg
	}
}

// knownMsg answers the load of the known refs.
type knownMsg struct {
	known map[string][]string
	err   error
}

// knownCmd loads the known refs into recall.
func knownCmd(recall *common.Recall, api common.RuleLister, ctx pagedlist.RequestContext) tea.Cmd {
	return func() tea.Msg {
		c, cancel := ctx()
		defer cancel()
		k, err := recall.LoadKnown(c, api)
		return knownMsg{known: k, err: err}
	}
}
