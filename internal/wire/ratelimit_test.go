package wire_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite" // database/sql driver "sqlite", to break the counter table by hand
	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/net/html"

	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

// allOff switches every limit off; each test switches on the ones it floods.
var allOff = wire.RateLimits{APIIP: "off", APIToken: "off", TokensIP: "off", LoginIP: "off", LookupSession: "off", LookupIP: "off"}

func withLimits(r wire.RateLimits) func(*wire.Config) {
	return func(c *wire.Config) { c.RateLimits = r }
}

// fromIP sends req from the client address ip (httptest's default is 192.0.2.1).
func fromIP(ip string, req *http.Request) *http.Request {
	req.RemoteAddr = net.JoinHostPort(ip, "40000")
	return req
}

func demoTokenRequest(persona string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/v2/demo-tokens", strings.NewReader(`{"persona":"`+persona+`"}`))
	req.Header.Set("Content-Type", "application/json")
	return req
}

// rlMsg is message id in language code, unescaped.
func rlMsg(t *testing.T, a *wire.App, code, id string) string {
	t.Helper()
	l, ok := a.Bundle.Lookup(code)
	if !ok {
		t.Fatalf("no language %s", code)
	}
	return l.T(id)
}

// checkTooMany checks a 429 refusal: Retry-After and both RateLimit headers as wanted.
func checkTooMany(t *testing.T, res *http.Response, retryAfter, policy, limit string) {
	t.Helper()
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429: %s", res.StatusCode, testenv.ReadBody(t, res))
	}
	for h, want := range map[string]string{"Retry-After": retryAfter, "RateLimit-Policy": policy, "RateLimit": limit} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
}

// A flood of demo-token requests from one address: the default limit (20 a minute) holds, the rest
// get a translated 429 problem that openapi.yaml documents, with Retry-After and the RateLimit
// headers; another address is not affected, and the next window lets the first one in again.
func TestDemoTokenFlood(t *testing.T) {
	clock := testenv.NewClock(testenv.Now.Add(15 * time.Second))
	a := testenv.New(t, testenv.Options{Clock: clock, Config: withLimits(wire.RateLimits{})}) // the defaults
	b := testenv.NewBrowser(t, a.Echo)
	v := testenv.NewValidator(t)
	const policy = `"api-ip";q=1200;w=60, "tokens-ip";q=20;w=60`
	created, refused := 0, 0
	for i := range 50 {
		req := fromIP("203.0.113.9", demoTokenRequest("yusuf"))
		req.Header.Set("Accept-Language", "en")
		res := b.Do(req)
		v.Check(t, req, res)
		switch res.StatusCode {
		case http.StatusCreated:
			created++
			want := fmt.Sprintf(`"api-ip";r=%d;t=45, "tokens-ip";r=%d;t=45`, 1200-i-1, 20-i-1)
			if got := res.Header.Get("RateLimit"); got != want || res.Header.Get("RateLimit-Policy") != policy {
				t.Fatalf("request %d: RateLimit %q, RateLimit-Policy %q; want %q, %q", i+1, got, res.Header.Get("RateLimit-Policy"), want, policy)
			}
		case http.StatusTooManyRequests:
			refused++
			want := fmt.Sprintf(`"api-ip";r=%d;t=45, "tokens-ip";r=0;t=45`, 1200-i-1)
			if i > 20 {
				// Refused from memory: only the exceeded policy is reported, the database is not asked.
				want = `"tokens-ip";r=0;t=45`
			}
			checkTooMany(t, res, "45", map[bool]string{true: `"tokens-ip";q=20;w=60`, false: policy}[i > 20], want)
			var p struct {
				Type, Title, Detail string
				Status              int
			}
			if err := json.Unmarshal([]byte(testenv.ReadBody(t, res)), &p); err != nil {
				t.Fatal(err)
			}
			if p.Status != 429 || p.Title != rlMsg(t, a, "en", "error.heading.429") || p.Detail != rlMsg(t, a, "en", "error.too_many_requests") ||
				!strings.HasSuffix(p.Type, "/error.too_many_requests") {
				t.Errorf("problem %+v", p)
			}
			if res.Header.Get("Content-Type") != "application/problem+json" || res.Header.Get("API-Version") == "" || res.Header.Get("Content-Language") != "en" {
				t.Errorf("headers %v", res.Header)
			}
		default:
			t.Fatalf("request %d: status %d", i+1, res.StatusCode)
		}
	}
	if created != 20 || refused != 30 {
		t.Fatalf("%d created, %d refused; want 20 and 30", created, refused)
	}

	// Another address has its own count; the flooding one waits for the next window.
	if res := b.Do(fromIP("203.0.113.10", demoTokenRequest("yusuf"))); res.StatusCode != http.StatusCreated {
		t.Fatalf("another address: status %d, want 201", res.StatusCode)
	}
	clock.Advance(44 * time.Second)
	checkTooMany(t, b.Do(fromIP("203.0.113.9", demoTokenRequest("yusuf"))), "1", `"tokens-ip";q=20;w=60`, `"tokens-ip";r=0;t=1`)
	clock.Advance(time.Second)
	if res := b.Do(fromIP("203.0.113.9", demoTokenRequest("yusuf"))); res.StatusCode != http.StatusCreated {
		t.Fatalf("next window: status %d, want 201", res.StatusCode)
	}
}

// The API limits each access token and each address; a refusal names the policy that was exceeded.
func TestAPILimitsPerTokenAndPerIP(t *testing.T) {
	limits := allOff
	limits.APIToken, limits.APIIP = "2/1m", "4/1m"
	a := testenv.New(t, testenv.Options{Config: withLimits(limits)})
	b := testenv.NewBrowser(t, a.Echo)
	v := testenv.NewValidator(t)
	token := func(persona string) string {
		res := b.Do(fromIP("198.51.100.1", demoTokenRequest(persona)))
		var out struct{ AccessToken string }
		if err := json.Unmarshal([]byte(testenv.ReadBody(t, res)), &out); err != nil || out.AccessToken == "" {
			t.Fatalf("demo token: %d %v", res.StatusCode, err)
		}
		return out.AccessToken
	}
	tokenA, tokenB := token("yusuf"), token("ahmad")
	steps := []struct {
		ip, token string
		status    int
		limit     string
	}{
		{"192.0.2.50", tokenA, 200, `"api-ip";r=3;t=60, "api-token";r=1;t=60`},
		{"192.0.2.50", tokenA, 200, `"api-ip";r=2;t=60, "api-token";r=0;t=60`},
		{"192.0.2.50", tokenA, 429, `"api-ip";r=1;t=60, "api-token";r=0;t=60`}, // the token is over
		{"192.0.2.50", tokenB, 200, `"api-ip";r=0;t=60, "api-token";r=1;t=60`},
		{"192.0.2.50", tokenB, 429, `"api-ip";r=0;t=60, "api-token";r=0;t=60`}, // the address is over
		// Token A from anywhere, refused from memory: nothing else is counted.
		{"192.0.2.51", tokenA, 429, `"api-token";r=0;t=60`},
		{"192.0.2.51", "", 200, `"api-ip";r=3;t=60`}, // no token: the address alone
		// An unknown token is counted before it is checked.
		{"192.0.2.51", "not-a-token", 401, `"api-ip";r=2;t=60, "api-token";r=1;t=60`},
	}
	for i, s := range steps {
		path := "/v2/mijn/inburgeringstermijn"
		if s.token == "" {
			path = "/v2/openapi.json"
		}
		req := fromIP(s.ip, httptest.NewRequest(http.MethodGet, path, nil))
		if s.token != "" {
			req.Header.Set("Authorization", "Bearer "+s.token)
		}
		res := b.Do(req)
		v.Check(t, req, res)
		if res.StatusCode != s.status || res.Header.Get("RateLimit") != s.limit {
			t.Errorf("step %d: %d %q, want %d %q", i+1, res.StatusCode, res.Header.Get("RateLimit"), s.status, s.limit)
		}
		if s.status == 429 && res.Header.Get("Retry-After") != "60" {
			t.Errorf("step %d: Retry-After %q", i+1, res.Header.Get("Retry-After"))
		}
	}
}

// Two instances on one database share one limit: what one counted, the other refuses.
func TestTwoInstancesShareOneLimit(t *testing.T) {
	ctx := context.Background()
	cfg := testenv.Config(t)
	cfg.RateLimits = allOff
	cfg.RateLimits.TokensIP = "4/1m"
	clock := testenv.NewClock(testenv.Now)
	var apps []*wire.App
	for range 2 {
		st, err := wire.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		a, err := wire.Build(ctx, cfg, st, wire.Options{Now: clock.Now, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		apps = append(apps, a)
	}
	if _, err := apps[0].Seed(ctx); err != nil {
		t.Fatal(err)
	}
	var got []int
	for i := range 6 {
		res := testenv.NewBrowser(t, apps[i%2].Echo).Do(demoTokenRequest("yusuf"))
		got = append(got, res.StatusCode)
	}
	if want := []int{201, 201, 201, 201, 429, 429}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("alternating between two instances: %v, want %v (one limit of 4, not 4 each)", got, want)
	}
}

// Concurrent requests are counted exactly: of a burst of 40 at once, 10 (the limit) get through.
func TestConcurrentFloodAdmitsExactlyTheLimit(t *testing.T) {
	limits := allOff
	limits.APIIP = "10/1m"
	a := testenv.New(t, testenv.Options{NoSeed: true, Config: withLimits(limits)})
	statuses := make(chan int, 40)
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			a.Echo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v2/openapi.json", nil))
			statuses <- rec.Code
		})
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[http.StatusOK] != 10 || count[http.StatusTooManyRequests] != 30 {
		t.Fatalf("statuses %v, want 10 × 200 and 30 × 429", count)
	}
}

// h1Of returns the text of the page's first h1 and its html lang attribute.
func h1Of(t *testing.T, body string) (heading, lang string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "html" {
			for _, at := range n.Attr {
				if at.Key == "lang" {
					lang = at.Val
				}
			}
		}
		if n.Type == html.ElementNode && n.Data == "h1" && heading == "" {
			var b strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.TextNode {
					b.WriteString(c.Data)
				}
			}
			heading = strings.TrimSpace(b.String())
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return heading, lang
}

// checkTooManyPage checks a 429 refusal on the portal: the translated HTML error page.
func checkTooManyPage(t *testing.T, a *wire.App, res *http.Response, code string) {
	t.Helper()
	body := testenv.ReadBody(t, res)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q; want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("Content-Type %q, want the HTML error page", res.Header.Get("Content-Type"))
	}
	heading, lang := h1Of(t, body)
	if want := rlMsg(t, a, code, "error.heading.429"); heading != want || lang != code {
		t.Errorf("page h1 %q lang %q, want %q in %s", heading, lang, want, code)
	}
	if !strings.Contains(body, template.HTMLEscapeString(rlMsg(t, a, code, "error.too_many_requests"))) {
		t.Errorf("the page does not say what happened (%s)", rlMsg(t, a, code, "error.too_many_requests"))
	}
}

// A flood of each login route from one address gets the 429 page in the page's language.
func TestLoginFlood(t *testing.T) {
	routes := []struct {
		name string
		req  func(b *testenv.Browser) *http.Request
		lang string
	}{
		{"demo login form", func(b *testenv.Browser) *http.Request {
			form := url.Values{"_csrf": {b.CSRF("/ar/inloggen")}, "persona": {"yusuf"}}
			req := httptest.NewRequest(http.MethodPost, "/ar/inloggen/demo", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return req
		}, "ar"},
		{"OIDC start", func(*testenv.Browser) *http.Request {
			return httptest.NewRequest(http.MethodGet, "/en/inloggen/digid", nil)
		}, "en"},
		{"staff OIDC start", func(*testenv.Browser) *http.Request {
			return httptest.NewRequest(http.MethodGet, "/tr/medewerker/inloggen", nil)
		}, "tr"},
		{"OIDC callback", func(*testenv.Browser) *http.Request {
			req := httptest.NewRequest(http.MethodGet, "/auth/callback?state=x&code=y", nil)
			req.AddCookie(&http.Cookie{Name: "taal", Value: "fa"})
			return req
		}, "fa"},
	}
	for _, r := range routes {
		t.Run(r.name, func(t *testing.T) {
			limits := allOff
			limits.LoginIP = "3/1m"
			a := testenv.New(t, testenv.Options{Config: withLimits(limits)})
			b := testenv.NewBrowser(t, a.Echo)
			for i := range 3 {
				if res := b.Do(r.req(b)); res.StatusCode == http.StatusTooManyRequests {
					t.Fatalf("request %d refused within the limit", i+1)
				}
			}
			res := b.Do(r.req(b))
			checkTooManyPage(t, a, res, r.lang)
			if got := res.Header.Get("RateLimit-Policy"); got != `"login-ip";q=3;w=60` {
				t.Errorf("RateLimit-Policy %q", got)
			}
			// Another address still logs in.
			if res := b.Do(fromIP("198.51.100.20", r.req(b))); res.StatusCode == http.StatusTooManyRequests {
				t.Error("another address was refused too")
			}
		})
	}
}

// A flood of staff BSN lookups (an enumeration) is refused per staff session and per address.
func TestStaffLookupFlood(t *testing.T) {
	limits := allOff
	limits.LookupSession, limits.LookupIP = "3/1m", "5/1m"
	a := testenv.New(t, testenv.Options{Config: withLimits(limits)})
	lookup := func(b *testenv.Browser, bsn string) *http.Response {
		form := url.Values{"_csrf": {b.CSRF("/nl/medewerker")}, "bsn": {bsn}}
		req := httptest.NewRequest(http.MethodPost, "/nl/medewerker/opzoeken", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return b.Do(req)
	}
	staff := testenv.NewBrowser(t, a.Echo)
	staff.LoginPersona("nl", "medewerker")
	bsns := []string{"111222333", "123456782", "999999990"} // valid 11-test numbers of nobody: an enumeration
	for i, bsn := range bsns {
		if res := lookup(staff, bsn); res.StatusCode == http.StatusTooManyRequests {
			t.Fatalf("lookup %d refused within the limit", i+1)
		}
	}
	res := lookup(staff, "111222333")
	checkTooManyPage(t, a, res, "nl")
	if got, want := res.Header.Get("RateLimit"), `"lookup-session";r=0;t=60, "lookup-ip";r=1;t=60`; got != want {
		t.Errorf("RateLimit %q, want %q", got, want)
	}

	// A second session from the same address gets what is left of the address's limit.
	other := testenv.NewBrowser(t, a.Echo)
	other.LoginPersona("nl", "medewerker")
	if res := lookup(other, "111222333"); res.StatusCode == http.StatusTooManyRequests {
		t.Fatal("the fifth lookup from the address was refused")
	}
	checkTooManyPage(t, a, lookup(other, "111222333"), "nl")
}

// Behind a trusted proxy each forwarded client has its own count; from anyone else
// X-Forwarded-For is ignored, so a forged header cannot dodge the limit.
func TestTrustedProxies(t *testing.T) {
	for _, tc := range []struct {
		name, proxies string
		want          []int
	}{
		{"no trusted proxy", "", []int{200, 200, 429, 429}},
		{"the proxy is trusted", "192.0.2.1, 2001:db8::/32", []int{200, 200, 200, 200}},
		{"another proxy is trusted", "198.51.100.0/24", []int{200, 200, 429, 429}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			limits := allOff
			limits.APIIP = "2/1m"
			a := testenv.New(t, testenv.Options{NoSeed: true, Config: func(c *wire.Config) { c.RateLimits, c.TrustedProxies = limits, tc.proxies }})
			b := testenv.NewBrowser(t, a.Echo)
			var got []int
			for i := range 4 {
				req := httptest.NewRequest(http.MethodGet, "/v2/openapi.json", nil) // from 192.0.2.1
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", 1+i/2))
				got = append(got, b.Do(req).StatusCode)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("statuses %v, want %v", got, tc.want)
			}
		})
	}
}

// A database error in the limiter lets requests through with a warning (fail open), once per
// 10 seconds in the log; the counters are back as soon as the table is.
func TestLimiterFailsOpen(t *testing.T) {
	logs := &testenv.LogBuffer{}
	limits := allOff
	limits.APIIP = "1/1m"
	a := testenv.New(t, testenv.Options{NoSeed: true, Logs: logs, Config: withLimits(limits)})
	db := rawDB(t, a)
	if _, err := db.Exec(`ALTER TABLE rate_limits RENAME TO rate_limits_away`); err != nil {
		t.Fatal(err)
	}
	b := testenv.NewBrowser(t, a.Echo)
	for i := range 3 {
		res := b.Get("/v2/openapi.json")
		if res.StatusCode != http.StatusOK || res.Header.Get("RateLimit") != "" {
			t.Fatalf("request %d without counters: %d, RateLimit %q; want 200 without headers", i+1, res.StatusCode, res.Header.Get("RateLimit"))
		}
	}
	if n := strings.Count(logs.String(), "rate limit not checked"); n != 1 {
		t.Errorf("%d warnings in the log, want 1:\n%s", n, logs.String())
	}
	if _, err := db.Exec(`ALTER TABLE rate_limits_away RENAME TO rate_limits`); err != nil {
		t.Fatal(err)
	}
	if res := b.Get("/v2/openapi.json"); res.StatusCode != http.StatusOK {
		t.Fatalf("counters back: %d", res.StatusCode)
	}
	if res := b.Get("/v2/openapi.json"); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("counters back, second request: %d, want 429", res.StatusCode)
	}
}

// rawDB opens the app's database beside it, to look at or break the counter table by hand.
func rawDB(t *testing.T, a *wire.App) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", a.Config.DatabaseURL
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		driver, dsn = "sqlite", path
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Once an address is over its limit, this instance refuses it from memory until the window ends:
// a flood from it costs the database nothing more (here: the counters are gone and it is still refused).
func TestRefusedFloodSparesTheDatabase(t *testing.T) {
	logs := &testenv.LogBuffer{}
	clock := testenv.NewClock(testenv.Now)
	limits := allOff
	limits.APIIP = "2/1m"
	a := testenv.New(t, testenv.Options{NoSeed: true, Clock: clock, Logs: logs, Config: withLimits(limits)})
	b := testenv.NewBrowser(t, a.Echo)
	var got []int
	for range 3 {
		got = append(got, b.Get("/v2/openapi.json").StatusCode)
	}
	db := rawDB(t, a)
	if _, err := db.Exec(`ALTER TABLE rate_limits RENAME TO rate_limits_away`); err != nil {
		t.Fatal(err)
	}
	for range 50 {
		got = append(got, b.Get("/v2/openapi.json").StatusCode)
	}
	if want := append([]int{200, 200}, slices.Repeat([]int{429}, 51)...); !slices.Equal(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	if strings.Contains(logs.String(), "rate limit not checked") {
		t.Fatal("a refused address reached the database")
	}
	// In the next window the address is asked about again (and, the table being away, let through).
	clock.Advance(time.Minute)
	if res := b.Get("/v2/openapi.json"); res.StatusCode != http.StatusOK || !strings.Contains(logs.String(), "rate limit not checked") {
		t.Fatalf("next window: %d, log %s", res.StatusCode, logs.String())
	}
}

// Each instance deletes the counters of ended windows, at most once a minute.
func TestExpiredCountersAreSwept(t *testing.T) {
	clock := testenv.NewClock(testenv.Now.Add(30 * time.Second)) // 10:00:30; the windows are whole minutes
	limits := allOff
	limits.APIIP = "5/1m"
	a := testenv.New(t, testenv.Options{NoSeed: true, Clock: clock, Config: withLimits(limits)})
	b := testenv.NewBrowser(t, a.Echo)
	db := rawDB(t, a)
	rows := func() int {
		t.Helper()
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM rate_limits`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	get := func(ip string) {
		t.Helper()
		if res := b.Do(fromIP(ip, httptest.NewRequest(http.MethodGet, "/v2/openapi.json", nil))); res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
	}
	for _, ip := range []string{"192.0.2.10", "192.0.2.11", "2001:db8::1", "2001:db8::2"} { // one /64: one counter
		get(ip)
	}
	if n := rows(); n != 3 {
		t.Fatalf("%d counters, want 3", n)
	}
	clock.Advance(40 * time.Second) // 10:01:10: the first window has ended, but the last sweep was 40 s ago
	get("192.0.2.12")
	if n := rows(); n != 4 {
		t.Fatalf("%d counters, want 4 (no sweep yet)", n)
	}
	clock.Advance(20 * time.Second) // 10:01:30: a minute since the last sweep
	get("192.0.2.13")
	if n := rows(); n != 2 {
		t.Fatalf("after the sweep %d counters, want 2 (those of this window)", n)
	}
}

func TestRateLimitSettings(t *testing.T) {
	ctx := context.Background()
	cfg := testenv.Config(t)
	st, err := wire.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, tc := range []struct {
		value, proxies string
		err            string
	}{
		{"20/1m", "", ""},
		{" 5 / 30s ", "", ""},
		{"OFF", "", ""},
		{"100/24h", "10.0.0.0/8,192.0.2.7, ::1", ""},
		{"20", "", "RATE_LIMIT_API_TOKEN"},
		{"0/1m", "", "RATE_LIMIT_API_TOKEN"},
		{"-1/1m", "", "RATE_LIMIT_API_TOKEN"},
		{"ten/1m", "", "RATE_LIMIT_API_TOKEN"},
		{"20/500ms", "", "RATE_LIMIT_API_TOKEN"},
		{"20/1.5s", "", "RATE_LIMIT_API_TOKEN"},
		{"20/48h", "", "RATE_LIMIT_API_TOKEN"},
		{"20/1m", "10.0.0.0/33", "TRUSTED_PROXIES"},
		{"20/1m", "proxy.local", "TRUSTED_PROXIES"},
	} {
		c := cfg
		c.RateLimits.APIToken, c.TrustedProxies = tc.value, tc.proxies
		_, err := wire.Build(ctx, c, st, wire.Options{Logger: slog.New(slog.DiscardHandler)})
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("RATE_LIMIT_API_TOKEN=%q TRUSTED_PROXIES=%q: %v, want an error naming %q", tc.value, tc.proxies, err, tc.err)
		}
	}
	if c := wire.FromEnv(env(map[string]string{"RATE_LIMIT_LOGIN_IP": " 7/1h ", "TRUSTED_PROXIES": "10.0.0.1"})); c.RateLimits.LoginIP != "7/1h" || c.TrustedProxies != "10.0.0.1" {
		t.Errorf("FromEnv: %+v", c)
	}
}
