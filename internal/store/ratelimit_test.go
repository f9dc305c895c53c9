package store_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/inburgering/portal/internal/store"
	"github.com/inburgering/portal/internal/testenv"
)

func rateKey(c byte) string { return strings.Repeat(string(c), 64) }

func TestCountRequestsWindows(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	a, b := rateKey('a'), rateKey('b')
	count := func(windows map[string][2]int64) map[string]int64 {
		t.Helper()
		got, err := st.CountRequests(ctx, windows)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	steps := []struct {
		name    string
		windows map[string][2]int64
		want    map[string]int64
	}{
		{"first request of two keys", map[string][2]int64{a: {60, 120}, b: {0, 3600}}, map[string]int64{a: 1, b: 1}},
		{"same window counts on", map[string][2]int64{a: {60, 120}, b: {0, 3600}}, map[string]int64{a: 2, b: 2}},
		{"one key alone", map[string][2]int64{a: {60, 120}}, map[string]int64{a: 3}},
		{"a new window starts at 1", map[string][2]int64{a: {120, 180}, b: {0, 3600}}, map[string]int64{a: 1, b: 3}},
		// An instance whose clock lags behind must not move the window back nor restart it.
		{"an older window counts in the newer one", map[string][2]int64{a: {60, 120}}, map[string]int64{a: 2}},
		{"nothing to count", map[string][2]int64{}, map[string]int64{}},
	}
	for _, s := range steps {
		got := count(s.windows)
		if fmt.Sprint(got) != fmt.Sprint(s.want) {
			t.Errorf("%s: %v, want %v", s.name, got, s.want)
		}
	}

	// The sweep deletes the windows that ended: a ends at 180, b at 3600.
	for _, tc := range []struct {
		now  int64
		gone int64
	}{{150, 0}, {179, 0}, {180, 1}, {3600, 1}, {5000, 0}} {
		n, err := st.SweepRequestCounts(ctx, tc.now)
		if err != nil || n != tc.gone {
			t.Errorf("sweep at %d: %d deleted (%v), want %d", tc.now, n, err, tc.gone)
		}
	}
	if got := count(map[string][2]int64{a: {120, 180}}); got[a] != 1 {
		t.Errorf("after the sweep a counts %d, want 1 (a fresh row)", got[a])
	}
}

// The schema refuses a raw value as key: only 64-character HMACs are stored.
func TestCountRequestsRefusesRawKeys(t *testing.T) {
	st := openStore(t)
	if _, err := st.CountRequests(context.Background(), map[string][2]int64{"192.0.2.1": {0, 60}}); err == nil {
		t.Fatal("a raw IP address was stored as a rate-limit key")
	}
}

// Two stores on one database (two app instances) counting the same key at the same time: every
// request gets its own count, none is lost or counted twice.
func TestCountRequestsIsAtomicAcrossInstances(t *testing.T) {
	ctx := context.Background()
	url := testenv.DatabaseURL(t)
	var stores []*store.Store
	for range 2 {
		st, err := store.Open(url, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		stores = append(stores, st)
	}
	const perStore = 15
	key, other := rateKey('c'), rateKey('d')
	var (
		mu     sync.Mutex
		counts []int64
		wg     sync.WaitGroup
	)
	for i := range 2 * perStore {
		wg.Go(func() {
			got, err := stores[i%2].CountRequests(ctx, map[string][2]int64{key: {0, 60}, other: {0, 60}})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			counts = append(counts, got[key])
			mu.Unlock()
		})
	}
	wg.Wait()
	sort.Slice(counts, func(i, j int) bool { return counts[i] < counts[j] })
	for i, n := range counts {
		if n != int64(i+1) {
			t.Fatalf("counts %v, want 1…%d each once", counts, 2*perStore)
		}
	}
}
