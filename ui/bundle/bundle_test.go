package bundle

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// failedEvent is a seeded event (seed 1, 300 events) whose chain has a
// failed execution.
const failedEvent = 287

// TestBundleGolden collects the bundle of the seeded failed chain from
// every start (the event, its enforcement, its failed execution) at the
// fixed clock and compares the Markdown and JSON with goldens: the same
// chain gives the same files whatever the start, except the start line
// and the requests that resolved it.
func TestBundleGolden(t *testing.T) {
	t.Parallel()
	api, _ := uitest.StartDev(t, testutil.DevOptions{})
	b, err := Collect(t.Context(), api, "http://attune.test", "event", failedEvent, "", uitest.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Failures) == 0 {
		t.Fatalf("event %d: no failed execution in its chain; the seed changed?", failedEvent)
	}
	js, err := b.JSON()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("markdown", func(t *testing.T) { golden.RequireEqual(t, []byte(b.Markdown())) })
	t.Run("json", func(t *testing.T) { golden.RequireEqual(t, js) })

	x := b.Failures[0].Execution
	for _, start := range []struct {
		kind string
		id   int64
	}{{"execution", x.ID}, {"enforcement", *x.Enforcement}} {
		o, err := Collect(t.Context(), api, "http://attune.test", start.kind, start.id, "", uitest.Now())
		if err != nil {
			t.Fatalf("from %s %d: %v", start.kind, start.id, err)
		}
		if o.Event.ID != failedEvent || len(o.Failures) != len(b.Failures) {
			t.Errorf("from %s %d: event %d, %d failures", start.kind, start.id, o.Event.ID, len(o.Failures))
		}
	}
}

// TestBundleHasNoSecret scans both files for the session's token and
// password and for an Authorization header.
func TestBundleHasNoSecret(t *testing.T) {
	t.Parallel()
	ds := testutil.StartDevServer(t, testutil.DevOptions{})
	login, err := client.New(ds.URL)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := login.Auth.Login(t.Context(), ds.Login, ds.Password)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(ds.URL, client.WithToken(tok.AccessToken))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Collect(t.Context(), common.NewAPI(c), ds.URL, "event", failedEvent, "", uitest.Now())
	if err != nil {
		t.Fatal(err)
	}
	js, err := b.JSON()
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"markdown": b.Markdown(), "json": string(js)} {
		for _, secret := range []string{tok.AccessToken, tok.RefreshToken, ds.Password, "Authorization", "Bearer"} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds %q", name, secret)
			}
		}
	}
}

// TestBundleMarkdownIsSafe checks that hostile API text cannot reach a
// terminal that prints the Markdown, nor break its tables and code blocks.
func TestBundleMarkdownIsSafe(t *testing.T) {
	t.Parallel()
	api, _ := uitest.StartDev(t, testutil.DevOptions{Adversarial: true})
	for id := int64(280); id <= 300; id++ {
		b, err := Collect(t.Context(), api, "http://attune.test", "event", id, "", uitest.Now())
		if err != nil {
			t.Fatal(err)
		}
		md := b.Markdown()
		for i := 0; i < len(md); i++ {
			if c := md[i]; c == 0x1b || c == 0x07 || c == '\r' || (c < 0x20 && c != '\n' && c != '\t') {
				t.Fatalf("event %d: the Markdown holds control byte %#x at %d", id, c, i)
			}
		}
	}
}
