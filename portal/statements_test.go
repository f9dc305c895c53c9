package portal_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestLoggedInGETWritesNothing counts the statements a logged-in GET of each of the inburgeraar's
// own pages runs (a gorm callback on the store): no INSERT, UPDATE or DELETE — no profile
// language, no rate-limit counter — and, for the overview, a bounded number of reads. The session's
// last-seen time is written at most once per touch interval; the clock stands still here.
func TestLoggedInGETWritesNothing(t *testing.T) {
	h := newHarness(t)
	user := h.login("ar", "yusuf")
	if res := user.Get("/ar/mijn"); res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	take := h.recordStatements(t)
	h.clock.Advance(time.Second)
	pages := []struct {
		path    string
		maxRead int
	}{
		{"/ar/mijn", 2}, // the session and the overview, one statement each
		{"/ar/mijn/termijn", 2},
		{"/ar/mijn/lening", 2},
		{"/ar/mijn/pip", 2},
		{"/ar/mijn/berichten", 0},
		{"/ar", 0},
	}
	for _, pg := range pages {
		take()
		if res := user.Get(pg.path); res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", pg.path, res.StatusCode)
		}
		got := take()
		for _, s := range got {
			verb := strings.ToUpper(strings.Fields(strings.TrimSpace(s) + " x")[0])
			if verb != "SELECT" && verb != "WITH" {
				t.Errorf("GET %s wrote: %s", pg.path, s)
			}
		}
		if pg.maxRead > 0 && len(got) > pg.maxRead {
			t.Errorf("GET %s ran %d statements, want at most %d:\n%s", pg.path, len(got), pg.maxRead, strings.Join(got, "\n"))
		}
		t.Logf("GET %s: %d statements", pg.path, len(got))
	}
}
