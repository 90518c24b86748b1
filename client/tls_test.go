package client_test

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/attune-tui/attune-tui/client"
)

func TestTLSOptions(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, []byte(`{"status":"ok"}`))
	}))
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		opts    []client.Option
		wantErr bool
	}{
		{"system roots reject the test CA", nil, true},
		{"WithRootCAs", []client.Option{client.WithRootCAs(pool)}, false},
		{"WithCAFile", []client.Option{client.WithCAFile(caFile)}, false},
		{"WithInsecureSkipVerify", []client.Option{client.WithInsecureSkipVerify()}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := append([]client.Option{client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1})}, tc.opts...)
			c, err := client.New(srv.URL, opts...)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = c.Health.Check(t.Context())
			var te *client.TransportError
			if tc.wantErr != errors.As(err, &te) || (!tc.wantErr && err != nil) {
				t.Errorf("err = %v, want transport error: %v", err, tc.wantErr)
			}
		})
	}
}
