package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/testenv"
)

// ---------------------------------------------------------------------------------------------
// 4. Authentication
// ---------------------------------------------------------------------------------------------

func TestAuth(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(testenv.Now)
	c := newClient(t, testenv.Options{Clock: clock})
	tok := c.token("yusuf")

	secured := []struct{ method, path, body string }{
		{http.MethodGet, "/v1/mijn/inburgeringstermijn", ""},
		{http.MethodGet, "/v1/mijn/lening", ""},
		{http.MethodGet, "/v1/mijn/pip", ""},
		{http.MethodGet, "/v1/mijn/berichten", ""},
		{http.MethodGet, "/v1/mijn/berichten/1", ""},
		{http.MethodPatch, "/v1/mijn/berichten/1", `{"gelezen":true}`},
		{http.MethodGet, "/v1/mijn/profiel", ""},
		{http.MethodPatch, "/v1/mijn/profiel", `{"voorkeurstaal":"nl"}`},
		{http.MethodGet, "/v1/mijn/medische-aanvragen", ""},
		{http.MethodGet, "/v1/mijn/medische-aanvragen/1", ""},
		{http.MethodGet, "/v1/mijn/medische-aanvragen/1/advies", ""},
		{http.MethodGet, "/v1/mijn/medische-aanvragen/1/toestemmingen", ""},
		{http.MethodPost, "/v1/mijn/medische-aanvragen/1/toestemmingen", `{"keuze":"toestemming"}`},
		{http.MethodGet, "/v1/mijn/facturen", ""},
		{http.MethodGet, "/v1/mijn/facturen/1", ""},
		{http.MethodPost, "/v1/mijn/facturen/1/besluit", `{"besluit":"accepteren"}`},
		// Language schools (issue 10).
		{http.MethodGet, "/v1/contracten", ""},
		{http.MethodPost, "/v1/contracten", `{}`},
		{http.MethodPost, "/v1/contractbestanden", `{}`},
		{http.MethodGet, "/v1/urenverklaringen", ""},
		{http.MethodPost, "/v1/urenverklaringen", `{}`},
		{http.MethodGet, "/v1/urenverklaringen/1", ""},
		{http.MethodGet, "/v1/verificatieverzoeken", ""},
		{http.MethodPost, "/v1/verificatieverzoeken/1/antwoord", `{"bevestigd":true}`},
		{http.MethodGet, "/v1/afspraaktypen", ""},
		{http.MethodGet, "/v1/afspraaktypen/lening/tijdsloten", ""},
		{http.MethodGet, "/v1/mijn/afspraken", ""},
		{http.MethodPost, "/v1/mijn/afspraken", `{"soort":"lening","tijdslotId":1}`},
		{http.MethodGet, "/v1/mijn/afspraken/1", ""},
		{http.MethodPatch, "/v1/mijn/afspraken/1", `{"status":"geannuleerd"}`},
		{http.MethodGet, "/v1/mijn/urenoverzicht", ""},  // issue 10: the inburgeraar's hours
		{http.MethodGet, "/v1/contractbestanden/1", ""}, // issue 10: a background contract file
	}
	// Every secured operation of openapi.yaml is in the table: a new one cannot slip past.
	n := 0
	for _, item := range c.doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.Security == nil || len(*op.Security) > 0 {
				n++
			}
		}
	}
	if n != len(secured) {
		t.Fatalf("openapi.yaml has %d secured operations, this test lists %d", n, len(secured))
	}
	auths := map[string]string{
		"none":                 "",
		"empty bearer":         "Bearer ",
		"bearer without space": "Bearer" + tok,
		"basic":                "Basic " + tok,
		"malformed":            "Bearer not-a-token",
		"foreign JWT":          "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ5dXN1ZiJ9.c2lnbmF0dXJl",
		"right length, wrong":  "Bearer " + strings.Repeat("A", len(tok)),
		"token twice":          "Bearer " + tok + " " + tok,
		"5000 chars":           "Bearer " + strings.Repeat("x", 5000),
		"5000 chars, prefix":   "Bearer " + tok + strings.Repeat("x", 5000-len(tok)),
	}
	for _, op := range secured {
		for name, h := range auths {
			t.Run(op.method+" "+op.path+" "+name, func(t *testing.T) {
				req := newRequest(op.method, op.path, op.body)
				if h != "" {
					req.Header.Set("Authorization", h)
				}
				res, body := c.do(req)
				mustProblem(t, res, body, http.StatusUnauthorized)
				// RFC 6750 §3: an error code only when a bearer token was presented.
				want := `Bearer realm="inburgering"`
				if strings.HasPrefix(h, "Bearer ") {
					want += `, error="invalid_token"`
				}
				if w := res.Header.Get("WWW-Authenticate"); w != want {
					t.Errorf("WWW-Authenticate %q, want %q", w, want)
				}
			})
		}
	}

	t.Run("401 comes before validation", func(t *testing.T) {
		// An anonymous caller learns nothing about the input rules.
		res, body := c.do(newRequest(http.MethodGet, "/v1/mijn/berichten?limit=0", ""))
		mustProblem(t, res, body, http.StatusUnauthorized)
	})

	t.Run("the scheme is case-insensitive", func(t *testing.T) {
		for _, scheme := range []string{"Bearer", "bearer", "BEARER"} {
			res, body := c.do(newRequest(http.MethodGet, "/v1/mijn/lening", "", header("Authorization", scheme+" "+tok)))
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: status %d: %s", scheme, res.StatusCode, body)
			}
		}
	})

	t.Run("expiry", func(t *testing.T) {
		c.get(tok, "/v1/mijn/lening", http.StatusOK)
		clock.Advance(app.DemoTokenLifetime - time.Second)
		c.get(tok, "/v1/mijn/lening", http.StatusOK)
		clock.Advance(time.Second) // exactly at expiry: no longer valid
		res, body := c.do(newRequest(http.MethodGet, "/v1/mijn/lening", "", bearer(tok)))
		mustProblem(t, res, body, http.StatusUnauthorized)
		clock.Advance(time.Hour)
		res, body = c.do(newRequest(http.MethodGet, "/v1/mijn/lening", "", bearer(tok)))
		mustProblem(t, res, body, http.StatusUnauthorized)
		// A new token works again.
		c.get(c.token("yusuf"), "/v1/mijn/lening", http.StatusOK)
	})

	t.Run("public operations need no token", func(t *testing.T) {
		res, body := c.do(newRequest(http.MethodGet, "/v1/openapi.json", ""))
		if res.StatusCode != http.StatusOK {
			t.Errorf("openapi.json: %d %s", res.StatusCode, body)
		}
		// A bad token on a public operation does not matter either.
		res, body = c.do(newRequest(http.MethodGet, "/v1/openapi.json", "", bearer("junk")))
		if res.StatusCode != http.StatusOK {
			t.Errorf("openapi.json with junk token: %d %s", res.StatusCode, body)
		}
	})
}
