package wire_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite" // database/sql driver "sqlite", to read the sessions at rest
	"github.com/golang-jwt/jwt/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/oauth2-proxy/mockoidc"
	"golang.org/x/oauth2"

	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
	"github.com/inburgering/portal/portal"
)

// Seeded persona used throughout: Yusuf Demir.
const (
	yusufBSN  = "930824623"
	yusufName = "Yusuf Demir"
	// unknownBSN passes the elfproef but belongs to nobody in the seed.
	unknownBSN = "111222333"
	baseURL    = "https://portal.test"
)

// oidcUser is a mockoidc.User whose ID token and userinfo carry the claims a DigiD broker or
// DUO's staff identity provider sends.
type oidcUser struct {
	sub   string
	name  string
	bsn   string   // in userinfo
	idBSN bool     // also put the BSN in the ID token
	roles []string // in the ID token
	// infoSub, when set, is the subject userinfo claims (a broker mixing up users).
	infoSub string
}

func (u *oidcUser) ID() string { return u.sub }

func (u *oidcUser) Userinfo([]string) ([]byte, error) {
	m := map[string]any{"sub": u.sub}
	if u.infoSub != "" {
		m["sub"] = u.infoSub
	}
	if u.bsn != "" {
		m["bsn"] = u.bsn
	}
	if u.name != "" {
		m["name"] = u.name
	}
	return json.Marshal(m)
}

type oidcClaims struct {
	*mockoidc.IDTokenClaims
	BSN   string   `json:"bsn,omitempty"`
	Name  string   `json:"name,omitempty"`
	Roles []string `json:"roles,omitempty"`
}

func (u *oidcUser) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	c := &oidcClaims{IDTokenClaims: base, Name: u.name, Roles: u.roles}
	if u.idBSN {
		c.BSN = u.bsn
	}
	return c, nil
}

func citizen(bsn string) *oidcUser {
	return &oidcUser{sub: "digid-" + bsn, name: "Burger " + bsn, bsn: bsn, idBSN: true}
}

// oidcEnv is the app wired to a real OpenID Connect provider running in the test.
type oidcEnv struct {
	m     *mockoidc.MockOIDC
	a     *wire.App
	clock *testenv.Clock
	calls *sync.Map // provider path → *atomic.Int64
	// provider is the browser's side towards the provider: it does not follow redirects.
	provider *http.Client
}

func newOIDCEnv(t *testing.T) *oidcEnv { return newOIDCEnvWith(t, "", nil) }

// newOIDCEnvWith is newOIDCEnv with a provider that advertises endSession as its
// end_session_endpoint (none when empty) and a changed configuration.
func newOIDCEnvWith(t *testing.T, endSession string, config func(*wire.Config)) *oidcEnv {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatalf("mockoidc: %v", err)
	}
	calls := &sync.Map{}
	_ = m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n, _ := calls.LoadOrStore(r.URL.Path, new(atomic.Int64))
			n.(*atomic.Int64).Add(1)
			if endSession == "" || r.URL.Path != mockoidc.DiscoveryEndpoint {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var doc map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			doc["end_session_endpoint"] = endSession
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(doc)
		})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatalf("start mockoidc: %v", err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	clock := testenv.NewClock(testenv.Now)
	a := testenv.New(t, testenv.Options{Clock: clock, Config: func(c *wire.Config) {
		c.OIDCIssuer = m.Issuer()
		c.OIDCClientID = m.Config().ClientID
		c.OIDCClientSecret = m.Config().ClientSecret
		c.BaseURL = baseURL
		if config != nil {
			config(c)
		}
	}})
	return &oidcEnv{m: m, a: a, clock: clock, calls: calls, provider: &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// authorize starts a login at start (e.g. /nl/inloggen/digid) and lets the provider authenticate
// user. It returns the authorization request the app made and the callback URL the provider sends
// the browser back to.
func (e *oidcEnv) authorize(t *testing.T, b *testenv.Browser, start string, user mockoidc.User) (authz url.Values, callback *url.URL) {
	t.Helper()
	res := b.Get(start)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET %s: status %d, want 303: %s", start, res.StatusCode, testenv.ReadBody(t, res))
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatalf("Location: %v", err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != e.m.AuthorizationEndpoint() {
		t.Fatalf("redirect to %s, want the provider's authorization endpoint %s", got, e.m.AuthorizationEndpoint())
	}
	if _, ok := b.Cookies[portal.FlowCookie]; !ok {
		t.Fatalf("no %s cookie set by %s", portal.FlowCookie, start)
	}
	authz = loc.Query()

	e.m.QueueUser(user)
	pres, err := e.provider.Get(loc.String())
	if err != nil {
		t.Fatalf("GET authorize: %v", err)
	}
	defer pres.Body.Close()
	if pres.StatusCode != http.StatusFound {
		t.Fatalf("authorize: status %d: %s", pres.StatusCode, testenv.ReadBody(t, pres))
	}
	callback, err = url.Parse(pres.Header.Get("Location"))
	if err != nil {
		t.Fatalf("callback Location: %v", err)
	}
	if got := callback.Scheme + "://" + callback.Host + callback.Path; got != baseURL+"/auth/callback" {
		t.Fatalf("provider redirected to %s, want %s/auth/callback", got, baseURL)
	}
	return authz, callback
}

// login runs the whole code flow for user from start and returns the callback's response.
func (e *oidcEnv) login(t *testing.T, b *testenv.Browser, start string, user mockoidc.User) *http.Response {
	t.Helper()
	_, cb := e.authorize(t, b, start, user)
	return b.Get(cb.RequestURI())
}

// calls reports how often the provider served path (e.g. mockoidc.UserinfoEndpoint).
func (e *oidcEnv) count(path string) int64 {
	n, ok := e.calls.Load(path)
	if !ok {
		return 0
	}
	return n.(*atomic.Int64).Load()
}

func (e *oidcEnv) sealer() *auth.Sealer { return auth.NewSealer([]byte(e.a.Config.SessionKey)) }

// msg is message id in lang as the templates render it (HTML-escaped).
func msg(t *testing.T, a *wire.App, lang, id string) string {
	t.Helper()
	l, ok := a.Bundle.Lookup(lang)
	if !ok {
		t.Fatalf("no language %s", lang)
	}
	return template.HTMLEscapeString(l.T(id))
}

func expectStatus(t *testing.T, res *http.Response, want int) string {
	t.Helper()
	body := testenv.ReadBody(t, res)
	if res.StatusCode != want {
		t.Fatalf("status %d, want %d; body:\n%s", res.StatusCode, want, body)
	}
	return body
}

func expectNoSession(t *testing.T, b *testenv.Browser) {
	t.Helper()
	if _, ok := b.Cookies[portal.SessionCookie]; ok {
		t.Fatalf("a session cookie was set")
	}
	res := b.Get("/nl/mijn")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/nl/inloggen") {
		t.Fatalf("/nl/mijn without a session: status %d Location %q, want 303 to the login page", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestOIDCLoginInburgeraar(t *testing.T) {
	e := newOIDCEnv(t)
	b := testenv.NewBrowser(t, e.a.Echo)

	authz, cb := e.authorize(t, b, "/nl/inloggen/digid", citizen(yusufBSN))

	// The authorization request: code flow, PKCE S256, state, nonce, our client and redirect URI.
	for k, want := range map[string]string{
		"response_type": "code", "client_id": e.m.Config().ClientID, "redirect_uri": baseURL + "/auth/callback",
		"code_challenge_method": "S256",
	} {
		if got := authz.Get(k); got != want {
			t.Errorf("authorization request %s = %q, want %q", k, got, want)
		}
	}
	for _, k := range []string{"state", "nonce", "code_challenge"} {
		if authz.Get(k) == "" {
			t.Errorf("authorization request has no %s", k)
		}
	}
	if !strings.Contains(" "+authz.Get("scope")+" ", " openid ") {
		t.Errorf("scope %q lacks openid", authz.Get("scope"))
	}
	// The sealed flow cookie holds the secrets that match the request.
	var f auth.Flow
	if err := e.sealer().Open(b.Cookies[portal.FlowCookie].Value, &f); err != nil {
		t.Fatalf("open flow cookie: %v", err)
	}
	sum := sha256.Sum256([]byte(f.Verifier))
	if got, want := authz.Get("code_challenge"), base64.RawURLEncoding.EncodeToString(sum[:]); got != want {
		t.Errorf("code_challenge %q is not S256 of the flow's verifier (%q)", got, want)
	}
	if len(f.Verifier) < 43 || len(f.Verifier) > 128 {
		t.Errorf("PKCE verifier length %d, RFC 7636 wants 43..128", len(f.Verifier))
	}
	if f.State != authz.Get("state") || f.Nonce != authz.Get("nonce") || f.Staff || f.Lang != "nl" {
		t.Errorf("flow %+v does not match the request (state %q nonce %q)", f, authz.Get("state"), authz.Get("nonce"))
	}
	if cb.Query().Get("state") != f.State || cb.Query().Get("code") == "" {
		t.Fatalf("callback %s lacks code or the state", cb)
	}

	res := b.Get(cb.RequestURI())
	expectStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/nl/mijn" {
		t.Fatalf("after login: Location %q, want /nl/mijn", loc)
	}
	sc, ok := b.Cookies[portal.SessionCookie]
	if !ok {
		t.Fatal("no session cookie after login")
	}
	if !sc.HttpOnly || !sc.Secure || sc.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie %+v: want HttpOnly, Secure, SameSite=Lax", sc)
	}
	if _, ok := b.Cookies[portal.FlowCookie]; ok {
		t.Error("the flow cookie survives the login")
	}
	body := expectStatus(t, b.Get("/nl/mijn"), http.StatusOK)
	if !strings.Contains(body, yusufName) {
		t.Errorf("/nl/mijn does not show %s", yusufName)
	}
	if strings.Contains(body, yusufBSN) {
		t.Errorf("/nl/mijn shows the full BSN")
	}

	// Replaying the callback: the flow cookie is gone, so it fails without a new session.
	old := b.Cookies[portal.SessionCookie].Value
	expectStatus(t, b.Get(cb.RequestURI()), http.StatusBadRequest)
	if b.Cookies[portal.SessionCookie].Value != old {
		t.Error("a replayed callback changed the session")
	}
}

// The BSN only in userinfo (some brokers): the login still finds the person.
func TestOIDCLoginBSNFromUserinfo(t *testing.T) {
	e := newOIDCEnv(t)
	b := testenv.NewBrowser(t, e.a.Echo)
	u := citizen(yusufBSN)
	u.idBSN = false
	res := e.login(t, b, "/en/inloggen/digid", u)
	expectStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/en/mijn" {
		t.Fatalf("Location %q, want /en/mijn (the language of the start)", loc)
	}
	if body := expectStatus(t, b.Get("/en/mijn"), http.StatusOK); !strings.Contains(body, yusufName) {
		t.Errorf("/en/mijn does not show %s", yusufName)
	}
}

// PKCE is really checked by the provider: a callback whose sealed flow carries another verifier
// fails, and so does a replay of the code.
func TestOIDCPKCEVerifierChecked(t *testing.T) {
	e := newOIDCEnv(t)

	t.Run("provider refuses a wrong verifier", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		authz, cb := e.authorize(t, b, "/nl/inloggen/digid", citizen(yusufBSN))
		_ = authz
		// The provider itself: the right code with a wrong verifier is invalid_grant.
		cfg := oauth2.Config{ClientID: e.m.ClientID, ClientSecret: e.m.ClientSecret, RedirectURL: baseURL + "/auth/callback",
			Endpoint: oauth2.Endpoint{AuthURL: e.m.AuthorizationEndpoint(), TokenURL: e.m.TokenEndpoint(), AuthStyle: oauth2.AuthStyleInParams}}
		_, err := cfg.Exchange(context.Background(), cb.Query().Get("code"), oauth2.VerifierOption(strings.Repeat("x", 64)))
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
			t.Fatalf("exchange with a wrong verifier: %v, want invalid_grant", err)
		}
	})

	t.Run("app with a tampered verifier fails", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		_, cb := e.authorize(t, b, "/nl/inloggen/digid", citizen(yusufBSN))
		var f auth.Flow
		if err := e.sealer().Open(b.Cookies[portal.FlowCookie].Value, &f); err != nil {
			t.Fatal(err)
		}
		f.Verifier = auth.NewID() + auth.NewID()[:20] // well-formed, but not the one the challenge was made from
		sealed, err := e.sealer().Seal(f)
		if err != nil {
			t.Fatal(err)
		}
		b.Cookies[portal.FlowCookie].Value = sealed
		body := expectStatus(t, b.Get(cb.RequestURI()), http.StatusBadRequest)
		if !strings.Contains(body, msg(t, e.a, "nl", "error.login_failed")) {
			t.Errorf("page lacks the login_failed message:\n%s", body)
		}
		expectNoSession(t, b)
	})

	t.Run("a tampered flow cookie is refused before the exchange", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		_, cb := e.authorize(t, b, "/nl/inloggen/digid", citizen(yusufBSN))
		v := []byte(b.Cookies[portal.FlowCookie].Value)
		v[len(v)/2] ^= 1
		if v[len(v)/2] == '-' || v[len(v)/2] == '_' || v[len(v)/2] < '0' {
			v[len(v)/2] = 'A'
		}
		b.Cookies[portal.FlowCookie].Value = string(v)
		expectStatus(t, b.Get(cb.RequestURI()), http.StatusBadRequest)
		expectNoSession(t, b)
	})

	t.Run("a code is good once", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		_, cb := e.authorize(t, b, "/nl/inloggen/digid", citizen(yusufBSN))
		flow := *b.Cookies[portal.FlowCookie]
		expectStatus(t, b.Get(cb.RequestURI()), http.StatusSeeOther)
		// An attacker replaying code, state and flow cookie in another browser.
		other := testenv.NewBrowser(t, e.a.Echo)
		other.Cookies[portal.FlowCookie] = &flow
		expectStatus(t, other.Get(cb.RequestURI()), http.StatusBadRequest)
		expectNoSession(t, other)
	})
}

func TestOIDCCallbackFailures(t *testing.T) {
	e := newOIDCEnv(t)

	t.Run("wrong state", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		_, cb := e.authorize(t, b, "/nl/inloggen/digid", citizen(yusufBSN))
		q := cb.Query()
		q.Set("state", auth.NewID())
		body := expectStatus(t, b.Get("/auth/callback?"+q.Encode()), http.StatusBadRequest)
		if !strings.Contains(body, msg(t, e.a, "nl", "error.login_failed")) {
			t.Errorf("page lacks the login_failed message:\n%s", body)
		}
		expectNoSession(t, b)
	})

	t.Run("missing state", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		_, cb := e.authorize(t, b, "/nl/inloggen/digid", citizen(yusufBSN))
		expectStatus(t, b.Get("/auth/callback?code="+url.QueryEscape(cb.Query().Get("code"))), http.StatusBadRequest)
		expectNoSession(t, b)
	})

	t.Run("missing flow cookie", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		_, cb := e.authorize(t, b, "/nl/inloggen/digid", citizen(yusufBSN))
		delete(b.Cookies, portal.FlowCookie)
		body := expectStatus(t, b.Get(cb.RequestURI()), http.StatusBadRequest)
		if !strings.Contains(body, msg(t, e.a, "nl", "error.login_failed")) {
			t.Errorf("page lacks the login_failed message:\n%s", body)
		}
		expectNoSession(t, b)
	})

	t.Run("expired flow", func(t *testing.T) {
		e := newOIDCEnv(t)
		b := testenv.NewBrowser(t, e.a.Echo)
		_, cb := e.authorize(t, b, "/nl/inloggen/digid", citizen(yusufBSN))
		e.clock.Advance(11 * time.Minute)
		expectStatus(t, b.Get(cb.RequestURI()), http.StatusBadRequest)
		expectNoSession(t, b)
	})

	t.Run("provider error access_denied", func(t *testing.T) {
		for _, lang := range []string{"nl", "en"} {
			b := testenv.NewBrowser(t, e.a.Echo)
			authz, _ := e.authorize(t, b, "/"+lang+"/inloggen/digid", citizen(yusufBSN))
			q := url.Values{"error": {"access_denied"}, "error_description": {"user cancelled"}, "state": {authz.Get("state")}}
			body := expectStatus(t, b.Get("/auth/callback?"+q.Encode()), http.StatusBadRequest)
			want := msg(t, e.a, lang, "error.login_cancelled")
			if !strings.Contains(body, want) {
				t.Errorf("%s: page lacks the login_cancelled message %q:\n%s", lang, want, body)
			}
			if !strings.Contains(body, `lang="`+lang+`"`) {
				t.Errorf("%s: error page is not in the language the login started in", lang)
			}
			if strings.Contains(body, "user cancelled") {
				t.Errorf("%s: the provider's error_description is shown", lang)
			}
			if _, ok := b.Cookies[portal.FlowCookie]; ok {
				t.Errorf("%s: the flow cookie survives a cancelled login", lang)
			}
			expectNoSession(t, b)
		}
	})

	t.Run("provider error without state", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		e.authorize(t, b, "/nl/inloggen/digid", citizen(yusufBSN))
		expectStatus(t, b.Get("/auth/callback?error=access_denied"), http.StatusBadRequest)
		expectNoSession(t, b)
	})

	t.Run("bsn without obligation", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		body := expectStatus(t, e.login(t, b, "/nl/inloggen/digid", citizen(unknownBSN)), http.StatusNotFound)
		if !strings.Contains(body, msg(t, e.a, "nl", "error.no_obligation")) {
			t.Errorf("page lacks the error.no_obligation message:\n%s", body)
		}
		if strings.Contains(body, unknownBSN) {
			t.Errorf("page shows the BSN")
		}
		expectNoSession(t, b)
	})

	t.Run("userinfo of another subject", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		u := citizen(yusufBSN)
		u.idBSN, u.infoSub = false, "someone-else"
		expectStatus(t, e.login(t, b, "/nl/inloggen/digid", u), http.StatusBadRequest)
		expectNoSession(t, b)
	})

	t.Run("no bsn at all", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		expectStatus(t, e.login(t, b, "/nl/inloggen/digid", &oidcUser{sub: "someone"}), http.StatusBadRequest)
		expectNoSession(t, b)
	})

	t.Run("callback without OIDC state at all", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		expectStatus(t, b.Get("/auth/callback"), http.StatusBadRequest)
	})
}

func TestOIDCStaffLogin(t *testing.T) {
	e := newOIDCEnv(t)

	t.Run("with role", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		u := &oidcUser{sub: "duo-42", name: "Fatima de Vries", roles: []string{"other", auth.RoleStaff}}
		res := e.login(t, b, "/nl/medewerker/inloggen", u)
		expectStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/nl/medewerker" {
			t.Fatalf("Location %q, want /nl/medewerker", loc)
		}
		body := expectStatus(t, b.Get("/nl/medewerker"), http.StatusOK)
		if !strings.Contains(body, "Fatima de Vries") {
			t.Errorf("staff page does not name the staff member")
		}
		// The audit log names the staff member by the stable subject, not the display name.
		expectStatus(t, b.PostForm("/nl/medewerker/opzoeken", url.Values{"_csrf": {b.CSRF("/nl/medewerker")}, "bsn": {yusufBSN}}), http.StatusOK)
		log, err := e.a.Store.AuditEntries(context.Background())
		if err != nil || len(log) == 0 || log[len(log)-1].Actor != "duo-42" {
			t.Errorf("audit log %+v (%v), want the last entry by duo-42", log, err)
		}
		// A staff session is not an inburgeraar's.
		if res := b.Get("/nl/mijn"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("/nl/mijn with a staff session: status %d, want 303 to login", res.StatusCode)
		}
	})

	t.Run("without role", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		u := &oidcUser{sub: "duo-43", name: "Kees", roles: []string{"duo-lezer"}}
		body := expectStatus(t, e.login(t, b, "/nl/medewerker/inloggen", u), http.StatusForbidden)
		if !strings.Contains(body, msg(t, e.a, "nl", "error.forbidden")) {
			t.Errorf("page lacks error.forbidden:\n%s", body)
		}
		if _, ok := b.Cookies[portal.SessionCookie]; ok {
			t.Fatal("a session was started without the staff role")
		}
		if res := b.Get("/nl/medewerker"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("/nl/medewerker: status %d, want 303 to login", res.StatusCode)
		}
	})

	t.Run("an inburgeraar login never gives staff rights", func(t *testing.T) {
		b := testenv.NewBrowser(t, e.a.Echo)
		u := citizen(yusufBSN)
		u.roles = []string{auth.RoleStaff}
		expectStatus(t, e.login(t, b, "/nl/inloggen/digid", u), http.StatusSeeOther)
		expectStatus(t, b.Get("/nl/medewerker"), http.StatusForbidden)
	})
}

// A login ends the session the browser had before (the ID is rotated, the old one is revoked).
func TestOIDCLoginRotatesSession(t *testing.T) {
	e := newOIDCEnv(t)
	b := testenv.NewBrowser(t, e.a.Echo)
	b.LoginPersona("nl", "amal")
	old := *b.Cookies[portal.SessionCookie]

	expectStatus(t, e.login(t, b, "/nl/inloggen/digid", citizen(yusufBSN)), http.StatusSeeOther)
	if b.Cookies[portal.SessionCookie].Value == old.Value {
		t.Fatal("session ID not rotated")
	}
	if body := expectStatus(t, b.Get("/nl/mijn"), http.StatusOK); !strings.Contains(body, yusufName) {
		t.Errorf("/nl/mijn does not show %s", yusufName)
	}
	if _, err := e.a.Sessions.Load(context.Background(), old.Value); err == nil {
		t.Error("the session from before the login is still valid")
	}
}

func TestOIDCFormActionAllowsIssuer(t *testing.T) {
	e := newOIDCEnv(t)
	b := testenv.NewBrowser(t, e.a.Echo)
	res := b.Get("/nl/inloggen")
	expectStatus(t, res, http.StatusOK)
	csp := res.Header.Get("Content-Security-Policy")
	var formAction string
	for _, d := range strings.Split(csp, ";") {
		if d = strings.TrimSpace(d); strings.HasPrefix(d, "form-action ") {
			formAction = d
		}
	}
	u, _ := url.Parse(e.m.Issuer())
	if !strings.Contains(" "+formAction+" ", " "+u.Scheme+"://"+u.Host+" ") {
		t.Errorf("CSP form-action %q does not allow the issuer origin %s://%s", formAction, u.Scheme, u.Host)
	}
	if !strings.Contains(formAction, "'self'") {
		t.Errorf("CSP form-action %q lacks 'self'", formAction)
	}
}

// providerTokens runs the code flow directly against the provider, as an API client would, and
// returns the tokens it issues for user.
func (e *oidcEnv) providerTokens(t *testing.T, user mockoidc.User, extra ...oauth2.AuthCodeOption) *oauth2.Token {
	t.Helper()
	cfg := oauth2.Config{ClientID: e.m.ClientID, ClientSecret: e.m.ClientSecret, RedirectURL: baseURL + "/auth/callback",
		Scopes:   []string{"openid", "profile"},
		Endpoint: oauth2.Endpoint{AuthURL: e.m.AuthorizationEndpoint(), TokenURL: e.m.TokenEndpoint(), AuthStyle: oauth2.AuthStyleInParams}}
	verifier := oauth2.GenerateVerifier()
	e.m.QueueUser(user)
	res, err := e.provider.Get(cfg.AuthCodeURL("st", append([]oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}, extra...)...))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("authorize: status %d Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	tok, err := cfg.Exchange(context.Background(), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	return tok
}

// signJWT signs claims with kp under header typ ("" for none) and kid (kp's own when empty).
func signJWT(t *testing.T, kp *mockoidc.Keypair, kid, typ string, claims jwt.Claims) string {
	t.Helper()
	j := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	if kid == "" {
		var err error
		if kid, err = kp.KeyID(); err != nil {
			t.Fatal(err)
		}
	}
	j.Header["kid"] = kid
	delete(j.Header, "typ")
	if typ != "" {
		j.Header["typ"] = typ
	}
	s, err := j.SignedString(kp.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// resign signs the claims of tok, a JWT the provider issued, again with the provider's key under
// header typ, after change (if any): the token a broker issuing RFC 9068 access tokens or an API
// audience would give. The provider's userinfo still knows it (by its jti).
func (e *oidcEnv) resign(t *testing.T, tok, typ string, change func(jwt.MapClaims)) string {
	t.Helper()
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(tok, claims); err != nil {
		t.Fatalf("not a JWT: %v", err)
	}
	if change != nil {
		change(claims)
	}
	return signJWT(t, e.m.Keypair, "", typ, claims)
}

// atJWT is the provider's access token as an RFC 9068 access token (typ at+jwt).
func (e *oidcEnv) atJWT(t *testing.T, tok *oauth2.Token) string {
	t.Helper()
	return e.resign(t, tok.AccessToken, "at+jwt", nil)
}

// bearerGet calls an operation of the API with bearer.
func bearerGet(t *testing.T, b *testenv.Browser, bearer string) (*http.Request, *http.Response) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/v2/mijn/inburgeringstermijn", nil)
	req.Header.Set("Authorization", "Bearer "+bearer)
	return req, b.Do(req)
}

func TestOIDCBearerOnAPI(t *testing.T) {
	e := newOIDCEnv(t)
	v := testenv.NewValidator(t)
	b := testenv.NewBrowser(t, e.a.Echo)
	get := func(t *testing.T, bearer string) (*http.Request, *http.Response) { return bearerGet(t, b, bearer) }

	yusuf := e.providerTokens(t, citizen(yusufBSN))
	// mockoidc's access tokens carry no bsn claim: the app must take it from userinfo.
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(yusuf.AccessToken, claims); err != nil {
		t.Fatalf("access token is not a JWT: %v", err)
	}
	if _, ok := claims["bsn"]; ok {
		t.Fatalf("access token unexpectedly carries a bsn claim: %v", claims)
	}

	t.Run("known bsn", func(t *testing.T) {
		before := e.count(mockoidc.UserinfoEndpoint)
		req, res := get(t, e.atJWT(t, yusuf))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", res.StatusCode, testenv.ReadBody(t, res))
		}
		v.Check(t, req, res)
		if e.count(mockoidc.UserinfoEndpoint) == before {
			t.Error("the BSN did not come from the userinfo endpoint")
		}
	})

	t.Run("typ application/at+jwt", func(t *testing.T) {
		_, res := get(t, e.resign(t, yusuf.AccessToken, "application/at+jwt", nil))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", res.StatusCode, testenv.ReadBody(t, res))
		}
	})

	t.Run("unknown bsn", func(t *testing.T) {
		tok := e.providerTokens(t, citizen(unknownBSN))
		_, res := get(t, e.atJWT(t, tok))
		body := testenv.ReadBody(t, res)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d, want 403: %s", res.StatusCode, body)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") || !strings.Contains(body, "error.no_obligation") {
			t.Errorf("Content-Type %q body %s: want a problem with type error.no_obligation", ct, body)
		}
		// Not checked against openapi.yaml: the spec does not list 403 for this operation yet
		// (reported); once it does, add v.Check(t, req, res).
	})

	t.Run("userinfo of another subject", func(t *testing.T) {
		u := citizen(yusufBSN)
		u.infoSub = "someone-else"
		tok := e.atJWT(t, e.providerTokens(t, u))
		for range 2 { // the second time from the userinfo cache: still refused
			req, res := get(t, tok)
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401: %s", res.StatusCode, testenv.ReadBody(t, res))
			}
			v.Check(t, req, res)
		}
	})

	t.Run("staff token without bsn", func(t *testing.T) {
		tok := e.providerTokens(t, &oidcUser{sub: "duo-42", roles: []string{auth.RoleStaff}})
		req, res := get(t, e.atJWT(t, tok))
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401: %s", res.StatusCode, testenv.ReadBody(t, res))
		}
		v.Check(t, req, res)
	})

	// Only access tokens: not a plain JWT for the client, not an ID token, with or without nonce.
	withNonce := e.providerTokens(t, citizen(yusufBSN), oauth2.SetAuthURLParam("nonce", "n-123"))
	withoutNonce := e.providerTokens(t, citizen(yusufBSN))
	idToken := func(t *testing.T, tok *oauth2.Token) string {
		t.Helper()
		s, _ := tok.Extra("id_token").(string)
		if s == "" {
			t.Fatal("no id_token")
		}
		return s
	}
	refusedTokens := map[string]func(t *testing.T) string{
		"a plain JWT access token":                  func(*testing.T) string { return yusuf.AccessToken },
		"an ID token with nonce":                    func(t *testing.T) string { return idToken(t, withNonce) },
		"an ID token without nonce (refresh grant)": func(t *testing.T) string { return idToken(t, withoutNonce) },
		"an ID token with nonce, retyped at+jwt":    func(t *testing.T) string { return e.resign(t, idToken(t, withNonce), "at+jwt", nil) },
		"an access token with an at_hash, at+jwt": func(t *testing.T) string {
			return e.resign(t, yusuf.AccessToken, "at+jwt", func(c jwt.MapClaims) { c["at_hash"] = "x" })
		},
		"an at+jwt token for another audience": func(t *testing.T) string {
			return e.resign(t, yusuf.AccessToken, "at+jwt", func(c jwt.MapClaims) { c["aud"] = "someone-else" })
		},
		"a plain JWT for an API audience not set up": func(t *testing.T) string {
			return e.resign(t, yusuf.AccessToken, "", func(c jwt.MapClaims) { c["aud"] = "https://api.test" })
		},
	}
	for name, tok := range refusedTokens {
		t.Run(name, func(t *testing.T) {
			req, res := get(t, tok(t))
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401: %s", res.StatusCode, testenv.ReadBody(t, res))
			}
			v.Check(t, req, res)
		})
	}

	// Tokens the provider did not issue for us.
	other, err := mockoidc.RandomKeypair(2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claimsFor := func(iss, aud string, exp time.Time) jwt.RegisteredClaims {
		return jwt.RegisteredClaims{Issuer: iss, Audience: jwt.ClaimStrings{aud}, Subject: "digid-" + yusufBSN,
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(exp), ID: "x"}
	}
	type bsnClaims struct {
		jwt.RegisteredClaims
		BSN string `json:"bsn"`
	}
	// sign gives an at+jwt token with a bsn claim: each bad token fails for its own fault.
	sign := func(t *testing.T, kp *mockoidc.Keypair, kid string, c jwt.RegisteredClaims) string {
		t.Helper()
		return signJWT(t, kp, kid, "at+jwt", &bsnClaims{RegisteredClaims: c, BSN: yusufBSN})
	}
	valid := claimsFor(e.m.Issuer(), e.m.ClientID, now.Add(time.Hour))
	t.Run("a well-made at+jwt token with a bsn claim is accepted (control)", func(t *testing.T) {
		if _, res := get(t, sign(t, e.m.Keypair, "", valid)); res.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", res.StatusCode, testenv.ReadBody(t, res))
		}
	})
	providerKid, _ := e.m.Keypair.KeyID()
	hsTok := jwt.NewWithClaims(jwt.SigningMethodHS256, &bsnClaims{RegisteredClaims: valid, BSN: yusufBSN})
	hsTok.Header["kid"], hsTok.Header["typ"] = providerKid, "at+jwt"
	hs, err := hsTok.SignedString([]byte(e.m.ClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	noneTok := jwt.NewWithClaims(jwt.SigningMethodNone, &bsnClaims{RegisteredClaims: valid, BSN: yusufBSN})
	noneTok.Header["kid"], noneTok.Header["typ"] = providerKid, "at+jwt"
	none, err := noneTok.SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{
		"signed by another key, unknown kid": sign(t, other, "", valid),
		"signed by another key, our kid":     sign(t, other, providerKid, valid),
		"other audience":                     sign(t, e.m.Keypair, "", claimsFor(e.m.Issuer(), "someone-else", now.Add(time.Hour))),
		"other issuer":                       sign(t, e.m.Keypair, "", claimsFor("http://evil.test/oidc", e.m.ClientID, now.Add(time.Hour))),
		"expired":                            sign(t, e.m.Keypair, "", claimsFor(e.m.Issuer(), e.m.ClientID, now.Add(-time.Minute))),
		"HS256 with the client secret":       hs,
		"alg none":                           none,
		"garbage":                            "garbage",
		"43 chars, no such demo token":       strings.Repeat("A", 43),
		"JWT-shaped garbage":                 "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
		"tampered payload":                   tamper(e.atJWT(t, yusuf)),
		"too long":                           strings.Repeat("a", 5000),
	}
	for name, tok := range bad {
		t.Run(name, func(t *testing.T) {
			req, res := get(t, tok)
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401: %s", res.StatusCode, testenv.ReadBody(t, res))
			}
			v.Check(t, req, res)
		})
	}
}

// OIDC_API_AUDIENCE: tokens for the API audience are access tokens, whatever their typ; tokens
// for the client ID (ID tokens, plain access tokens) are not.
func TestOIDCAPIAudience(t *testing.T) {
	const api = "https://api.inburgering.test"
	e := newOIDCEnvWith(t, "", func(c *wire.Config) { c.OIDCAPIAudience = api })
	b := testenv.NewBrowser(t, e.a.Echo)
	tok := e.providerTokens(t, citizen(yusufBSN), oauth2.SetAuthURLParam("nonce", "n-1"))
	idToken, _ := tok.Extra("id_token").(string)
	for _, tt := range []struct {
		name  string
		token string
		want  int
	}{
		{"plain JWT for the API audience", e.resign(t, tok.AccessToken, "", func(c jwt.MapClaims) { c["aud"] = api }), http.StatusOK},
		{"API audience among others", e.resign(t, tok.AccessToken, "JWT", func(c jwt.MapClaims) { c["aud"] = []string{"x", api} }), http.StatusOK},
		{"plain JWT for the client ID", tok.AccessToken, http.StatusUnauthorized},
		{"at+jwt for the client ID", e.atJWT(t, tok), http.StatusUnauthorized},
		{"ID token", idToken, http.StatusUnauthorized},
		{"ID token with the API audience", e.resign(t, idToken, "", func(c jwt.MapClaims) { c["aud"] = api }), http.StatusUnauthorized},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, res := bearerGet(t, b, tt.token); res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.want, testenv.ReadBody(t, res))
			}
		})
	}
}

// OIDC_ACCEPT_PLAIN_JWT_ACCESS_TOKENS=true, for brokers that issue neither: plain JWTs for the
// client are accepted, but what marks an ID token (nonce, at_hash) still is not.
func TestOIDCAcceptPlainJWT(t *testing.T) {
	e := newOIDCEnvWith(t, "", func(c *wire.Config) { c.OIDCAcceptPlainJWT = true })
	b := testenv.NewBrowser(t, e.a.Echo)
	tok := e.providerTokens(t, citizen(yusufBSN), oauth2.SetAuthURLParam("nonce", "n-1"))
	idToken, _ := tok.Extra("id_token").(string)
	for _, tt := range []struct {
		name  string
		token string
		want  int
	}{
		{"plain JWT access token", tok.AccessToken, http.StatusOK},
		{"at+jwt access token", e.atJWT(t, tok), http.StatusOK},
		{"ID token with nonce", idToken, http.StatusUnauthorized},
		{"token with at_hash", e.resign(t, tok.AccessToken, "", func(c jwt.MapClaims) { c["at_hash"] = "x" }), http.StatusUnauthorized},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, res := bearerGet(t, b, tt.token); res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.want, testenv.ReadBody(t, res))
			}
		})
	}
}

// Bad bearer tokens cannot make the app hammer the provider: malformed ones are refused before
// any network call, the key set is fetched at most once per interval, and userinfo answers are
// cached for a minute.
func TestOIDCNoAmplification(t *testing.T) {
	other, err := mockoidc.RandomKeypair(2048)
	if err != nil {
		t.Fatal(err)
	}
	type bsnClaims struct {
		jwt.RegisteredClaims
		BSN string `json:"bsn"`
	}
	forged := func(t *testing.T, e *oidcEnv, i int, kid string) string {
		now := time.Now()
		c := jwt.RegisteredClaims{Issuer: e.m.Issuer(), Audience: jwt.ClaimStrings{e.m.ClientID}, Subject: "digid-" + yusufBSN,
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)), ID: fmt.Sprint(i)}
		if kid == "" {
			kid = fmt.Sprintf("forged-%d", i)
		}
		return signJWT(t, other, kid, "at+jwt", &bsnClaims{RegisteredClaims: c, BSN: yusufBSN})
	}
	flood := func(t *testing.T, b *testenv.Browser, tokens func(i int) string) {
		t.Helper()
		for i := range 40 {
			if _, res := bearerGet(t, b, tokens(i)); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("token %d: status %d, want 401", i, res.StatusCode)
			}
		}
	}
	jwks := func(e *oidcEnv) int64 { return e.count(mockoidc.JWKSEndpoint) }

	t.Run("cold start: 40 tokens with unknown key IDs, at most 1 key set fetch", func(t *testing.T) {
		e := newOIDCEnv(t)
		b := testenv.NewBrowser(t, e.a.Echo)
		before := jwks(e)
		flood(t, b, func(i int) string { return forged(t, e, i, "") })
		if n := jwks(e) - before; n > 1 {
			t.Errorf("%d key set fetches for 40 forged tokens, want at most 1", n)
		}
	})

	e := newOIDCEnv(t)
	b := testenv.NewBrowser(t, e.a.Echo)
	yusuf := e.atJWT(t, e.providerTokens(t, citizen(yusufBSN)))
	if _, res := bearerGet(t, b, yusuf); res.StatusCode != http.StatusOK {
		t.Fatalf("a valid token: status %d: %s", res.StatusCode, testenv.ReadBody(t, res))
	}
	if jwks(e) == 0 {
		t.Fatal("the key set was never fetched, yet a token was accepted")
	}
	providerKid, _ := e.m.Keypair.KeyID()

	t.Run("40 tokens with unknown key IDs after a fetch: no fetch", func(t *testing.T) {
		before := jwks(e)
		flood(t, b, func(i int) string { return forged(t, e, i, "") })
		if n := jwks(e) - before; n != 0 {
			t.Errorf("%d key set fetches, want 0 within the refresh interval", n)
		}
	})

	t.Run("40 bad signatures under the provider's key ID: no fetch", func(t *testing.T) {
		before := jwks(e)
		flood(t, b, func(i int) string { return forged(t, e, i, providerKid) })
		if n := jwks(e) - before; n != 0 {
			t.Errorf("%d key set fetches, want 0", n)
		}
	})

	t.Run("malformed tokens: no call to the provider at all", func(t *testing.T) {
		hs := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x"})
		hs.Header["kid"] = providerKid
		hsTok, err := hs.SignedString([]byte("secret"))
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(yusuf, ".")
		noKid := func() string {
			h, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "at+jwt"})
			return base64.RawURLEncoding.EncodeToString(h) + "." + parts[1] + "." + parts[2]
		}()
		malformed := []string{
			"garbage", "a.b.c", parts[0] + "." + parts[1], parts[0] + "." + parts[1] + ".", parts[0] + ".bm90IGpzb24." + parts[2],
			parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[2], "e30.e30.c2ln", hsTok, noKid,
			parts[0] + "=." + parts[1] + "." + parts[2], strings.Repeat("a", 5000),
		}
		calls := func() int64 {
			var n int64
			e.calls.Range(func(_, v any) bool { n += v.(*atomic.Int64).Load(); return true })
			return n
		}
		before := calls()
		flood(t, b, func(i int) string { return malformed[i%len(malformed)] })
		if n := calls() - before; n != 0 {
			t.Errorf("%d calls to the provider for malformed tokens, want 0", n)
		}
	})

	t.Run("userinfo answers are cached", func(t *testing.T) {
		tok := e.atJWT(t, e.providerTokens(t, citizen(yusufBSN)))
		before := e.count(mockoidc.UserinfoEndpoint)
		for i := range 40 {
			if _, res := bearerGet(t, b, tok); res.StatusCode != http.StatusOK {
				t.Fatalf("request %d: status %d", i, res.StatusCode)
			}
		}
		if n := e.count(mockoidc.UserinfoEndpoint) - before; n != 1 {
			t.Errorf("%d userinfo calls for 40 requests with one token, want 1", n)
		}
	})
}

// tamper swaps the payload of a JWT for one with another subject, keeping the signature.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return tok + "x"
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	m["sub"] = "someone-else"
	m["bsn"] = yusufBSN
	raw, _ = json.Marshal(m)
	parts[1] = base64.RawURLEncoding.EncodeToString(raw)
	return strings.Join(parts, ".")
}

// rawSessions reads the sessies table as it is at rest, each column as text.
func rawSessions(t *testing.T, dbURL string) []map[string]string {
	t.Helper()
	driver, dsn := "pgx", dbURL
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		driver, dsn = "sqlite", path
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT * FROM sessies`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for i, c := range cols {
			switch v := vals[i].(type) {
			case []byte:
				m[c] = string(v)
			case nil:
				m[c] = ""
			default:
				m[c] = fmt.Sprint(v)
			}
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// expectNothingReadable fails when a session row carries the BSN or a readable token.
func expectNothingReadable(t *testing.T, rows []map[string]string, idToken string) {
	t.Helper()
	for _, row := range rows {
		if _, ok := row["id_token_hint"]; ok {
			t.Error("the sessies table still has the id_token_hint column")
		}
		for col, v := range row {
			payload := ""
			if parts := strings.Split(idToken, "."); len(parts) == 3 {
				payload = parts[1]
			}
			if strings.Contains(v, yusufBSN) || strings.Contains(v, "eyJ") || (payload != "" && strings.Contains(v, payload[:20])) {
				t.Errorf("column %s holds the BSN or a readable token: %.80s", col, v)
			}
		}
	}
}

// With a provider that offers RP-initiated logout, the session keeps the ID token only sealed,
// and logging out sends the browser to the provider's end_session_endpoint with it as hint.
func TestOIDCLogoutAtProvider(t *testing.T) {
	const endSession = "http://logout.idp.test/oidc/end-session?tenant=duo"
	e := newOIDCEnvWith(t, endSession, nil)
	b := testenv.NewBrowser(t, e.a.Echo)
	expectStatus(t, e.login(t, b, "/en/inloggen/digid", citizen(yusufBSN)), http.StatusSeeOther)

	rows := rawSessions(t, e.a.Config.DatabaseURL)
	if len(rows) != 1 {
		t.Fatalf("%d session rows, want 1", len(rows))
	}
	hint := rows[0]["logout_hint"]
	if hint == "" {
		t.Fatal("no logout hint kept although the provider offers end_session_endpoint")
	}
	var idToken string
	if err := auth.NewSealerFor([]byte(e.a.Config.SessionKey), auth.PurposeIDToken).Open(hint, &idToken); err != nil {
		t.Fatalf("the logout hint does not open with the ID-token key: %v", err)
	}
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(idToken, claims); err != nil || claims["bsn"] != yusufBSN {
		t.Fatalf("the sealed hint is not the ID token with the BSN claim: %v %v", err, claims)
	}
	expectNothingReadable(t, rows, idToken)
	var x any
	if e.sealer().Open(hint, &x) == nil {
		t.Error("the flow-cookie key opens the logout hint: the two purposes share a key")
	}

	// The logout form's redirect must be allowed by the CSP form-action.
	res := b.Get("/en/mijn")
	body := expectStatus(t, res, http.StatusOK)
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "http://logout.idp.test") {
		t.Errorf("CSP %q does not allow the end-session origin in form-action", csp)
	}
	m := regexp.MustCompile(`action="(/en/uitloggen)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no logout form on /en/mijn")
	}
	res = b.PostForm(m[1], url.Values{"_csrf": {b.CSRF("/en/mijn")}})
	expectStatus(t, res, http.StatusSeeOther)
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != "http://logout.idp.test/oidc/end-session" {
		t.Fatalf("logout redirects to %s, want the end_session_endpoint", res.Header.Get("Location"))
	}
	q := loc.Query()
	for k, want := range map[string]string{"id_token_hint": idToken, "post_logout_redirect_uri": baseURL + "/", "client_id": e.m.ClientID, "ui_locales": "en", "tenant": "duo"} {
		if got := q.Get(k); got != want {
			t.Errorf("end-session %s = %.60q, want %.60q", k, got, want)
		}
	}
	if rows := rawSessions(t, e.a.Config.DatabaseURL); len(rows) != 0 {
		t.Errorf("%d session rows after logout, want 0", len(rows))
	}
	expectNoSession(t, b)
}

// Without end_session_endpoint nothing of the ID token is kept, and logout is local.
func TestOIDCLogoutLocal(t *testing.T) {
	e := newOIDCEnv(t)
	for _, tt := range []struct{ start, page string }{{"/nl/inloggen/digid", "/nl/mijn"}, {"/nl/medewerker/inloggen", "/nl/medewerker"}} {
		b := testenv.NewBrowser(t, e.a.Echo)
		u := citizen(yusufBSN)
		if strings.Contains(tt.start, "medewerker") {
			u = &oidcUser{sub: "duo-7", name: "Fatima de Vries", bsn: yusufBSN, idBSN: true, roles: []string{auth.RoleStaff}}
		}
		expectStatus(t, e.login(t, b, tt.start, u), http.StatusSeeOther)
		rows := rawSessions(t, e.a.Config.DatabaseURL)
		if len(rows) != 1 || rows[0]["logout_hint"] != "" {
			t.Fatalf("%s: rows %v, want one without a logout hint", tt.start, rows)
		}
		expectNothingReadable(t, rows, "")
		res := b.PostForm("/nl/uitloggen", url.Values{"_csrf": {b.CSRF(tt.page)}})
		expectStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/nl") {
			t.Errorf("%s: logout to %q, want local", tt.start, loc)
		}
		if rows := rawSessions(t, e.a.Config.DatabaseURL); len(rows) != 0 {
			t.Errorf("%d session rows after logout", len(rows))
		}
	}
}
