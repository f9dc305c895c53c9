package auth_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/store"
	"github.com/inburgering/portal/internal/testenv"
)

func TestNewIDAndHash(t *testing.T) {
	seen := map[string]bool{}
	urlSafe := regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	for range 1000 {
		id := auth.NewID()
		if !urlSafe.MatchString(id) {
			t.Fatalf("NewID %q: want 43 URL-safe characters", id)
		}
		if seen[id] {
			t.Fatalf("NewID repeated %q", id)
		}
		seen[id] = true
	}
	if h := auth.Hash("x"); len(h) != 64 || h == auth.Hash("y") || h != auth.Hash("x") {
		t.Errorf("Hash: %q", h)
	}
}

func TestSealer(t *testing.T) {
	s := auth.NewSealer([]byte("a-session-key-of-sufficient-length!!"))
	f := auth.Flow{State: "s", Nonce: "n", Verifier: "v", Staff: true, Lang: "ar", Expires: 42}
	a, err := s.Seal(f)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Seal(f)
	if a == b {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
	if strings.Contains(a, "ar") && strings.Contains(a, `"v"`) {
		t.Error("sealed value looks like plain text")
	}
	var got auth.Flow
	if err := s.Open(a, &got); err != nil || got != f {
		t.Fatalf("Open: %+v, %v", got, err)
	}
	other := auth.NewSealer([]byte("another-session-key-of-sufficient-len"))
	tampered := []byte(a)
	tampered[10] ^= 0x01
	for name, v := range map[string]string{
		"other key": "", "tampered": string(tampered), "truncated": a[:len(a)-4], "empty": "", "short": "AAAA", "not base64": "!!!",
	} {
		sealer := s
		if name == "other key" {
			sealer, v = other, a
		}
		if err := sealer.Open(v, &got); err == nil {
			t.Errorf("%s: Open succeeded", name)
		}
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(testenv.DatabaseURL(t), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	clock := testenv.NewClock(testenv.Now)
	m := &auth.Sessions{Store: st, Now: clock.Now}
	start := func() string {
		t.Helper()
		id, err := m.Start(ctx, auth.Session{Kind: auth.KindStaff, Staff: "Demo", Role: auth.RoleStaff})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	expired := func(t *testing.T, id string) {
		t.Helper()
		if _, err := m.Load(ctx, id); domain.ErrorKind(err) != domain.KindUnauthorized {
			t.Fatalf("Load: %v, want unauthorized", err)
		}
	}

	t.Run("start and load", func(t *testing.T) {
		id := start()
		s, err := m.Load(ctx, id)
		if err != nil || s.Kind != auth.KindStaff || s.Role != auth.RoleStaff || s.Staff != "Demo" || !s.CreatedAt.Equal(testenv.Now) {
			t.Fatalf("Load: %+v, %v", s, err)
		}
		if id2 := start(); id2 == id {
			t.Fatal("Start reused an ID")
		}
	})

	t.Run("bad ids", func(t *testing.T) {
		for _, id := range []string{"", "short", strings.Repeat("A", 43), strings.Repeat("A", 44), auth.Hash(start())} {
			expired(t, id)
		}
	})

	t.Run("idle timeout", func(t *testing.T) {
		id := start()
		clock.Advance(auth.IdleTimeout - time.Second)
		if _, err := m.Load(ctx, id); err != nil {
			t.Fatalf("Load just before the idle timeout: %v", err)
		}
		// That Load refreshed the idle timer.
		clock.Advance(auth.IdleTimeout - time.Second)
		if _, err := m.Load(ctx, id); err != nil {
			t.Fatalf("Load after activity: %v", err)
		}
		clock.Advance(auth.IdleTimeout)
		expired(t, id)
		// An expired session is gone, not just refused.
		if _, err := st.Session(ctx, auth.Hash(id)); domain.ErrorKind(err) != domain.KindNotFound {
			t.Errorf("expired session still stored: %v", err)
		}
	})

	t.Run("absolute timeout", func(t *testing.T) {
		id := start()
		for elapsed := time.Duration(0); elapsed < auth.AbsoluteTimeout-10*time.Minute; elapsed += 10 * time.Minute {
			clock.Advance(10 * time.Minute)
			if _, err := m.Load(ctx, id); err != nil {
				t.Fatalf("Load while active after %s: %v", elapsed, err)
			}
		}
		clock.Advance(10 * time.Minute)
		expired(t, id)
	})

	t.Run("end", func(t *testing.T) {
		id := start()
		if err := m.End(ctx, id); err != nil {
			t.Fatal(err)
		}
		expired(t, id)
		if err := m.End(ctx, ""); err != nil {
			t.Errorf("End(\"\"): %v", err)
		}
	})

	t.Run("sweep", func(t *testing.T) {
		old := start()
		clock.Advance(auth.IdleTimeout + time.Minute)
		fresh := start()
		if err := m.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Session(ctx, auth.Hash(old)); domain.ErrorKind(err) != domain.KindNotFound {
			t.Errorf("sweep kept an idle session: %v", err)
		}
		if _, err := m.Load(ctx, fresh); err != nil {
			t.Errorf("sweep removed a live session: %v", err)
		}
	})
}

// user is a mockoidc user with configurable claims.
type user struct {
	sub    string
	claims map[string]any // extra ID token claims
	info   map[string]any // userinfo (sub added)
}

func (u *user) ID() string { return u.sub }
func (u *user) Userinfo([]string) ([]byte, error) {
	m := map[string]any{"sub": u.sub}
	for k, v := range u.info {
		m[k] = v
	}
	return json.Marshal(m)
}

type claims struct {
	*mockoidc.IDTokenClaims
	extra map[string]any
}

func (c claims) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(c.IDTokenClaims)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range c.extra {
		m[k] = v
	}
	return json.Marshal(m)
}

func (u *user) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return claims{IDTokenClaims: base, extra: u.claims}, nil
}

func TestOIDCExchange(t *testing.T) {
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	ctx := context.Background()
	o, err := auth.NewOIDC(ctx, auth.OIDCConfig{Issuer: m.Issuer(), ClientID: m.ClientID, ClientSecret: m.ClientSecret,
		RedirectURL: "http://portal.test/auth/callback", BSNClaim: "urn:nl:bsn", RolesClaim: "groepen"})
	if err != nil {
		t.Fatal(err)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	code := func(t *testing.T, f auth.Flow, u mockoidc.User) string {
		t.Helper()
		m.QueueUser(u)
		res, err := noRedirect.Get(o.AuthCodeURL(f))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		loc, _ := url.Parse(res.Header.Get("Location"))
		if loc == nil || loc.Query().Get("code") == "" || loc.Query().Get("state") != f.State {
			t.Fatalf("authorize: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		return loc.Query().Get("code")
	}
	flow := func(staff bool) auth.Flow {
		return auth.Flow{State: auth.NewID(), Nonce: auth.NewID(), Verifier: auth.NewID() + auth.NewID()[:20], Staff: staff}
	}

	t.Run("claims under configured names, roles as one string", func(t *testing.T) {
		f := flow(true)
		id, err := o.Exchange(ctx, code(t, f, &user{sub: "s1", claims: map[string]any{"name": "Ans", "groepen": auth.RoleStaff}}), f)
		if err != nil {
			t.Fatal(err)
		}
		if id.Subject != "s1" || id.Name != "Ans" || !id.HasRole(auth.RoleStaff) || id.LogoutHint != "" {
			t.Errorf("%+v", id)
		}
	})

	t.Run("bsn from the configured claim; the default name is ignored", func(t *testing.T) {
		f := flow(false)
		id, err := o.Exchange(ctx, code(t, f, &user{sub: "s2", claims: map[string]any{"urn:nl:bsn": "930824623", "bsn": "111222333", "groepen": []string{"a", "b"}}}), f)
		if err != nil {
			t.Fatal(err)
		}
		if id.BSN != "930824623" || len(id.Roles) != 2 {
			t.Errorf("%+v", id)
		}
	})

	t.Run("bsn from userinfo", func(t *testing.T) {
		f := flow(false)
		id, err := o.Exchange(ctx, code(t, f, &user{sub: "s3", info: map[string]any{"urn:nl:bsn": "930824623"}}), f)
		if err != nil || id.BSN != "930824623" {
			t.Errorf("%+v, %v", id, err)
		}
	})

	t.Run("staff logins do not ask userinfo for a bsn", func(t *testing.T) {
		f := flow(true)
		id, err := o.Exchange(ctx, code(t, f, &user{sub: "s4", info: map[string]any{"urn:nl:bsn": "930824623"}}), f)
		if err != nil || id.BSN != "" {
			t.Errorf("%+v, %v", id, err)
		}
	})

	t.Run("nonce mismatch", func(t *testing.T) {
		f := flow(false)
		c := code(t, f, &user{sub: "s5", claims: map[string]any{"urn:nl:bsn": "930824623"}})
		f.Nonce = auth.NewID()
		if _, err := o.Exchange(ctx, c, f); domain.ErrorKind(err) != domain.KindUnauthorized {
			t.Errorf("Exchange with another nonce: %v, want unauthorized", err)
		}
	})

	t.Run("wrong verifier", func(t *testing.T) {
		f := flow(false)
		c := code(t, f, &user{sub: "s6"})
		f.Verifier = auth.NewID() + auth.NewID()
		if _, err := o.Exchange(ctx, c, f); domain.ErrorKind(err) != domain.KindUnauthorized {
			t.Errorf("Exchange with another verifier: %v, want unauthorized", err)
		}
	})

	t.Run("unknown code", func(t *testing.T) {
		if _, err := o.Exchange(ctx, "nope", flow(false)); domain.ErrorKind(err) != domain.KindUnauthorized {
			t.Errorf("Exchange of an unknown code: %v", err)
		}
	})

	t.Run("VerifyBearer", func(t *testing.T) {
		if _, err := o.VerifyBearer(ctx, "garbage"); domain.ErrorKind(err) != domain.KindUnauthorized {
			t.Errorf("garbage: %v", err)
		}
	})
}
