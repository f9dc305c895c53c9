package portal_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/html"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/portal"
)

// unreachableGET are the GET routes neither a logged-in inburgeraar nor a staff member can reach
// with a successful answer, each with the reason. TestEveryGETWritesNothing fails when a route is
// neither reached nor listed here, and when a listed route is reached after all (the list is
// kept true).
var unreachableGET = map[string]string{
	"/":                                         "negotiates the language: always a redirect (303) to /{lang}",
	"/:lang/inloggen/digid":                     "starts the DigiD login at the OpenID Connect broker; no broker is configured in the tests (demo login), so it answers 404",
	"/:lang/medewerker/inloggen":                "the staff login at the broker; not configured in the tests (demo login: 404)",
	"/:lang/mijn/afspraken/nieuw/kanaal":        "a step of a form flow, reached only with the state the previous step's POST seals into the session; without it the GET redirects (303) to the flow's start, and writes nothing (checked here). Driven through the flow by afspraken_test.go",
	"/:lang/mijn/afspraken/nieuw/dag":           "a step of a form flow, reached only with the state the previous step's POST seals into the session; without it the GET redirects (303) to the flow's start, and writes nothing (checked here). Driven through the flow by afspraken_test.go",
	"/:lang/mijn/afspraken/nieuw/tijd":          "a step of a form flow, reached only with the state the previous step's POST seals into the session; without it the GET redirects (303) to the flow's start, and writes nothing (checked here). Driven through the flow by afspraken_test.go",
	"/:lang/mijn/afspraken/nieuw/tolk":          "a step of a form flow, reached only with the state the previous step's POST seals into the session; without it the GET redirects (303) to the flow's start, and writes nothing (checked here). Driven through the flow by afspraken_test.go",
	"/:lang/mijn/afspraken/nieuw/controleren":   "a step of a form flow, reached only with the state the previous step's POST seals into the session; without it the GET redirects (303) to the flow's start, and writes nothing (checked here). Driven through the flow by afspraken_test.go",
	"/:lang/mijn/facturen/:id/controleren":      "a step of a form flow, reached only with the state the previous step's POST seals into the session; without it the GET redirects (303) to the flow's start, and writes nothing (checked here). Driven through the flow by invoices_test.go",
	"/:lang/mijn/facturen/:id/reden":            "a step of a form flow, reached only with the state the previous step's POST seals into the session; without it the GET redirects (303) to the flow's start, and writes nothing (checked here). Driven through the flow by invoices_test.go",
	"/:lang/mijn/facturen/:id/bevestiging":      "a step of a form flow, reached only with the state the previous step's POST seals into the session; without it the GET redirects (303) to the flow's start, and writes nothing (checked here). Driven through the flow by invoices_test.go",
	"/:lang/mijn/medisch/:id/keuze/controleren": "a step of a form flow, reached only with the state the previous step's POST seals into the session; without it the GET redirects (303) to the flow's start, and writes nothing (checked here). Driven through the flow by medisch_test.go",
	"/:lang/mijn/medisch/:id/bevestiging":       "a step of a form flow, reached only with the state the previous step's POST seals into the session; without it the GET redirects (303) to the flow's start, and writes nothing (checked here). Driven through the flow by medisch_test.go",
	"/auth/callback":                            "the OpenID Connect broker's redirect back after DigiD; needs a state and code from a login that started at the broker (covered by internal/auth tests). It creates the session: a login, by protocol a GET",
	"/:lang/mijn/e-mail/bevestigen":             "needs the token from a confirmation e-mail; the GET only shows the form, the POST confirms (TestEmail* in email_test.go)",
	"/v2/contracten":                            "a language school's endpoint: a school's client-assertion token, not an inburgeraar's or staff token",
	"/v2/urenverklaringen":                      "a language school's endpoint (school token)",
	"/v2/urenverklaringen/:urenverklaringId":    "a language school's endpoint (school token)",
	"/v2/verificatieverzoeken":                  "a language school's endpoint (school token)",
	"/v2/contractbestanden/:contractbestandId":  "a language school's endpoint (school token), and no demo school has uploaded a contract file",
}

// TestEveryGETWritesNothing: every GET route of the Echo instance (e.Routes()), with its path
// parameters filled with real demo ids found on the site's own pages, requested by a logged-in
// inburgeraar (several personas, so every kind of id exists: appointments, invoices, letters,
// medical requests, hour declarations) and by a logged-in staff member, each with their session
// cookie and, on /v2, their bearer token: no INSERT, UPDATE or DELETE runs (a gorm callback on
// the store sees every statement). GET never writes, with two named exceptions that are not the
// person's data: the rate limiter's counters (see rateLimited) and the session's idle timer. The
// clock is moved past the touch interval before the crawl, so that the timer is refreshed: each
// user's crawl must write exactly one UPDATE of sessies.laatst_gezien_op and nothing else.
func TestEveryGETWritesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("requests every GET route as several users")
	}
	h := newHarnessOpts(t, testenv.Options{DemoDeclarations: true})
	e := h.app.Echo

	routes := map[string]bool{}
	for _, r := range e.Routes() {
		if r.Method == http.MethodGet {
			routes[r.Path] = true
		}
	}
	if len(routes) < 50 {
		t.Fatalf("only %d GET routes: e.Routes() is not the whole router", len(routes))
	}

	type user struct {
		name  string
		b     *testenv.Browser
		token string
	}
	var users []user
	for _, persona := range sortedPersonas() {
		users = append(users, user{"inburgeraar " + persona, h.login("nl", persona), h.demoToken(t, persona)})
	}
	users = append(users, user{"staff", h.login("nl", portal.StaffPersona), h.demoToken(t, app.DemoStaffPersona)})

	take := h.recordStatements(t)
	h.clock.Advance(2 * time.Minute) // past the touch interval (a minute), within the idle timeout

	reached := map[string][]string{} // route → who reached it
	ids := map[string]string{}       // route of a portal page with an id → that id
	for _, u := range users {
		seen := map[string]bool{}
		perRoute := map[string]int{}
		touches := 0
		var queue []string
		push := func(p string) {
			if !seen[p] {
				seen[p] = true
				queue = append(queue, p)
			}
		}
		for r := range routes {
			if p, ok := fill(r, ids); ok {
				push(p)
			}
		}
		sort.Strings(queue)
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			route := routeOf(e, p)
			if route == "" || perRoute[route] >= 3 { // a few concrete pages of a route suffice
				continue
			}
			perRoute[route]++
			req := httptest.NewRequest(http.MethodGet, p, nil)
			if strings.HasPrefix(p, "/v2/") {
				req.Header.Set("Authorization", "Bearer "+u.token)
			}
			take()
			res := u.b.Do(req)
			body := testenv.ReadBody(t, res)
			got := take()
			for _, s := range got {
				if rateLimited(route) && (strings.HasPrefix(s, "INSERT INTO rate_limits ") || strings.HasPrefix(s, "DELETE FROM rate_limits WHERE verloopt_op ")) {
					continue // the rate limiter's counters, flushed in batches, and their sweep: see rateLimited
				}
				if sessionTouch.MatchString(s) {
					touches++ // the idle timer, at most once a minute (auth.Sessions.Load)
					continue
				}
				if verb := strings.ToUpper(strings.Fields(strings.TrimSpace(s) + " x")[0]); verb != "SELECT" && verb != "WITH" {
					t.Errorf("%s: GET %s (%s) wrote: %s", u.name, p, route, s)
				}
			}
			if res.StatusCode >= 500 {
				t.Errorf("%s: GET %s → %d", u.name, p, res.StatusCode)
			}
			if testing.Verbose() {
				t.Logf("%s: GET %s → %d %s", u.name, p, res.StatusCode, res.Header.Get("Location"))
			}
			if res.StatusCode < 300 || res.StatusCode == http.StatusNotModified {
				if n := len(reached[route]); n == 0 || reached[route][n-1] != u.name {
					reached[route] = append(reached[route], u.name)
				}
			}
			// Follow the site's own links and redirects: they carry the real ids.
			var next []string
			if loc := res.Header.Get("Location"); loc != "" {
				next = append(next, loc)
			}
			if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				next = append(next, links(parseHTML(t, body))...)
			}
			for _, l := range next {
				lu, err := url.Parse(l)
				if err != nil || lu.Host != "" || !strings.HasPrefix(lu.Path, "/") {
					continue
				}
				if r := routeOf(e, lu.Path); r != "" {
					if id := idIn(r, lu.Path); id != "" && ids[r] == "" {
						ids[r] = id
						for r2 := range routes { // a new id fills the routes that take it
							if q, ok := fill(r2, ids); ok {
								push(q)
							}
						}
					}
					push(lu.RequestURI())
				}
			}
		}
		if touches != 1 {
			t.Errorf("%s: the crawl refreshed the session's idle timer %d times, want once (at most once a minute)", u.name, touches)
		}
	}

	var missing []string
	for r := range routes {
		why, listed := unreachableGET[r]
		switch {
		case len(reached[r]) == 0 && !listed:
			missing = append(missing, r)
		case len(reached[r]) > 0 && listed:
			t.Errorf("%s is reached (by %s) but listed as unreachable (%s): take it off the list", r, reached[r][0], why)
		}
	}
	sort.Strings(missing)
	for _, r := range missing {
		t.Errorf("GET %s was reached by no user: fill its parameters or list it in unreachableGET with the reason", r)
	}
	for r := range unreachableGET {
		if !routes[r] {
			t.Errorf("unreachableGET lists %s, which is no GET route", r)
		}
	}
	t.Logf("%d GET routes, %d reached, %d listed as unreachable", len(routes), len(reached), len(unreachableGET))
}

// sessionTouch is the one statement of the session's idle timer: an UPDATE of laatst_gezien_op
// alone (no other column).
var sessionTouch = regexp.MustCompile("^UPDATE [\"`]?sessies[\"`]? SET [\"`]?laatst_gezien_op[\"`]?=[^,]*WHERE")

// rateLimited reports whether requests of route are counted by a rate limiter (wire.RateLimits:
// the API per IP and per token, the login per IP). Its counters live in the database so that
// every instance sees them, and are flushed in batches by whichever counted request comes next:
// with the sweep of expired counters (at most once a minute), the writes a GET may cause on these
// routes besides the session's idle timer. Neither is the person's data.
func rateLimited(route string) bool {
	return strings.HasPrefix(route, "/v2/") || route == "/auth/callback" || route == "/:lang/inloggen/digid" || route == "/:lang/medewerker/inloggen"
}

// routeOf is the route path the Echo router matches for path ("" when none).
func routeOf(e *echo.Echo, path string) string {
	c := e.NewContext(httptest.NewRequest(http.MethodGet, path, nil), httptest.NewRecorder())
	e.Router().Find(http.MethodGet, path, c)
	if r := c.Path(); r != "" && r != "/*" && !strings.HasSuffix(r, "/*") {
		return r
	}
	return ""
}

var param = regexp.MustCompile(`:[A-Za-z]+`)

// idIn is the value of the route's first :id-like parameter in path ("" when the route has none).
func idIn(route, path string) string {
	rs, ps := strings.Split(route, "/"), strings.Split(path, "/")
	if len(rs) != len(ps) {
		return ""
	}
	for i, s := range rs {
		if strings.HasPrefix(s, ":") && s != ":lang" {
			return ps[i]
		}
	}
	return ""
}

// apiIDs says which portal page's id fills each parameter of the API.
var apiIDs = map[string]string{
	":afspraakId":       "/:lang/mijn/afspraken/:id",
	":urenverklaringId": "/:lang/mijn/urenverklaringen/:id/bewijs",
	":berichtId":        "/:lang/mijn/berichten/:id",
	":factuurId":        "/:lang/mijn/facturen/:id",
	":aanvraagId":       "/:lang/mijn/medisch/:id",
}

// fill writes route with its parameters from the ids found so far: :lang is nl, :file a file the
// pages link to, :soort an appointment type; false while an id is unknown.
func fill(route string, ids map[string]string) (string, bool) {
	ok := true
	out := param.ReplaceAllStringFunc(route, func(p string) string {
		switch p {
		case ":lang":
			return "nl"
		case ":soort":
			return "hoorzitting"
		case ":file":
			if v := ids["/static/:file"]; v != "" {
				return v
			}
		case ":id":
			// The id of any page of the same thing (/mijn/facturen/:id and its steps); staff
			// open the medical requests the inburgeraars see.
			base := route[:strings.Index(route, ":id")+len(":id")]
			for _, b := range []string{base, strings.Replace(base, "/medewerker/", "/mijn/", 1)} {
				keys := make([]string, 0, len(ids))
				for k := range ids {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					if strings.HasPrefix(k, b) && ids[k] != "" {
						return ids[k]
					}
				}
			}
		default:
			if v := ids[apiIDs[p]]; v != "" {
				return v
			}
		}
		ok = false
		return p
	})
	return out, ok
}

// links are the href and src of a page's links, stylesheets, scripts and images, and the actions
// of its GET forms.
func links(doc *html.Node) []string {
	var out []string
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "href" || a.Key == "src" || n.Data == "form" && a.Key == "action" && !strings.EqualFold(attrOr(n, "method"), "post") {
					out = append(out, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(doc)
	return out
}
