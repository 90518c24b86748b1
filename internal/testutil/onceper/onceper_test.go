package onceper

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestGetComputesOncePerKey(t *testing.T) {
	var p Map[string, int]
	var calls atomic.Int32
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := []string{"a", "b"}[i%2]
			v, err := p.Get(k, func() (int, error) { calls.Add(1); return len(k) * 10, nil })
			if err != nil || v != 10 {
				t.Errorf("Get(%q) = %d, %v", k, v, err)
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 2 {
		t.Errorf("computed %d times, want 2 (once per key)", n)
	}
}

func TestGetKeepsFailureAndTakeDropsIt(t *testing.T) {
	var p Map[int, string]
	boom := errors.New("boom")
	for range 2 {
		if _, err := p.Get(1, func() (string, error) { return "", boom }); !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
	}
	if _, err := p.Get(2, func() (string, error) { return "ok", nil }); err != nil {
		t.Fatal(err)
	}
	if got := p.Take(); len(got) != 1 || got[0] != "ok" {
		t.Fatalf("Take = %v, want [ok]", got)
	}
	v, err := p.Get(1, func() (string, error) { return "again", nil })
	if err != nil || v != "again" {
		t.Fatalf("after Take: %q, %v; want a fresh computation", v, err)
	}
}
