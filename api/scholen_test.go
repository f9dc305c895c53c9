package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

const tokenURL = "http://localhost:8080/v2/oauth2/token" // BASE_URL of the tests + the endpoint

// assertion signs a client assertion with the demo school's private key number key.
func assertion(t testing.TB, clientID string, key int, audience string, now time.Time, lifetime time.Duration) string {
	t.Helper()
	d, ok := app.DemoSchoolByClientID(clientID)
	if !ok {
		t.Fatalf("no demo school %s", clientID)
	}
	k, err := auth.ParsePrivateJWK([]byte(d.PrivateKeys[key]))
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.SignAssertion(k, clientID, audience, now, lifetime)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func tokenForm(assertion, scope string) string {
	f := url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {auth.ClientAssertionType}, "client_assertion": {assertion}}
	if scope != "" {
		f.Set("scope", scope)
	}
	return f.Encode()
}

func tokenRequest(form string) *http.Request {
	r := newRequest(http.MethodPost, "/v2/oauth2/token", form)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// schoolToken obtains an access token for a demo school through the token endpoint.
func (c *client) schoolToken(clientID, scope string, now time.Time) api.Toegangstoken {
	c.t.Helper()
	res, body := c.do(tokenRequest(tokenForm(assertion(c.t, clientID, 0, tokenURL, now, time.Minute), scope)))
	if res.StatusCode != http.StatusOK {
		c.t.Fatalf("token for %s: %d %s", clientID, res.StatusCode, body)
	}
	var tok api.Toegangstoken
	mustJSON(c.t, body, &tok)
	return tok
}

func problemID(p problem) string { return p.Type[strings.LastIndex(p.Type, "/")+1:] }

func TestSchoolTokenEndpoint(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	c := newClient(t, testenv.Options{Clock: clock})
	now := clock.Now()
	ctx := context.Background()

	// A school whose keurmerk lapsed yesterday, and one that gets revoked; both hold a demo key.
	jwks, err := auth.PublicJWKSOf(app.DemoSchools[1].PrivateKeys[0])
	if err != nil {
		t.Fatal(err)
	}
	lapsed := domain.School{ClientID: "school-verlopen", Name: "Verlopen keurmerk", BOWNumber: "123", KeurmerkUntil: domain.Today(now).AddDays(-1), JWKS: jwks, Scopes: domain.AllScopes}
	revoked := domain.School{ClientID: "school-ingetrokken", Name: "Ingetrokken", BOWNumber: "124", KeurmerkUntil: domain.NewDate(2030, 1, 1), JWKS: jwks, Scopes: domain.AllScopes}
	for _, s := range []domain.School{lapsed, revoked} {
		if _, err := c.a.Service.RegisterSchool(ctx, "test", s); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.a.Service.RevokeSchool(ctx, "test", revoked.ClientID); err != nil {
		t.Fatal(err)
	}
	signedAs := func(clientID string) string {
		k, _ := auth.ParsePrivateJWK([]byte(app.DemoSchools[1].PrivateKeys[0]))
		a, err := auth.SignAssertion(k, clientID, tokenURL, now, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	noord, zuid := "demo-taalschool-noord", "demo-taalschool-zuid"
	replayed := assertion(t, noord, 0, tokenURL, now, time.Minute)

	tests := []struct {
		name   string
		form   string
		status int
		id     string // the problem's message ID
		scope  string // granted scope on success
	}{
		{"valid, every granted scope", tokenForm(replayed, ""), 200, "", "urenverklaringen:schrijven contracten:schrijven verificaties:beantwoorden"},
		{"replayed assertion", tokenForm(replayed, ""), 401, "error.assertion_replayed", ""},
		{"second key (rotation)", tokenForm(assertion(t, noord, 1, tokenURL, now, time.Minute), "contracten:schrijven"), 200, "", "contracten:schrijven"},
		{"audience is the issuer", tokenForm(assertion(t, noord, 0, "http://localhost:8080", now, time.Minute), ""), 200, "", "urenverklaringen:schrijven contracten:schrijven verificaties:beantwoorden"},
		{"expired assertion", tokenForm(assertion(t, noord, 0, tokenURL, now.Add(-10*time.Minute), time.Minute), ""), 401, "error.assertion_expired", ""},
		{"assertion living too long", tokenForm(assertion(t, noord, 0, tokenURL, now, time.Hour), ""), 401, "error.client_invalid", ""},
		{"wrong audience", tokenForm(assertion(t, noord, 0, "https://elders.example/token", now, time.Minute), ""), 401, "error.client_invalid", ""},
		{"signed with another school's key", tokenForm(signedAs(noord), ""), 401, "error.client_invalid", ""},
		{"unknown client", tokenForm(signedAs("onbekende-school"), ""), 401, "error.client_invalid", ""},
		{"not a JWT", tokenForm("abc.def", ""), 401, "error.client_invalid", ""},
		{"scope not granted", tokenForm(assertion(t, zuid, 0, tokenURL, now, time.Minute), "verificaties:beantwoorden"), 400, "error.invalid_input", ""},
		{"unknown scope", tokenForm(assertion(t, zuid, 0, tokenURL, now, time.Minute), "alles"), 400, "error.invalid_input", ""},
		{"keurmerk lapsed", tokenForm(signedAs(lapsed.ClientID), ""), 403, "error.keurmerk_invalid", ""},
		{"revoked client", tokenForm(signedAs(revoked.ClientID), ""), 401, "error.client_invalid", ""},
		{"wrong grant type", strings.Replace(tokenForm(replayed, ""), "client_credentials", "password", 1), 400, "error.invalid_input", ""},
		{"no assertion", "grant_type=client_credentials&client_assertion_type=" + url.QueryEscape(auth.ClientAssertionType), 400, "error.invalid_input", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := c.do(tokenRequest(tt.form))
			if tt.status == 200 {
				if res.StatusCode != 200 {
					t.Fatalf("status %d: %s", res.StatusCode, body)
				}
				var tok api.Toegangstoken
				mustJSON(t, body, &tok)
				if tok.Scope != tt.scope || tok.ExpiresIn != 300 || tok.AccessToken == "" {
					t.Errorf("token %+v, want scope %q, 300 s", tok, tt.scope)
				}
				return
			}
			p := mustProblem(t, res, body, tt.status)
			if problemID(p) != tt.id {
				t.Errorf("problem %s, want %s: %s", problemID(p), tt.id, body)
			}
		})
	}
}

func TestSchoolAccessToken(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	c := newClient(t, testenv.Options{Clock: clock})
	tok := c.schoolToken("demo-taalschool-zuid", "", clock.Now())

	// A school's token is not an inburgeraar's: the operations of "mijn" refuse it.
	res, body := c.do(newRequest(http.MethodGet, "/v2/mijn/profiel", "", bearer(tok.AccessToken)))
	if p := mustProblem(t, res, body, 403); problemID(p) != "error.forbidden" {
		t.Errorf("school token on /mijn: %s", body)
	}
	// A tampered token is refused.
	res, body = c.do(newRequest(http.MethodGet, "/v2/mijn/profiel", "", bearer(tok.AccessToken[:len(tok.AccessToken)-2]+"AA")))
	mustProblem(t, res, body, 401)

	// After its five minutes the token has expired.
	clock.Advance(5*time.Minute + time.Second)
	res, body = c.do(newRequest(http.MethodGet, "/v2/mijn/profiel", "", bearer(tok.AccessToken)))
	if p := mustProblem(t, res, body, 401); problemID(p) != "error.token_expired" {
		t.Errorf("expired school token: %s", body)
	}
}

// TestSchoolAssertionReplayTwoInstances: two instances of the service on one database get the
// same assertion at once; exactly one issues a token.
func TestSchoolAssertionReplayTwoInstances(t *testing.T) {
	cfg := testenv.Config(t)
	ctx := context.Background()
	var apps []*wire.App
	for i := 0; i < 2; i++ {
		st, err := wire.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		a, err := wire.Build(ctx, cfg, st, wire.Options{Now: func() time.Time { return testenv.Now }, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		apps = append(apps, a)
	}
	if _, err := apps[0].Seed(ctx); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 5; round++ {
		form := tokenForm(assertion(t, "demo-taalschool-noord", 0, tokenURL, testenv.Now, time.Minute), "")
		var wg sync.WaitGroup
		statuses := make([]int, 4)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, _ := wrap(t, apps[i%2]).send(tokenRequest(form))
				statuses[i] = res.StatusCode
			}()
		}
		wg.Wait()
		ok, replay := 0, 0
		for _, s := range statuses {
			switch s {
			case 200:
				ok++
			case 401:
				replay++
			}
		}
		if ok != 1 || replay != 3 {
			t.Fatalf("round %d: statuses %v, want one 200 and three 401", round, statuses)
		}
	}
}

// TestTokenEndpointRateLimit: the token endpoint counts against tokens-ip, per client IP.
func TestTokenEndpointRateLimit(t *testing.T) {
	c := newClient(t, testenv.Options{Config: func(cfg *wire.Config) { cfg.RateLimits.TokensIP = "2/1m" }})
	for i := 0; i < 3; i++ {
		res, body := c.do(tokenRequest(tokenForm(assertion(t, "demo-taalschool-noord", 0, tokenURL, testenv.Now, time.Minute), "")))
		want := http.StatusOK
		if i == 2 {
			want = http.StatusTooManyRequests
		}
		if res.StatusCode != want {
			t.Fatalf("request %d: %d %s", i+1, res.StatusCode, body)
		}
		if res.Header.Get("RateLimit-Policy") == "" || !strings.Contains(res.Header.Get("RateLimit-Policy"), "tokens-ip") {
			t.Errorf("RateLimit-Policy %q", res.Header.Get("RateLimit-Policy"))
		}
	}
}
