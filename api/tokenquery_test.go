package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/testenv"
)

// The token endpoint takes its fields from the body only: a query string is refused with the
// names of the parameters (never their values), and an assertion sent that way is not spent.
func TestTokenEndpointRefusesQueryString(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	c := newClient(t, testenv.Options{Clock: clock})
	a := assertion(t, "demo-taalschool-noord", 0, tokenURL, clock.Now(), time.Minute)
	inQuery := url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {auth.ClientAssertionType}, "client_assertion": {a}}.Encode()

	tests := []struct {
		name  string
		query string
		body  string
		names []string
	}{
		{"every field in the query, empty body", inQuery, "", []string{"client_assertion", "client_assertion_type", "grant_type"}},
		{"assertion in the query, the rest in the body", "client_assertion=" + url.QueryEscape(a), "grant_type=client_credentials&client_assertion_type=" + url.QueryEscape(auth.ClientAssertionType), []string{"client_assertion"}},
		{"a good body with an extra scope in the query", "scope=contracten:schrijven", tokenForm(a, ""), []string{"scope"}},
		{"a bare question mark and ampersand", "&", tokenForm(a, ""), []string{"query"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(http.MethodPost, "/v2/oauth2/token?"+tt.query, tt.body)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, body := c.do(r)
			p := mustProblem(t, res, body, http.StatusBadRequest)
			var got []string
			for _, ip := range p.InvalidParams {
				got = append(got, ip.Name)
				if ip.Code != "error.token_query_param" {
					t.Errorf("code %s, want error.token_query_param", ip.Code)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.names, ",") {
				t.Errorf("parameters %v, want %v", got, tt.names)
			}
			if strings.Contains(body, a) {
				t.Error("the problem echoes the assertion")
			}
		})
	}
	// The assertion was never checked, so it still buys a token from the body.
	res, body := c.do(tokenRequest(tokenForm(a, "")))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("assertion from the body after the refusals: %d %s", res.StatusCode, body)
	}
}
