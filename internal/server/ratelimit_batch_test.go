package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/server"
)

// memCounter is the shared counter table of several instances, in memory, counting statements.
type memCounter struct {
	mu         sync.Mutex
	counts     map[string]int64
	statements int
}

func (m *memCounter) AddRequests(_ context.Context, w map[string][3]int64) (map[string]int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.statements++
	out := map[string]int64{}
	for k, v := range w {
		m.counts[k] += v[2]
		out[k] = m.counts[k]
	}
	return out, nil
}

func (m *memCounter) SweepRequestCounts(context.Context, int64) (int64, error) { return 0, nil }

func (m *memCounter) total() (sum int64, statements int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, n := range m.counts {
		sum += n
	}
	return sum, m.statements
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// instance is one app instance's limited handler: true when the request got through.
func instance(counter server.RateCounter, clock *fakeClock, limit int64) func() bool {
	l := server.NewRateLimiter(server.RateLimiterOptions{Counter: counter, Key: []byte("k"), Now: clock.Now})
	rules := []server.RateRule{{Policy: server.RatePolicy{Name: "api-ip", Limit: limit, Window: time.Hour},
		Subject: func(echo.Context) string { return "192.0.2.1" }}}
	e := echo.New()
	h := l.Middleware(func(echo.Context) []server.RateRule { return rules })(func(c echo.Context) error {
		return c.NoContent(http.StatusOK)
	})
	return func() bool {
		c := e.NewContext(httptest.NewRequest(http.MethodGet, "/v2/x", nil), httptest.NewRecorder())
		return h(c) == nil
	}
}

// Far from the limit, requests are counted in memory and written in batches: a fraction of the
// statements, and every request reaches the table at the next flush.
func TestRateLimiterBatchesFarFromTheLimit(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	db := &memCounter{counts: map[string]int64{}}
	get := instance(db, clock, 100000)
	for i := range 1000 {
		if !get() {
			t.Fatalf("request %d refused", i)
		}
		if i%100 == 0 {
			clock.Advance(10 * time.Millisecond)
		}
	}
	sum, statements := db.total()
	if statements > 1000/15+10 {
		t.Errorf("%d statements for 1000 requests, want about one per 16", statements)
	}
	if sum < 1000-15 {
		t.Errorf("the table counts %d of 1000 requests before the flush", sum)
	}
	clock.Advance(time.Second)
	get()
	if sum, _ := db.total(); sum != 1001 {
		t.Errorf("after the flush the table counts %d, want 1001", sum)
	}
}

// Near the limit every request asks the table: one instance, even under concurrency, lets exactly
// the limit through; two instances overshoot by at most FlushEvery−1 (the other's unwritten count).
func TestRateLimiterBatchingKeepsTheLimit(t *testing.T) {
	for _, tc := range []struct {
		name      string
		instances int
		limit     int64
	}{{"one instance", 1, 200}, {"two instances", 2, 200}, {"small limit", 2, 10}} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
			db := &memCounter{counts: map[string]int64{}}
			var gets []func() bool
			for range tc.instances {
				gets = append(gets, instance(db, clock, tc.limit))
			}
			var mu sync.Mutex
			admitted := int64(0)
			var wg sync.WaitGroup
			for w := range 32 {
				wg.Go(func() {
					for range 20 {
						if gets[w%len(gets)]() {
							mu.Lock()
							admitted++
							mu.Unlock()
						}
					}
				})
			}
			wg.Wait()
			over := int64(0)
			if tc.instances > 1 {
				over = int64(tc.instances-1) * 15
			}
			if admitted < tc.limit || admitted > tc.limit+over {
				t.Errorf("admitted %d of 640, want %d to %d", admitted, tc.limit, tc.limit+over)
			}
		})
	}
}

// Keys seen once (random tokens) are counted in memory too, and written together after FlushAfter.
func TestRateLimiterBatchesManyKeys(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	db := &memCounter{counts: map[string]int64{}}
	l := server.NewRateLimiter(server.RateLimiterOptions{Counter: db, Key: []byte("k"), Now: clock.Now})
	e := echo.New()
	h := l.Middleware(func(echo.Context) []server.RateRule {
		return []server.RateRule{{Policy: server.RatePolicy{Name: "api-token", Limit: 600, Window: time.Minute},
			Subject: func(c echo.Context) string { return c.Request().Header.Get("X-Token") }}}
	})(func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	send := func(token string) {
		req := httptest.NewRequest(http.MethodGet, "/v2/x", nil)
		req.Header.Set("X-Token", token)
		if err := h(e.NewContext(req, httptest.NewRecorder())); err != nil {
			t.Fatal(err)
		}
	}
	const n = 3000 // more keys than one statement writes
	for i := range n {
		send(fmt.Sprint("token-", i))
	}
	if _, statements := db.total(); statements > 2 {
		t.Errorf("%d statements for %d requests of distinct keys", statements, n)
	}
	for range 4 {
		clock.Advance(time.Second)
		send("token-0")
	}
	if sum, statements := db.total(); sum != n+4 || statements > 6 {
		t.Errorf("after the flushes the table counts %d in %d statements, want %d", sum, statements, n+4)
	}
}

// slowCounter is a counter table whose statements take a while, as a busy database's do.
type slowCounter struct {
	memCounter
	delay time.Duration
}

func (s *slowCounter) AddRequests(ctx context.Context, w map[string][3]int64) (map[string]int64, error) {
	time.Sleep(s.delay)
	return s.memCounter.AddRequests(ctx, w)
}

// One busy key (all requests from one client address) under concurrency: while its batch is being
// written, the requests that would start the next one wait for that statement rather than each
// writing the same row, so the statements stay about one per FlushEvery requests.
func TestRateLimiterBusyKeyWaitsForItsFlush(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	db := &slowCounter{memCounter: memCounter{counts: map[string]int64{}}, delay: 2 * time.Millisecond}
	get := instance(db, clock, 1000000)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for range 50 {
				if !get() {
					t.Error("refused far from the limit")
				}
			}
		})
	}
	wg.Wait()
	sum, statements := db.total()
	t.Logf("%d statements for 3200 requests", statements)
	if statements > 3200/15+20 {
		t.Errorf("%d statements for 3200 requests of one key, want about one per 16", statements)
	}
	if sum < 3200-15 {
		t.Errorf("the table counts %d of 3200 requests", sum)
	}
}
