package wire_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/inburgering/portal/internal/testenv"
)

// API requests far from their limits are counted in batches: a few counting statements for many
// requests, with the tokens drawn at random as in a real load (issue 12).
func TestAPICountingIsBatched(t *testing.T) {
	limits := allOff
	limits.APIToken, limits.APIIP, limits.TokensIP = "100000/1m", "100000/1m", "1000/1m"
	a := testenv.New(t, testenv.Options{Config: withLimits(limits)})
	b := testenv.NewBrowser(t, a.Echo)
	var tokens []string
	for _, p := range []string{"yusuf", "ahmad", "amal", "dawit", "samira"} {
		res := b.Do(demoTokenRequest(p))
		var out struct{ AccessToken string }
		if err := json.Unmarshal([]byte(testenv.ReadBody(t, res)), &out); err != nil || out.AccessToken == "" {
			t.Fatalf("demo token: %d %v", res.StatusCode, err)
		}
		tokens = append(tokens, out.AccessToken)
	}
	var counting atomic.Int64
	if err := a.Store.OnStatement(func(sql string) {
		if strings.Contains(sql, "rate_limits") {
			counting.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}
	const n = 400
	for i := range n {
		req := httptest.NewRequest(http.MethodGet, "/v2/mijn/inburgeringstermijn", nil)
		req.Header.Set("Authorization", "Bearer "+tokens[i*7%len(tokens)])
		if res := b.Do(req); res.StatusCode != http.StatusOK {
			t.Fatalf("request %d: %d", i, res.StatusCode)
		}
	}
	if got := counting.Load(); got > n/8 {
		t.Errorf("%d counting statements for %d requests, want at most %d", got, n, n/8)
	}
	t.Logf("%d counting statements for %d requests", counting.Load(), n)
}
