package api_test

// Faults and bad input (issue 7): text a database cannot store, the demo token switch, and a
// database outage. Through the real router, responses checked against openapi.yaml.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

// TestJSONTextThatCannotBeStored: a NUL (\u0000) in any JSON string or member name, or a body that
// is not UTF-8, is a 400 problem naming the member with error.field_text, on SQLite and PostgreSQL.
func TestJSONTextThatCannotBeStored(t *testing.T) {
	c := newClient(t, testenv.Options{})
	token := c.token("yusuf")
	tests := []struct {
		name, method, path, body string
		field                    string
	}{
		{"NUL in persona", http.MethodPost, "/v2/demo-tokens", `{"persona":"yusuf\u0000"}`, "persona"},
		{"NUL alone", http.MethodPost, "/v2/demo-tokens", `{"persona":"\u0000"}`, "persona"},
		{"invalid UTF-8", http.MethodPost, "/v2/demo-tokens", "{\"persona\":\"yusuf\xff\"}", "body"},
		{"lone surrogate bytes", http.MethodPost, "/v2/demo-tokens", "{\"persona\":\"\xed\xa0\x80\"}", "body"},
		{"NUL in a member name", http.MethodPost, "/v2/demo-tokens", `{"persona":"yusuf","x\u0000":1}`, "body"},
		{"NUL in the language", http.MethodPatch, "/v2/mijn/profiel", `{"voorkeurstaal":"e\u0000n"}`, "voorkeurstaal"},
		{"NUL in a nested value", http.MethodPatch, "/v2/mijn/profiel", `{"voorkeurstaal":"en","x":{"y":["\u0000"]}}`, "x.y"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := c.do(newRequest(tc.method, tc.path, tc.body, bearer(token), lang("en")))
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("→ %d, want 400: %s", res.StatusCode, body)
			}
			var p struct {
				Type          string
				InvalidParams []struct{ Name, Code, Reason string }
			}
			mustJSON(t, body, &p)
			if len(p.InvalidParams) != 1 || p.InvalidParams[0].Name != tc.field || p.InvalidParams[0].Code != "error.field_text" {
				t.Fatalf("invalidParams %+v, want one error.field_text on %s", p.InvalidParams, tc.field)
			}
			if !strings.Contains(p.InvalidParams[0].Reason, "UTF-8") {
				t.Errorf("reason %q is not the translated error.field_text", p.InvalidParams[0].Reason)
			}
		})
	}
	// An escaped backslash before "u0000" is text, not a NUL: it reaches the schema (which refuses the persona's form).
	res, body := c.do(newRequest(http.MethodPost, "/v2/demo-tokens", `{"persona":"\\u0000"}`))
	if res.StatusCode != http.StatusBadRequest || strings.Contains(body, "error.field_text") {
		t.Errorf(`"\\u0000" → %d %s`, res.StatusCode, body)
	}
}

// TestDemoTokensFollowDemoLogin: DEMO_LOGIN=false switches off POST /v2/demo-tokens too, in demo mode.
func TestDemoTokensFollowDemoLogin(t *testing.T) {
	c := newClient(t, testenv.Options{Config: func(cfg *wire.Config) { cfg.DemoLogin = false }})
	res, body := c.do(newRequest(http.MethodPost, "/v2/demo-tokens", `{"persona":"yusuf"}`))
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "error.demo_only") {
		t.Errorf("demo token with DEMO_LOGIN=false: %d %s", res.StatusCode, body)
	}
}

// TestDatabaseOutage: with the database down an API call is a 503 problem with Retry-After, as the
// spec documents; a restart that breaks the pooled connections costs no call. PostgreSQL only.
func TestDatabaseOutage(t *testing.T) {
	if testenv.Dialect() != "postgres" {
		t.Skip("a database outage needs PostgreSQL (TEST_DATABASE_URL)")
	}
	var proxy *testenv.Proxy
	c := newClient(t, testenv.Options{Config: func(cfg *wire.Config) {
		proxy = testenv.NewProxy(t, cfg.DatabaseURL)
		cfg.DatabaseURL = proxy.URL
	}})
	token := c.token("ahmad")
	c.get(token, "/v2/mijn/berichten", http.StatusOK)
	proxy.Cut()
	c.get(token, "/v2/mijn/berichten", http.StatusOK)

	proxy.Stop()
	for _, req := range []*http.Request{
		newRequest(http.MethodGet, "/v2/mijn/berichten", "", bearer(token), lang("ar")),
		newRequest(http.MethodGet, "/v2/mijn/lening", "", bearer(token), lang("ar")),
		newRequest(http.MethodPost, "/v2/demo-tokens", `{"persona":"yusuf"}`, lang("ar")),
	} {
		res, body := c.do(req)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "10" {
			t.Fatalf("%s %s with the database down → %d Retry-After %q, want 503 and 10: %s", req.Method, req.URL.Path, res.StatusCode, res.Header.Get("Retry-After"), body)
		}
		var p struct{ Type, Detail string }
		mustJSON(t, body, &p)
		ar, _ := c.a.Bundle.Lookup("ar")
		if p.Type != "https://inburgering.example/problemen/error.unavailable" || p.Detail != ar.T("error.unavailable") {
			t.Errorf("problem %+v, want error.unavailable in Arabic", p)
		}
	}
	proxy.Start()
	c.get(token, "/v2/mijn/berichten", http.StatusOK)
}
