package portal_test

// Hardening of the portal (issue 7): CSRF bound to the session, cookies that follow BASE_URL, text a
// database cannot store, and a database outage. Through the real router on SQLite or PostgreSQL.

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/inburgering/portal/internal/server"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
	"github.com/inburgering/portal/portal"
)

// newHarnessWith is newHarness with a changed configuration.
func newHarnessWith(t *testing.T, change func(*wire.Config)) *harness {
	t.Helper()
	return newHarnessOpts(t, testenv.Options{Config: change})
}

// postWith posts form to path through b with extra request headers.
func postWith(t testing.TB, b *testenv.Browser, path string, form url.Values, headers map[string]string) *page {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return do(t, b, req)
}

// TestCSRFPlantedCookie: a CSRF cookie planted by someone else (a sibling subdomain, a plain-http
// response), with the form token to match, is refused: a logged-in browser's token is bound to its
// session, and over https the cookie has the __Host- prefix.
func TestCSRFPlantedCookie(t *testing.T) {
	const planted = "planted-by-an-attacker-0123456789abcdef"
	for _, base := range []string{"http://localhost:8080", "https://mijn.inburgering.example"} {
		t.Run(base, func(t *testing.T) {
			h := newHarnessWith(t, func(c *wire.Config) { c.BaseURL = base })
			user := h.login("nl", "ahmad")
			msgID := firstMessageID(t, user, "nl")
			wantRedirect(t, post(t, user, "/nl/mijn/berichten/"+msgID+"/gelezen", url.Values{"_csrf": {csrf(user, "/nl/mijn")}}), "/nl/mijn/berichten") // read, so "mark unread" would change something
			before := text(mustQuery(t, get(t, user, "/nl/mijn").Doc, "#card-inbox").Parent)
			session := user.Cookies[portal.SessionCookie].Value
			for _, name := range []string{portal.CSRFCookie, portal.CSRFCookieHost} {
				for _, site := range []string{"", "same-site"} {
					user.Cookies[name] = &http.Cookie{Name: name, Value: planted}
					headers := map[string]string{}
					if site != "" {
						headers["Sec-Fetch-Site"] = site
					}
					for _, path := range []string{"/nl/mijn/berichten/" + msgID + "/ongelezen", "/nl/uitloggen", "/nl/inloggen/demo"} {
						p := postWith(t, user, path, url.Values{"_csrf": {planted}, "persona": {"yusuf"}}, headers)
						wantStatus(t, p, http.StatusForbidden)
						wantText(t, "planted "+name+" "+site, p.main(t), h.msg("nl", "error.csrf"))
					}
					delete(user.Cookies, name)
				}
			}
			if got := user.Cookies[portal.SessionCookie]; got == nil || got.Value != session {
				t.Fatal("a refused POST changed the session")
			}
			if got := text(mustQuery(t, get(t, user, "/nl/mijn").Doc, "#card-inbox").Parent); got != before {
				t.Errorf("a refused POST changed the inbox: %q, was %q", got, before)
			}
			// The real token still works.
			wantRedirect(t, post(t, user, "/nl/mijn/berichten/"+msgID+"/ongelezen", url.Values{"_csrf": {csrf(user, "/nl/mijn")}}), "/nl/mijn/berichten")
		})
	}

	// Over https an anonymous browser's cookie is __Host-csrf: a planted plain "csrf" cookie does not count.
	h := newHarnessWith(t, func(c *wire.Config) { c.BaseURL = "https://mijn.inburgering.example" })
	anon := h.browser()
	anon.Cookies[portal.CSRFCookie] = &http.Cookie{Name: portal.CSRFCookie, Value: planted}
	p := post(t, anon, "/nl/inloggen/demo", url.Values{"_csrf": {planted}, "persona": {"yusuf"}})
	wantStatus(t, p, http.StatusForbidden)
	if _, ok := anon.Cookies[portal.SessionCookie]; ok {
		t.Error("logged in with a planted CSRF cookie")
	}
}

// TestCSRFTokenRotatesAtLogin: the token of the login page is no good after login, and each login
// (a new session) has a new token.
func TestCSRFTokenRotatesAtLogin(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	anonymous := csrf(b, "/nl/inloggen")
	wantStatus(t, post(t, b, "/nl/inloggen/demo", url.Values{"_csrf": {anonymous}, "persona": {"ahmad"}}), http.StatusSeeOther)
	first := csrf(b, "/nl/mijn")
	if first == anonymous {
		t.Fatal("the CSRF token did not change at login")
	}
	msgID := firstMessageID(t, b, "nl")
	for _, old := range []string{anonymous} {
		// Even with the old cookie sent back, the old token is refused.
		b.Cookies[portal.CSRFCookie] = &http.Cookie{Name: portal.CSRFCookie, Value: old}
		wantStatus(t, post(t, b, "/nl/mijn/berichten/"+msgID+"/ongelezen", url.Values{"_csrf": {old}}), http.StatusForbidden)
	}
	wantStatus(t, post(t, b, "/nl/inloggen/demo", url.Values{"_csrf": {csrf(b, "/nl/inloggen")}, "persona": {"yusuf"}}), http.StatusSeeOther)
	second := csrf(b, "/nl/mijn")
	if second == first || second == anonymous {
		t.Fatal("the CSRF token did not change at the second login")
	}
	wantStatus(t, post(t, b, "/nl/uitloggen", url.Values{"_csrf": {first}}), http.StatusForbidden)
	wantRedirect(t, post(t, b, "/nl/uitloggen", url.Values{"_csrf": {second}}), "/nl?uitgelogd=1")
}

// TestCSRFSecFetchSite: a browser that says the POST comes from this site (Sec-Fetch-Site:
// same-origin) passes on that header, as Echo's middleware decides; the page it got with that header
// still carries a real token, for a later request without it. Cross-site is refused with the
// translated message, whatever the token.
func TestCSRFSecFetchSite(t *testing.T) {
	h := newHarness(t)
	b := h.login("nl", "ahmad")
	p := navigate(t, b, "/nl/mijn")
	form := mustQuery(t, p.Doc, "form[action='/nl/uitloggen']")
	token := attrOr(mustQuery(t, form, "input[name=_csrf]"), "value")
	if len(token) < 20 || strings.Contains(token, "sec_fetch") {
		t.Fatalf("form token %q on a same-origin page", token)
	}
	msgID := firstMessageID(t, b, "nl")
	wantRedirect(t, postWith(t, b, "/nl/mijn/berichten/"+msgID+"/gelezen", url.Values{}, map[string]string{"Sec-Fetch-Site": "same-origin"}), "/nl/mijn/berichten")
	p = postWith(t, b, "/en/mijn/berichten/"+msgID+"/ongelezen", url.Values{"_csrf": {token}}, map[string]string{"Sec-Fetch-Site": "cross-site"})
	wantStatus(t, p, http.StatusForbidden)
	wantText(t, "cross-site", p.main(t), h.msg("en", "error.csrf"))
	wantRedirect(t, post(t, b, "/nl/uitloggen", url.Values{"_csrf": {token}}), "/nl?uitgelogd=1")
}

// jarBrowser is a browser whose cookies live in net/http/cookiejar, which, like a real browser,
// never sends a Secure cookie over plain http.
type jarBrowser struct {
	t    *testing.T
	h    http.Handler
	base *url.URL
	jar  *cookiejar.Jar
	seen []*http.Cookie // every cookie the server set
}

func (j *jarBrowser) do(req *http.Request) *page {
	j.t.Helper()
	u := j.base.ResolveReference(req.URL)
	req.URL, req.Host = u, u.Host
	for _, c := range j.jar.Cookies(u) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	j.h.ServeHTTP(rec, req)
	res := rec.Result()
	j.jar.SetCookies(u, res.Cookies())
	j.seen = append(j.seen, res.Cookies()...)
	p := &page{Method: req.Method, Path: req.URL.RequestURI(), Status: res.StatusCode, Header: res.Header, Body: testenv.ReadBody(j.t, res)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		p.Doc = parseHTML(j.t, p.Body)
	}
	return p
}

// TestCookiesFollowBaseURL: over a plain-http BASE_URL (a demo on a LAN address) no cookie is
// Secure, so a real browser sends them back and the demo login works; over https every cookie is
// Secure and the CSRF cookie is __Host-csrf.
func TestCookiesFollowBaseURL(t *testing.T) {
	for _, base := range []string{"http://192.168.1.20:8080", "https://mijn.inburgering.example"} {
		t.Run(base, func(t *testing.T) {
			h := newHarnessWith(t, func(c *wire.Config) { c.BaseURL = base })
			u, _ := url.Parse(base)
			jar, _ := cookiejar.New(nil)
			b := &jarBrowser{t: t, h: h.app.Echo, base: u, jar: jar}
			login := b.do(httptest.NewRequest(http.MethodGet, "/nl/inloggen", nil))
			wantStatus(t, login, http.StatusOK)
			token := attrOr(mustQuery(t, login.Doc, "input[name=_csrf]"), "value")
			req := httptest.NewRequest(http.MethodPost, "/nl/inloggen/demo", strings.NewReader(url.Values{"_csrf": {token}, "persona": {"yusuf"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			wantRedirect(t, b.do(req), "/nl/mijn")
			mine := b.do(httptest.NewRequest(http.MethodGet, "/en/mijn", nil))
			wantStatus(t, mine, http.StatusOK)
			token = attrOr(mustQuery(t, mine.Doc, "form[action='/en/uitloggen'] input[name=_csrf]"), "value")
			req = httptest.NewRequest(http.MethodPost, "/en/uitloggen", strings.NewReader(url.Values{"_csrf": {token}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			wantRedirect(t, b.do(req), "/en?uitgelogd=1")

			https := u.Scheme == "https"
			names := map[string]bool{}
			for _, c := range b.seen {
				names[c.Name] = true
				if c.Secure != https {
					t.Errorf("cookie %s: Secure=%v under %s", c.Name, c.Secure, base)
				}
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
					t.Errorf("cookie %s: want HttpOnly and SameSite=Lax: %+v", c.Name, c)
				}
			}
			wantCSRF := portal.CSRFCookie
			if https {
				wantCSRF = portal.CSRFCookieHost
			}
			for _, n := range []string{portal.SessionCookie, portal.LangCookie, wantCSRF} {
				if !names[n] {
					t.Errorf("no %s cookie set (got %v)", n, names)
				}
			}
			for _, c := range b.seen {
				if c.Name == portal.CSRFCookieHost && (c.Path != "/" || c.Domain != "") {
					t.Errorf("__Host- cookie with Path %q Domain %q", c.Path, c.Domain)
				}
			}
		})
	}
}

// TestTextThatCannotBeStored: a NUL byte or invalid UTF-8 in any form field is a 400 page naming
// the problem, on SQLite and on PostgreSQL (which refuses such text with SQLSTATE 22021), and
// changes nothing.
func TestTextThatCannotBeStored(t *testing.T) {
	h := newHarness(t)
	staff := h.login("nl", portal.StaffPersona)
	tests := []struct {
		name, path string
		who        func() *testenv.Browser
		field      string
		value      string
		extra      url.Values
	}{
		{"NUL in persona", "/%s/inloggen/demo", h.browser, "persona", "yusuf\x00", nil},
		{"NUL alone", "/%s/inloggen/demo", h.browser, "persona", "\x00", nil},
		{"invalid UTF-8 in persona", "/%s/inloggen/demo", h.browser, "persona", "yusuf\xff", nil},
		{"overlong encoding", "/%s/inloggen/demo", h.browser, "persona", "\xc0\xaf", nil},
		{"lone surrogate", "/%s/inloggen/demo", h.browser, "persona", "\xed\xa0\x80", nil},
		{"NUL in another field", "/%s/inloggen/demo", h.browser, "x", "a\x00b", url.Values{"persona": {"yusuf"}}},
		{"NUL in a field name", "/%s/inloggen/demo", h.browser, "x\x00", "1", url.Values{"persona": {"yusuf"}}},
		{"NUL in a BSN", "/%s/medewerker/opzoeken", func() *testenv.Browser { return staff }, "bsn", "930824623\x00", nil},
		{"invalid UTF-8 in a BSN", "/%s/medewerker/opzoeken", func() *testenv.Browser { return staff }, "bsn", "\xfe930824623", nil},
	}
	for _, lang := range []string{"nl", "ar"} {
		for _, tc := range tests {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				b := tc.who()
				path := strings.Replace(tc.path, "%s", lang, 1)
				form := url.Values{"_csrf": {csrf(b, "/"+lang+"/inloggen")}}
				for k, v := range tc.extra {
					form[k] = v
				}
				form.Set(tc.field, tc.value)
				sessionBefore := ""
				if ck := b.Cookies[portal.SessionCookie]; ck != nil {
					sessionBefore = ck.Value
				}
				p := post(t, b, path, form)
				wantStatus(t, p, http.StatusBadRequest)
				h.checkPage(t, p, lang)
				if got, want := text(mustQuery(t, p.Doc, "h1")), h.msg(lang, "error.heading.400"); got != want {
					t.Errorf("h1 %q, want %q", got, want)
				}
				wantText(t, "400 page", p.main(t), h.msg(lang, "error.field_text"))
				after := ""
				if ck := b.Cookies[portal.SessionCookie]; ck != nil {
					after = ck.Value
				}
				if after != sessionBefore {
					t.Error("the session changed")
				}
			})
		}
	}

	t.Run("multipart form", func(t *testing.T) {
		b := h.browser()
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		_ = w.WriteField("_csrf", csrf(b, "/nl/inloggen"))
		_ = w.WriteField("persona", "yusuf\x00")
		w.Close()
		req := httptest.NewRequest(http.MethodPost, "/nl/inloggen/demo", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		p := do(t, b, req)
		wantStatus(t, p, http.StatusBadRequest)
		wantText(t, "multipart", p.main(t), h.msg("nl", "error.field_text"))
	})

	// Nothing reached the audit or the sessions: the staff member can still look Yusuf up.
	p := post(t, staff, "/nl/medewerker/opzoeken", url.Values{"_csrf": {csrf(staff, "/nl/medewerker")}, "bsn": {personaBSN["yusuf"]}})
	wantStatus(t, p, http.StatusOK)
}

// FuzzDemoLoginPersona posts any persona to the demo login: never a 5xx; text a database cannot
// store is a 400 naming it; anything else logs in (a known persona) or asks to choose one (400).
func FuzzDemoLoginPersona(f *testing.F) {
	for _, s := range []string{"yusuf", "yusuf\x00", "\xff", "", "medewerker", "ahmad\xc3", "\u0000", "Δ", strings.Repeat("a", 300)} {
		f.Add(s)
	}
	a := testenv.New(f, testenv.Options{})
	nl, _ := a.Bundle.Lookup("nl")
	want := html.EscapeString(nl.T("error.field_text"))
	f.Fuzz(func(t *testing.T, persona string) {
		b := testenv.NewBrowser(t, a.Echo)
		req := httptest.NewRequest(http.MethodPost, "/nl/inloggen/demo", strings.NewReader(url.Values{"persona": {persona}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin") // passes the CSRF check without a token
		res := b.Do(req)
		body := testenv.ReadBody(t, res)
		switch {
		case res.StatusCode >= 500:
			t.Fatalf("persona %q → %d", persona, res.StatusCode)
		case !server.ValidText(persona):
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, want) {
				t.Fatalf("persona %q → %d, want 400 with error.field_text", persona, res.StatusCode)
			}
		case res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusBadRequest:
			t.Fatalf("persona %q → %d", persona, res.StatusCode)
		}
	})
}

// TestDatabaseOutage: with the database down, a page is a 503 with Retry-After and the translated
// "unavailable" page, not a 500; when it is back, the portal works again. A restart that breaks the
// pooled connections costs no request: reads are retried on a new connection. PostgreSQL only
// (SQLite is a file in the process).
func TestDatabaseOutage(t *testing.T) {
	if testenv.Dialect() != "postgres" {
		t.Skip("a database outage needs PostgreSQL (TEST_DATABASE_URL)")
	}
	var proxy *testenv.Proxy
	logs := &testenv.LogBuffer{}
	a := testenv.New(t, testenv.Options{Logs: logs, Config: func(c *wire.Config) {
		proxy = testenv.NewProxy(t, c.DatabaseURL)
		c.DatabaseURL = proxy.URL
	}})
	h := &harness{t: t, app: a, clock: testenv.NewClock(testenv.Now), logs: logs}
	b := h.login("nl", "ahmad")
	anon := h.browser()
	wantStatus(t, get(t, b, "/nl/mijn"), http.StatusOK)

	// A restart: every pooled connection breaks; the next reads go to new connections.
	for range 3 {
		proxy.Cut()
		wantStatus(t, get(t, b, "/nl/mijn"), http.StatusOK)
		wantStatus(t, get(t, b, "/nl/mijn/berichten"), http.StatusOK)
	}

	proxy.Stop()
	for _, tc := range []struct {
		who  *testenv.Browser
		req  func() *http.Request
		lang string
	}{
		{b, func() *http.Request { return httptest.NewRequest(http.MethodGet, "/nl/mijn", nil) }, "nl"},
		{b, func() *http.Request { return httptest.NewRequest(http.MethodGet, "/ar/mijn/berichten", nil) }, "ar"},
		{anon, func() *http.Request { return httptest.NewRequest(http.MethodGet, "/en/inloggen", nil) }, "en"},
		{anon, func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/fr/inloggen/demo", strings.NewReader("persona=yusuf"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("Sec-Fetch-Site", "same-origin")
			return r
		}, "fr"},
	} {
		req := tc.req()
		res := tc.who.Do(req)
		body := testenv.ReadBody(t, res)
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("%s %s with the database down → %d, want 503\n%s", req.Method, req.URL.Path, res.StatusCode, body)
		}
		if got := res.Header.Get("Retry-After"); got != "10" {
			t.Errorf("Retry-After %q, want 10", got)
		}
		p := &page{Method: req.Method, Path: req.URL.Path, Status: res.StatusCode, Header: res.Header, Body: body, Doc: parseHTML(t, body)}
		if got, want := text(mustQuery(t, p.Doc, "h1")), h.msg(tc.lang, "error.heading.503"); got != want {
			t.Errorf("h1 %q, want %q", got, want)
		}
		wantText(t, "503 page", p.main(t), h.msg(tc.lang, "error.unavailable"))
		wantNoText(t, "503 page", p.main(t), h.msg(tc.lang, "error.internal"))
	}

	proxy.Start()
	wantStatus(t, get(t, b, "/nl/mijn"), http.StatusOK)
	if err := a.Store.Ready(context.Background()); err != nil {
		t.Errorf("not ready after the database is back: %v", err)
	}
	for who, bsn := range personaBSN {
		if strings.Contains(logs.String(), bsn) {
			t.Errorf("the BSN of %s appears in the logs", who)
		}
	}
}
