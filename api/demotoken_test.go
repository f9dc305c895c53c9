package api_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

// ---------------------------------------------------------------------------------------------
// 1. POST /v2/demo-tokens
// ---------------------------------------------------------------------------------------------

func TestDemoToken(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})

	seeded, err := c.a.Service.Personas(context.Background())
	if err != nil || len(seeded) == 0 {
		t.Fatalf("personas %v (%v)", seeded, err)
	}
	for _, sp := range seeded {
		persona := sp.Key
		t.Run("persona "+persona, func(t *testing.T) {
			res, body := c.do(newRequest(http.MethodPost, "/v2/demo-tokens", `{"persona":"`+persona+`"}`))
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
			var tok api.DemoToken
			mustJSON(t, body, &tok)
			if tok.TokenType != api.DemoTokenTokenTypeBearer || tok.ExpiresIn != int(app.DemoTokenLifetime.Seconds()) || len(tok.AccessToken) < 32 {
				t.Errorf("token %+v", tok)
			}
			// The token works, and only for this persona's data (checked in detail by TestMijn*).
			c.get(tok.AccessToken, "/v2/mijn/inburgeringstermijn", http.StatusOK)
		})
	}

	t.Run("each token is new", func(t *testing.T) {
		if a, b := c.token("yusuf"), c.token("yusuf"); a == b {
			t.Errorf("two requests gave the same token %q", a)
		}
	})

	t.Run("unknown persona", func(t *testing.T) {
		res, body := c.do(newRequest(http.MethodPost, "/v2/demo-tokens", `{"persona":"nobody"}`))
		p := mustProblem(t, res, body, http.StatusNotFound)
		if !strings.HasSuffix(p.Type, "error.persona_unknown") {
			t.Errorf("type %q", p.Type)
		}
	})

	bad := []struct {
		name, body string
		want       []string // invalidParams as name:code, in any order
	}{
		{"missing persona", `{}`, []string{"persona:error.field_required"}},
		{"wrong pattern", `{"persona":"Yusuf!"}`, []string{"persona:error.field_format"}},
		{"too long", `{"persona":"` + strings.Repeat("a", 41) + `"}`, []string{"persona:error.field_format"}},
		{"empty persona", `{"persona":""}`, []string{"persona:error.field_format"}},
		{"wrong type", `{"persona":5}`, []string{"persona:error.field_type"}},
		{"extra property", `{"persona":"yusuf","admin":true}`, []string{"admin:error.field_unknown"}},
		{"case twin", `{"persona":"yusuf","PERSONA":"amal"}`, []string{"PERSONA:error.field_unknown"}},
		{"every violation listed", `{"persona":"BAD!","x":1,"y":2}`, []string{"persona:error.field_format", "x:error.field_unknown", "y:error.field_unknown"}},
		{"not JSON", `{"persona":`, []string{"body:error.field_invalid"}},
		{"JSON null", `null`, []string{"body:error.field_type"}},
		{"JSON array", `["yusuf"]`, []string{"body:error.field_type"}},
		{"trailing garbage", `{"persona":"yusuf"} x`, []string{"body:error.field_invalid"}},
		{"two values", `{"persona":"yusuf"}{"persona":"amal"}`, []string{"body:error.field_invalid"}},
	}
	for _, tc := range bad {
		t.Run("400 "+tc.name, func(t *testing.T) {
			res, body := c.do(newRequest(http.MethodPost, "/v2/demo-tokens", tc.body))
			p := mustProblem(t, res, body, http.StatusBadRequest)
			got := p.violations()
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("invalidParams %v, want %v", got, want)
			}
		})
	}

	t.Run("400 no body", func(t *testing.T) {
		req := newRequest(http.MethodPost, "/v2/demo-tokens", "", header("Content-Type", "application/json"))
		res, body := c.do(req)
		p := mustProblem(t, res, body, http.StatusBadRequest)
		if got := p.violations(); !slices.Equal(got, []string{"body:error.field_required"}) {
			t.Errorf("invalidParams %v", got)
		}
	})

	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "application/xml", "application/jsonx", "nonsense"} {
		t.Run("415 "+ct, func(t *testing.T) {
			res, body := c.do(newRequest(http.MethodPost, "/v2/demo-tokens", `{"persona":"yusuf"}`, header("Content-Type", ct)))
			mustProblem(t, res, body, http.StatusUnsupportedMediaType)
		})
	}
	t.Run("415 no Content-Type", func(t *testing.T) {
		req := newRequest(http.MethodPost, "/v2/demo-tokens", `{"persona":"yusuf"}`)
		req.Header.Del("Content-Type")
		res, body := c.do(req)
		mustProblem(t, res, body, http.StatusUnsupportedMediaType)
	})
	t.Run("201 JSON with charset", func(t *testing.T) {
		res, body := c.do(newRequest(http.MethodPost, "/v2/demo-tokens", `{"persona":"yusuf"}`, header("Content-Type", "application/json; charset=utf-8")))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("status %d: %s", res.StatusCode, body)
		}
	})

	// Bodies over the 1 MB limit: 413, as openapi.yaml documents.
	huge := `{"persona":"` + strings.Repeat("a", 1<<20) + `"}`
	t.Run("413 with Content-Length", func(t *testing.T) {
		res, body := c.do(newRequest(http.MethodPost, "/v2/demo-tokens", huge))
		mustProblem(t, res, body, http.StatusRequestEntityTooLarge)
	})
	t.Run("413 chunked", func(t *testing.T) {
		req := newRequest(http.MethodPost, "/v2/demo-tokens", "")
		req.Body = io.NopCloser(io.MultiReader(strings.NewReader(huge)))
		req.ContentLength = -1
		req.Header.Set("Content-Type", "application/json")
		res, body := c.do(req)
		mustProblem(t, res, body, http.StatusRequestEntityTooLarge)
	})
}

// TestDemoTokenProductionMode runs the whole service in production mode against a mock OpenID
// Connect provider: the demo endpoint does not exist there (404, as openapi.yaml says), and
// bearer tokens are the provider's.
func TestDemoTokenProductionMode(t *testing.T) {
	t.Parallel()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	cfg := m.Config()
	c := newClient(t, testenv.Options{Config: func(w *wire.Config) {
		w.Mode, w.DemoLogin = wire.ModeProduction, false
		w.OIDCIssuer, w.OIDCClientID, w.OIDCClientSecret = cfg.Issuer, cfg.ClientID, cfg.ClientSecret
		w.BaseURL = "https://inburgering.example"
	}})

	res, body := c.do(newRequest(http.MethodPost, "/v2/demo-tokens", `{"persona":"yusuf"}`))
	p := mustProblem(t, res, body, http.StatusNotFound)
	if !strings.HasSuffix(p.Type, "error.demo_only") {
		t.Errorf("type %q", p.Type)
	}

	// Access tokens as RFC 9068 has them (typ at+jwt): plain JWTs for the client are refused.
	sign := func(t *testing.T, k *mockoidc.Keypair, claims jwt.MapClaims) string {
		t.Helper()
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
		kid, err := k.KeyID()
		if err != nil {
			t.Fatal(err)
		}
		tok.Header["kid"], tok.Header["typ"] = kid, "at+jwt"
		s, err := tok.SignedString(k.PrivateKey)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	claims := func(bsn string) jwt.MapClaims {
		now := time.Now()
		return jwt.MapClaims{"iss": cfg.Issuer, "aud": cfg.ClientID, "sub": "s-" + bsn, "bsn": bsn,
			"iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix()}
	}
	t.Run("provider token for a known BSN", func(t *testing.T) {
		_, body := c.get(sign(t, m.Keypair, claims("930824623")), "/v2/mijn/lening", http.StatusOK)
		var l api.Lening
		mustJSON(t, body, &l)
		if l.GebruiktInCenten != 965000 { // yusuf's
			t.Errorf("lening of someone else: %s", body)
		}
	})
	foreign, err := mockoidc.RandomKeypair(2048)
	if err != nil {
		t.Fatal(err)
	}
	expired := claims("930824623")
	expired["exp"] = time.Now().Add(-time.Minute).Unix()
	otherAud := claims("930824623")
	otherAud["aud"] = "someone-else"
	idToken := claims("930824623")
	idToken["nonce"] = "n-123" // an ID token from a portal login, not an access token
	for name, tok := range map[string]string{
		"token signed by another key": sign(t, foreign, claims("930824623")),
		"expired provider token":      sign(t, m.Keypair, expired),
		"token for another client":    sign(t, m.Keypair, otherAud),
		"ID token":                    sign(t, m.Keypair, idToken),
		"malformed BSN claim":         sign(t, m.Keypair, claims("12345")),
		"demo-shaped token":           strings.Repeat("A", 43),
	} {
		t.Run("401 "+name, func(t *testing.T) {
			res, body := c.do(newRequest(http.MethodGet, "/v2/mijn/lening", "", bearer(tok)))
			mustProblem(t, res, body, http.StatusUnauthorized)
			if res.Header.Get("WWW-Authenticate") == "" {
				t.Error("no WWW-Authenticate")
			}
		})
	}
	// A valid login for a BSN without an obligation is refused with 403 (documented).
	t.Run("403 unknown BSN", func(t *testing.T) {
		res, body := c.do(newRequest(http.MethodGet, "/v2/mijn/lening", "", bearer(sign(t, m.Keypair, claims("111222333")))))
		mustProblem(t, res, body, http.StatusForbidden)
	})
}
