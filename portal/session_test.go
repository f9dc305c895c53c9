package portal_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/portal"
)

// sessionLeft reads the seconds left that the page gives app.js.
func sessionLeft(t *testing.T, p *page) int {
	t.Helper()
	d := mustQuery(t, p.Doc, "dialog#session-warning")
	n, err := strconv.Atoi(attrOr(d, "data-session-left"))
	if err != nil {
		t.Fatalf("%s: data-session-left %q: %v", p.Path, attrOr(d, "data-session-left"), err)
	}
	return n
}

// TestSessionTimeoutInPage: every logged-in page states the timeout (for readers without
// JavaScript) and carries the seconds left for app.js's warning, counted from the last touch:
// a GET within the minute writes nothing, so the count goes down.
func TestSessionTimeoutInPage(t *testing.T) {
	for _, lang := range []string{"nl", "ar"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			b := h.login(lang, "yusuf")
			p := get(t, b, "/"+lang+"/mijn/lening")
			wantStatus(t, p, http.StatusOK)
			wantText(t, p.Path, text(mustQuery(t, p.Doc, "footer .session-note")), h.msg(lang, "session.note", "Minutes", "15"))
			if got := sessionLeft(t, p); got != 15*60 {
				t.Errorf("right after login: %d seconds left, want 900", got)
			}
			// The warning's form extends through a POST with the CSRF token and returns here.
			form := mustQuery(t, p.Doc, "dialog#session-warning form")
			if attrOr(form, "action") != "/"+lang+"/sessie/verlengen" || !strings.EqualFold(attrOr(form, "method"), "post") {
				t.Errorf("warning form: %s %s", attrOr(form, "method"), attrOr(form, "action"))
			}
			if v := attrOr(mustQuery(t, form, "input[name=terug]"), "value"); v != "/mijn/lening" {
				t.Errorf("warning form returns to %q, want /mijn/lening", v)
			}
			h.clock.Advance(40 * time.Second)
			if got := sessionLeft(t, get(t, b, "/"+lang+"/mijn")); got != 15*60-40 {
				t.Errorf("after 40 s: %d seconds left, want 860 (a GET within the minute must not touch the session)", got)
			}
			h.clock.Advance(50 * time.Second) // 90 s since the last touch: this GET touches it
			if got := sessionLeft(t, get(t, b, "/"+lang+"/mijn")); got != 15*60 {
				t.Errorf("after a touch: %d seconds left, want 900", got)
			}
		})
	}
	t.Run("not logged in", func(t *testing.T) {
		h := newHarness(t)
		p := get(t, h.browser(), "/nl/inloggen")
		if query(t, p.Doc, "#session-warning") != nil || query(t, p.Doc, ".session-note") != nil {
			t.Errorf("a page without a session shows the session timeout")
		}
	})
}

// TestSessionExtend: the "stay logged in" button restarts the idle timer (script: JSON with the
// seconds left; plain form: back to the page); it needs the CSRF token; after the end it leads to
// the login, which returns to the page.
func TestSessionExtend(t *testing.T) {
	h := newHarness(t)
	b := h.login("nl", "yusuf")
	token := csrf(b, "/nl/mijn")
	h.clock.Advance(13 * time.Minute)

	req := httptest.NewRequest(http.MethodPost, "/nl/sessie/verlengen", strings.NewReader(url.Values{"_csrf": {token}, "terug": {"/mijn/lening"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	p := do(t, b, req)
	wantStatus(t, p, http.StatusOK)
	var body struct{ Seconds int }
	if err := json.Unmarshal([]byte(p.Body), &body); err != nil || body.Seconds != 900 {
		t.Errorf("extend answered %q (%v), want seconds 900", p.Body, err)
	}
	// 14 minutes after the extension (27 after login, no page in between): still logged in.
	h.clock.Advance(14 * time.Minute)
	wantRedirect(t, post(t, b, "/nl/sessie/verlengen", url.Values{"_csrf": {token}, "terug": {"/mijn/lening"}}), "/nl/mijn/lening")
	// A "terug" elsewhere is ignored.
	for _, bad := range []string{"//evil.example/x", "https://evil.example", "/mijn/../../x", "/medewerker", "/\\evil"} {
		wantRedirect(t, post(t, b, "/nl/sessie/verlengen", url.Values{"_csrf": {token}, "terug": {bad}}), "/nl/mijn")
	}
	wantStatus(t, post(t, b, "/nl/sessie/verlengen", url.Values{"terug": {"/mijn"}}), http.StatusForbidden)

	// Past the end the same button leads to the login, and the login back to the page.
	h.clock.Advance(16 * time.Minute)
	p = post(t, b, "/nl/sessie/verlengen", url.Values{"_csrf": {token}, "terug": {"/mijn/lening"}})
	wantRedirect(t, p, "/nl/inloggen?terug=%2Fmijn%2Flening&verlopen=1")
	login := get(t, b, p.location())
	wantStatus(t, login, http.StatusOK)
	if v := attrOr(mustQuery(t, login.Doc, `form[action="/nl/inloggen/demo"] input[name=terug]`), "value"); v != "/mijn/lening" {
		t.Fatalf("login form carries terug %q, want /mijn/lening", v)
	}
	p = post(t, b, "/nl/inloggen/demo", url.Values{"_csrf": {csrf(b, "/nl/inloggen")}, "persona": {"yusuf"}, "terug": {"/mijn/lening"}})
	wantRedirect(t, p, "/nl/mijn/lening")
}

// TestLoginReturnsToThePage: where an expired session sends the reader, and where the login
// then goes: the page (GET), the form's page (POST), never outside the portal or to the other
// kind of session's pages.
func TestLoginReturnsToThePage(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name, method, path, wantLogin string
	}{
		{"GET page", http.MethodGet, "/en/mijn/berichten", "/en/inloggen?terug=%2Fmijn%2Fberichten&verlopen=1"},
		{"POST to a page GET serves", http.MethodPost, "/nl/mijn/facturen/1/reden", "/nl/inloggen?terug=%2Fmijn%2Ffacturen%2F1%2Freden&verlopen=1"},
		{"POST to an action", http.MethodPost, "/nl/mijn/berichten/3/gelezen", "/nl/inloggen?terug=%2Fmijn%2Fberichten%2F3&verlopen=1"},
		{"POST language", http.MethodPost, "/nl/mijn/taal", "/nl/inloggen?terug=%2Fmijn&verlopen=1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := h.login("nl", "yusuf")
			token := csrf(b, "/nl/mijn")
			h.clock.Advance(16 * time.Minute)
			var p *page
			if c.method == http.MethodGet {
				p = get(t, b, c.path)
			} else {
				p = post(t, b, c.path, url.Values{"_csrf": {token}})
			}
			wantRedirect(t, p, c.wantLogin)
		})
	}
	logins := []struct {
		persona, terug, want string
	}{
		{"yusuf", "/mijn/pip", "/nl/mijn/pip"},
		{"yusuf", "//evil.example", "/nl/mijn"},
		{"yusuf", "/mijn/../medewerker", "/nl/mijn"},
		{"yusuf", "/medewerker", "/nl/mijn"},
		{portal.StaffPersona, "/mijn/pip", "/nl/medewerker"},
		{portal.StaffPersona, "/medewerker", "/nl/medewerker"},
	}
	for _, l := range logins {
		b := h.browser()
		p := post(t, b, "/nl/inloggen/demo", url.Values{"_csrf": {csrf(b, "/nl/inloggen")}, "persona": {l.persona}, "terug": {l.terug}})
		if p.Status != http.StatusSeeOther || p.location() != l.want {
			t.Errorf("login as %s with terug %q → %d %q, want %q", l.persona, l.terug, p.Status, p.location(), l.want)
		}
	}
}
