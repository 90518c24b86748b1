package client_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/attune-tui/attune-tui/client"
)

// TestSecretsNeverPrinted formats every client value and error with every
// verb and checks that no token or password appears.
func TestSecretsNeverPrinted(t *testing.T) {
	t.Parallel()
	const echoed = "access-echo-0123456789"
	srv := &authServer{t: t}
	c, mux := setupNoToken(t, client.WithCredentials(testLogin, testPassword))
	srv.register(mux)
	mux.HandleFunc("GET /api/v1/events/1", func(w http.ResponseWriter, r *http.Request) {
		// A hostile or buggy server echoing the credentials back.
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		writeJSON(w, 404, []byte(`{"error":"no event for `+tok+` / `+testPassword+`","code":"NOT_FOUND"}`))
	})
	tok, _, err := c.Auth.Login(t.Context(), testLogin, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	_, _, notFound := c.Events.Get(t.Context(), 1)
	if !errors.Is(notFound, client.ErrNotFound) {
		t.Fatalf("err = %v", notFound)
	}
	_, _, badLogin := c.Auth.Login(t.Context(), testLogin, "wrong-"+testPassword)
	static, err := client.New("https://attune.example.com", client.WithToken(echoed))
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]any{
		"client":          c,
		"client value":    *c,
		"static client":   static,
		"token response":  tok,
		"token value":     *tok,
		"auth service":    c.Auth,
		"events service":  c.Events,
		"not found error": notFound,
		"login error":     badLogin,
		"user":            c.Auth.User(),
	}
	secrets := []string{testPassword, tok.AccessToken, tok.RefreshToken, echoed, srv.current()}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, v)
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("%s formatted with %s leaks %q: %s", name, verb, s, out)
				}
			}
		}
	}
}
