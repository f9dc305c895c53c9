package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLimitInFlight: at most n requests are inside at once, a waiting request goes in when a place
// frees, and one whose client leaves while waiting never reaches the handler.
func TestLimitInFlight(t *testing.T) {
	var inside, most, served atomic.Int32
	release := make(chan struct{})
	h := LimitInFlight(2, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inside.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		<-release
		inside.Add(-1)
		served.Add(1)
	}))

	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
		}()
	}
	waitFor(t, func() bool { return inside.Load() == 2 })

	// A fourth request whose client goes away while it waits.
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan struct{})
	go func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx))
		close(gone)
	}()
	cancel()
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Fatal("a request whose client left still waits")
	}
	if inside.Load() != 2 {
		t.Fatalf("%d requests inside, want 2", inside.Load())
	}

	release <- struct{}{} // one leaves: the third goes in
	waitFor(t, func() bool { return served.Load() == 1 && inside.Load() == 2 })
	close(release)
	wg.Wait()
	if got := served.Load(); got != 3 {
		t.Fatalf("served %d, want 3 (the request that left must not be served)", got)
	}
	if got := most.Load(); got != 2 {
		t.Fatalf("at most %d inside at once, want 2", got)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5 s")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestLimitInFlightBodies: a small body is read before the request waits and handed on unchanged,
// with a client's broken-off body ending in the same error; a large body goes past the limit
// without taking a place, its bytes unchanged.
func TestLimitInFlightBodies(t *testing.T) {
	type seen struct {
		body string
		err  error
	}
	got := make(chan seen, 1)
	block, entered := make(chan struct{}), make(chan struct{})
	h := LimitInFlight(1, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/block" {
			close(entered)
			<-block
			return
		}
		b, err := io.ReadAll(r.Body)
		got <- seen{string(b), err}
	}))

	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"tijdslot":1}`)))
	if s := <-got; s.body != `{"tijdslot":1}` || s.err != nil {
		t.Fatalf("small body: %q, %v", s.body, s.err)
	}

	broken := errors.New("client broke off")
	req := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(strings.NewReader("half"), errReader{broken}))
	h.ServeHTTP(httptest.NewRecorder(), req)
	if s := <-got; s.body != "half" || !errors.Is(s.err, broken) {
		t.Fatalf("broken body: %q, %v", s.body, s.err)
	}

	// The one place is taken; a large body is still served.
	go h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/block", nil))
	<-entered
	large := strings.Repeat("0123456789abcdef", maxBufferedBody/16+10)
	// Sent with its length, and chunked (its length found by reading): the same outcome.
	for _, length := range []int64{int64(len(large)), -1} {
		done := make(chan struct{})
		go func() {
			req := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(strings.NewReader(large)))
			req.ContentLength = length
			h.ServeHTTP(httptest.NewRecorder(), req)
			close(done)
		}()
		select {
		case s := <-got:
			if s.body != large || s.err != nil {
				t.Fatalf("large body (length %d): %d bytes, %v; want %d bytes", length, len(s.body), s.err, len(large))
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("a large body (length %d) waited for a place", length)
		}
		<-done
	}
	close(block)
}
