package api_test

import (
	"net/http"
	"testing"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/testenv"
)

// TestStaffDemoToken: the demo staff persona gets a token through POST /v2/demo-tokens; it is a
// staff principal, so the inburgeraar's and the schools' operations refuse it with 403.
func TestStaffDemoToken(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	res, body := c.do(newRequest(http.MethodPost, "/v2/demo-tokens", `{"persona":"`+app.DemoStaffPersona+`"}`))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	var tok api.DemoToken
	mustJSON(t, body, &tok)
	if tok.TokenType != api.DemoTokenTokenTypeBearer || len(tok.AccessToken) != 43 {
		t.Fatalf("token %+v", tok)
	}
	for _, target := range []string{"/v2/mijn/inburgeringstermijn", "/v2/mijn/medische-aanvragen", "/v2/urenverklaringen"} {
		t.Run(target, func(t *testing.T) {
			res, body := c.do(newRequest(http.MethodGet, target, "", bearer(tok.AccessToken)))
			if p := mustProblem(t, res, body, http.StatusForbidden); problemID(p) != "error.forbidden" {
				t.Errorf("problem %+v", p)
			}
		})
	}
}
