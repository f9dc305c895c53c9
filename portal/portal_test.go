package portal_test

// End-to-end tests of the portal through the real router (testenv builds the whole service on
// SQLite, or on PostgreSQL when TEST_DATABASE_URL is set), with assertions on parsed HTML.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
	"github.com/inburgering/portal/portal"
)

// personaBSN are the seeded BSNs (internal/app/demo.go). No BSN may ever reach a URL or a log line.
var personaBSN = map[string]string{
	"amal": "126018157", "dawit": "230166131", "samira": "760913900", "yusuf": "930824623", "olena": "494821991",
	"kidane": "818190930", "ahmad": "465797544", "goran": "831948759", "lina": "391186255", "farah": "660189550",
	"mariam": "436450306", "hamid": "808197836", "selam": "524240024", "hodan": "286924997",
}

// ---------------------------------------------------------------------------------------------
// Harness

type harness struct {
	t     *testing.T
	app   *wire.App
	clock *testenv.Clock
	logs  *testenv.LogBuffer
}

// newHarness builds the seeded demo service at testenv.Now with a settable clock. When the test
// ends it checks the logs: no request failed (level ERROR) and no BSN was logged.
func newHarness(t *testing.T) *harness { return newHarnessOpts(t, testenv.Options{}) }

// newHarnessOpts is newHarness with more options (such as DemoDeclarations); the clock and the
// logs are the harness's own.
func newHarnessOpts(t *testing.T, o testenv.Options) *harness {
	t.Helper()
	h := &harness{t: t, clock: testenv.NewClock(testenv.Now), logs: &testenv.LogBuffer{}}
	o.Clock, o.Logs = h.clock, h.logs
	h.app = testenv.New(t, o)
	t.Cleanup(h.checkLogs)
	return h
}

// recordStatements records the statements of the harness's store (testenv.RecordStatements).
// Requests run one after another.
func (h *harness) recordStatements(t *testing.T) (take func() []string) {
	t.Helper()
	return testenv.RecordStatements(t, h.app)
}

func (h *harness) checkLogs() {
	sc := bufio.NewScanner(strings.NewReader(h.logs.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		var rec struct{ Level string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			h.t.Errorf("log line is not JSON: %s", line)
			continue
		}
		if rec.Level == "ERROR" {
			h.t.Errorf("error logged: %s", line)
		}
		for who, bsn := range personaBSN {
			if strings.Contains(line, bsn) {
				h.t.Errorf("the BSN of %s appears in the logs: %s", who, line)
			}
		}
	}
}

func (h *harness) browser() *testenv.Browser { return testenv.NewBrowser(h.t, h.app.Echo) }

// login returns a browser logged in as persona through the demo form in lang.
func (h *harness) login(lang, persona string) *testenv.Browser {
	b := h.browser()
	b.LoginPersona(lang, persona)
	return b
}

// languages lists the language codes the bundle offers.
func (h *harness) languages() []string {
	var out []string
	for _, l := range h.app.Bundle.Languages() {
		out = append(out, l.Code)
	}
	return out
}

// msg returns message id in lang, as the page should show it.
func (h *harness) msg(lang, id string, kv ...any) string {
	h.t.Helper()
	l, ok := h.app.Bundle.Lookup(lang)
	if !ok {
		h.t.Fatalf("no language %q", lang)
	}
	var data map[string]any
	if len(kv) > 0 {
		data = map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			data[kv[i].(string)] = kv[i+1]
		}
	}
	s := l.T(id, data)
	if strings.HasPrefix(s, "[") {
		h.t.Fatalf("message %s missing in %s", id, lang)
	}
	return s
}

// missingMessage matches how a missing message renders ("[id]") for every message ID prefix
// the bundle knows.
func (h *harness) missingMessage() *regexp.Regexp {
	seen := map[string]bool{}
	var prefixes []string
	for _, ids := range h.app.Bundle.IDs {
		for _, id := range ids {
			p, _, _ := strings.Cut(id, ".")
			if !seen[p] {
				seen[p] = true
				prefixes = append(prefixes, regexp.QuoteMeta(p))
			}
		}
	}
	sort.Strings(prefixes)
	return regexp.MustCompile(`\[(` + strings.Join(prefixes, "|") + `)\.[A-Za-z0-9_.]*\]`)
}

// page is one response, parsed when it is HTML.
type page struct {
	Method, Path string
	Status       int
	Header       http.Header
	Body         string
	Doc          *html.Node
}

func (p *page) location() string { return p.Header.Get("Location") }

func (p *page) main(t testing.TB) string { return text(mustQuery(t, p.Doc, "main")) }

// do sends req through b. No request may ever answer 5xx.
func do(t testing.TB, b *testenv.Browser, req *http.Request) *page {
	t.Helper()
	res := b.Do(req)
	p := &page{Method: req.Method, Path: req.URL.RequestURI(), Status: res.StatusCode, Header: res.Header, Body: testenv.ReadBody(t, res)}
	if p.Status >= 500 {
		t.Fatalf("%s %s → %d\n%s", req.Method, p.Path, p.Status, p.Body)
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		p.Doc = parseHTML(t, p.Body)
	}
	return p
}

func get(t testing.TB, b *testenv.Browser, path string) *page {
	t.Helper()
	return do(t, b, httptest.NewRequest(http.MethodGet, path, nil))
}

// navigate is get as a browser follows a link on this site: Sec-Fetch-Site: same-origin.
func navigate(t testing.TB, b *testenv.Browser, path string) *page {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return do(t, b, req)
}

func post(t testing.TB, b *testenv.Browser, path string, form url.Values) *page {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, b, req)
}

// csrf returns the token a real form on page would carry.
func csrf(b *testenv.Browser, page string) string { return b.CSRF(page) }

func wantStatus(t testing.TB, p *page, want int) {
	t.Helper()
	if p.Status != want {
		t.Fatalf("%s %s → %d, want %d\nLocation: %s\n%s", p.Method, p.Path, p.Status, want, p.location(), p.Body)
	}
}

func wantRedirect(t testing.TB, p *page, location string) {
	t.Helper()
	if p.Status != http.StatusSeeOther || p.location() != location {
		t.Fatalf("%s %s → %d Location %q, want 303 to %q", p.Method, p.Path, p.Status, p.location(), location)
	}
}

func wantText(t testing.TB, where, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s: missing %q in:\n%s", where, w, got)
		}
	}
}

func wantNoText(t testing.TB, where, got string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			t.Errorf("%s: unexpected %q in:\n%s", where, w, got)
		}
	}
}

// checkPage asserts what every portal page must get right (design.md §5–§6): language and
// direction, one h1, a real title, no missing message, skip link, language switcher and hreflang
// alternates to every language, labelled inputs, unique ids and resolvable in-page references,
// and nothing the CSP would block.
func (h *harness) checkPage(t testing.TB, p *page, lang string) {
	t.Helper()
	if p.Doc == nil {
		t.Fatalf("%s %s: not HTML (%s)", p.Method, p.Path, p.Header.Get("Content-Type"))
	}
	doc := p.Doc
	where := p.Method + " " + p.Path
	l, _ := h.app.Bundle.Lookup(lang)

	root := mustQuery(t, doc, "html")
	if got := attrOr(root, "lang"); got != lang {
		t.Errorf("%s: <html lang=%q>, want %q", where, got, lang)
	}
	if got := attrOr(root, "dir"); got != l.Dir() {
		t.Errorf("%s: <html dir=%q>, want %q", where, got, l.Dir())
	}
	if got := p.Header.Get("Content-Language"); got != lang {
		t.Errorf("%s: Content-Language %q, want %q", where, got, lang)
	}

	if h1s := queryAll(t, doc, "h1"); len(h1s) != 1 {
		t.Errorf("%s: %d <h1> elements, want exactly 1", where, len(h1s))
	} else if text(h1s[0]) == "" {
		t.Errorf("%s: empty <h1>", where)
	}
	title := text(query(t, doc, "head title"))
	if title == "" || strings.Contains(title, "[") {
		t.Errorf("%s: bad <title> %q", where, title)
	}
	if m := h.missingMessage().FindAllString(p.Body, -1); len(m) > 0 {
		t.Errorf("%s: missing messages rendered: %v", where, m)
	}

	// Skip link: the first link of the body, to #inhoud, which exists once.
	first := query(t, doc, "body a")
	if first == nil || attrOr(first, "href") != "#inhoud" {
		t.Errorf("%s: the first link is not the skip link to #inhoud", where)
	}
	if n := countID(doc, "inhoud"); n != 1 {
		t.Errorf("%s: %d elements with id=inhoud, want 1", where, n)
	} else if byID(doc, "inhoud").Data != "main" {
		t.Errorf("%s: #inhoud is <%s>, want <main>", where, byID(doc, "inhoud").Data)
	}

	// Language switcher and hreflang alternates: every language, each named in itself.
	for _, lg := range h.app.Bundle.Languages() {
		a := query(t, doc, fmt.Sprintf(`.lang-switch nav a[hreflang=%s]`, lg.Code))
		if a == nil {
			t.Errorf("%s: the language switcher has no link to %s", where, lg.Code)
		} else {
			if href := attrOr(a, "href"); href != "/"+lg.Code && !strings.HasPrefix(href, "/"+lg.Code+"/") {
				t.Errorf("%s: switcher link to %s has href %q", where, lg.Code, href)
			}
			if attrOr(a, "lang") != lg.Code || text(a) != lg.Name {
				t.Errorf("%s: switcher link to %s reads %q (lang=%q), want %q in its own language", where, lg.Code, text(a), attrOr(a, "lang"), lg.Name)
			}
		}
		alt := query(t, doc, fmt.Sprintf(`head link[rel=alternate][hreflang=%s]`, lg.Code))
		if alt == nil {
			t.Errorf("%s: no hreflang alternate for %s", where, lg.Code)
		} else if href := pathOf(attrOr(alt, "href")); href != "/"+lg.Code && !strings.HasPrefix(href, "/"+lg.Code+"/") {
			t.Errorf("%s: hreflang alternate for %s has href %q", where, lg.Code, attrOr(alt, "href"))
		}
	}

	// Every visible form control has a label, or sits in a fieldset with a legend.
	for _, tag := range []string{"input", "select", "textarea"} {
		for _, in := range queryAll(t, doc, tag) {
			typ := attrOr(in, "type")
			if typ == "hidden" || typ == "submit" || typ == "button" {
				continue
			}
			id := attrOr(in, "id")
			labelled := id != "" && query(t, doc, fmt.Sprintf(`label[for=%s]`, id)) != nil
			if !labelled {
				if fs := ancestor(in, "fieldset"); fs != nil && child(fs, "legend") != nil {
					labelled = true
				}
			}
			if !labelled {
				t.Errorf("%s: <%s name=%q id=%q> has no label and no fieldset legend", where, tag, attrOr(in, "name"), id)
			}
		}
	}
	// Every form that changes state carries the CSRF token; no browser validation.
	for _, f := range queryAll(t, doc, "form") {
		if strings.EqualFold(attrOr(f, "method"), "post") && query(t, f, `input[type=hidden][name=_csrf]`) == nil {
			t.Errorf("%s: POST form to %s has no CSRF field", where, attrOr(f, "action"))
		}
	}

	// ids are unique; aria references and in-page links resolve.
	ids := map[string]int{}
	walk(doc, func(n *html.Node) {
		if id, ok := attr(n, "id"); ok && n.Type == html.ElementNode {
			ids[id]++
		}
	})
	for id, n := range ids {
		if n > 1 {
			t.Errorf("%s: id %q used %d times", where, id, n)
		}
	}
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		for _, a := range []string{"aria-describedby", "aria-labelledby"} {
			for _, ref := range strings.Fields(attrOr(n, a)) {
				if ids[ref] == 0 {
					t.Errorf("%s: <%s %s=%q> refers to a missing id %q", where, n.Data, a, attrOr(n, a), ref)
				}
			}
		}
		if n.Data == "a" {
			if href := attrOr(n, "href"); strings.HasPrefix(href, "#") && ids[href[1:]] == 0 {
				t.Errorf("%s: link to %q, but no such id", where, href)
			}
		}
		// The CSP has no 'unsafe-inline': inline styles and scripts would be blocked.
		if _, ok := attr(n, "style"); ok {
			t.Errorf("%s: <%s> has an inline style attribute", where, n.Data)
		}
		if n.Data == "script" && attrOr(n, "src") == "" {
			t.Errorf("%s: inline <script>", where)
		}
	})
}

// pathOf returns the path of an absolute or relative URL (canonical and alternate links are absolute).
func pathOf(href string) string {
	u, err := url.Parse(href)
	if err != nil {
		return href
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}

// noBSNInURLs asserts that no link, form action or resource URL of p, and no Location header,
// carries a BSN.
func noBSNInURLs(t testing.TB, p *page) {
	t.Helper()
	for who, bsn := range personaBSN {
		if strings.Contains(p.location(), bsn) || strings.Contains(p.Path, bsn) {
			t.Errorf("%s %s: the BSN of %s is in a URL (Location %q)", p.Method, p.Path, who, p.location())
		}
		if p.Doc == nil {
			continue
		}
		walk(p.Doc, func(n *html.Node) {
			for _, a := range []string{"href", "action", "src", "formaction"} {
				if v, ok := attr(n, a); ok && strings.Contains(v, bsn) {
					t.Errorf("%s %s: <%s %s=%q> carries the BSN of %s", p.Method, p.Path, n.Data, a, v, who)
				}
			}
		})
	}
}

// ---------------------------------------------------------------------------------------------
// 1. Every page, in every language

// firstMessageID returns the id of persona's newest message, read from the inbox.
func firstMessageID(t testing.TB, b *testenv.Browser, lang string) string {
	t.Helper()
	p := get(t, b, "/"+lang+"/mijn/berichten")
	wantStatus(t, p, http.StatusOK)
	a := query(t, p.Doc, `ul.inbox a`)
	if a == nil {
		t.Fatalf("empty inbox:\n%s", p.main(t))
	}
	return strings.TrimPrefix(attrOr(a, "href"), "/"+lang+"/mijn/berichten/")
}

func TestEveryPageInEveryLanguage(t *testing.T) {
	h := newHarness(t)
	anon := h.browser()
	user := h.login("nl", "ahmad") // the persona with messages
	staff := h.login("nl", portal.StaffPersona)
	msgID := firstMessageID(t, user, "nl")

	pages := []struct {
		name   string
		who    *testenv.Browser
		path   string // %s is the language
		status int
	}{
		{"home", anon, "/%s", http.StatusOK},
		{"home logged in", user, "/%s", http.StatusOK},
		{"toegankelijkheid", anon, "/%s/toegankelijkheid", http.StatusOK},
		{"inloggen", anon, "/%s/inloggen", http.StatusOK},
		{"inloggen verlopen", anon, "/%s/inloggen?verlopen=1", http.StatusOK},
		{"mijn", user, "/%s/mijn", http.StatusOK},
		{"termijn", user, "/%s/mijn/termijn", http.StatusOK},
		{"lening", user, "/%s/mijn/lening", http.StatusOK},
		{"pip", user, "/%s/mijn/pip", http.StatusOK},
		{"berichten", user, "/%s/mijn/berichten", http.StatusOK},
		{"bericht", user, "/%s/mijn/berichten/" + msgID, http.StatusOK},
		{"medewerker", staff, "/%s/medewerker", http.StatusOK},
		{"404 anonymous", anon, "/%s/bestaat-niet", http.StatusNotFound},
		{"404 logged in", user, "/%s/mijn/berichten/999999", http.StatusNotFound},
		{"403 inburgeraar at staff page", user, "/%s/medewerker", http.StatusForbidden},
	}
	for _, l := range h.app.Bundle.Languages() {
		lang := l.Code
		for _, pg := range pages {
			t.Run(lang+"/"+pg.name, func(t *testing.T) {
				p := get(t, pg.who, fmt.Sprintf(pg.path, lang))
				wantStatus(t, p, pg.status)
				h.checkPage(t, p, lang)
				if pg.status >= 400 {
					h1 := text(mustQuery(t, p.Doc, "h1"))
					if want := h.msg(lang, fmt.Sprintf("error.heading.%d", pg.status)); h1 != want {
						t.Errorf("error page h1 %q, want %q", h1, want)
					}
				}
			})
		}
	}
}

// TestMijnPagesForEveryPersona renders each of an inburgeraar's pages for every seeded persona in
// every language: every state of term, loan and PIP must have its messages.
func TestMijnPagesForEveryPersona(t *testing.T) {
	h := newHarness(t)
	personas := make([]string, 0, len(personaBSN))
	for k := range personaBSN {
		personas = append(personas, k)
	}
	sort.Strings(personas)
	for _, who := range personas {
		t.Run(who, func(t *testing.T) {
			b := h.login("nl", who)
			for _, lang := range h.languages() {
				for _, path := range []string{"/mijn", "/mijn/termijn", "/mijn/lening", "/mijn/pip", "/mijn/berichten"} {
					p := get(t, b, "/"+lang+path)
					wantStatus(t, p, http.StatusOK)
					h.checkPage(t, p, lang)
					wantText(t, lang+path, text(mustQuery(t, p.Doc, ".main-nav .who")), h.personaName(t, who))
				}
			}
		})
	}
}

func (h *harness) personaName(t testing.TB, key string) string {
	t.Helper()
	i, err := h.app.Service.PersonaLogin(context.Background(), key)
	if err != nil {
		t.Fatalf("persona %s: %v", key, err)
	}
	return i.Name
}

// TestLanguageSwitcherLinksResolve follows every language switcher link and hreflang alternate,
// also on pages that answer a POST: none may lead to a 404 or 405.
func TestLanguageSwitcherLinksResolve(t *testing.T) {
	h := newHarness(t)
	user := h.login("nl", "ahmad")
	staff := h.login("nl", portal.StaffPersona)
	anon := h.browser()

	var pages []*page
	for _, path := range []string{"/nl", "/nl/toegankelijkheid", "/nl/inloggen", "/nl/mijn", "/nl/mijn/termijn",
		"/nl/mijn/lening", "/nl/mijn/pip", "/nl/mijn/berichten", "/nl/mijn/berichten/" + firstMessageID(t, user, "nl")} {
		pages = append(pages, get(t, user, path))
	}
	pages = append(pages, get(t, staff, "/nl/medewerker"))
	pages = append(pages, post(t, staff, "/nl/medewerker/opzoeken", url.Values{"_csrf": {csrf(staff, "/nl/medewerker")}, "bsn": {personaBSN["yusuf"]}}))
	pages = append(pages, post(t, staff, "/nl/medewerker/opzoeken", url.Values{"_csrf": {csrf(staff, "/nl/medewerker")}, "bsn": {"12"}}))
	pages = append(pages, post(t, anon, "/nl/inloggen/demo", url.Values{"_csrf": {csrf(anon, "/nl/inloggen")}}))
	pages = append(pages, get(t, anon, "/nl/bestaat-niet"))

	for _, p := range pages {
		who := user
		switch {
		case strings.Contains(p.Path, "medewerker"):
			who = staff
		case strings.Contains(p.Path, "inloggen/demo") || strings.Contains(p.Path, "bestaat-niet"):
			who = anon
		}
		var hrefs []string
		for _, a := range queryAll(t, p.Doc, ".lang-switch nav a") {
			hrefs = append(hrefs, attrOr(a, "href"))
		}
		for _, l := range queryAll(t, p.Doc, "head link[rel=alternate]") {
			hrefs = append(hrefs, pathOf(attrOr(l, "href")))
		}
		for _, href := range hrefs {
			if strings.HasPrefix(href, "/nl") { // switching to the page's own language again is not interesting
				continue
			}
			q := get(t, who, href)
			if q.Status != http.StatusOK {
				t.Errorf("%s %s: language link %s → %d", p.Method, p.Path, href, q.Status)
			}
			// Following the switcher sets the language; go back to Dutch for the next page.
			get(t, who, "/nl")
		}
	}
}

// ---------------------------------------------------------------------------------------------
// 2. Figures

func TestFigures(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		persona, lang, path string
		want                []string
		notWant             []string
	}{
		// Yusuf: Wet inburgering 2013, extended 24 months for literacy and 24 for illness (fixed
		// decisions): end 30 September 2028, 671 days left, € 9.650 of € 10.000 used: the high-use
		// warning, € 350 left; repayment € 9.650 / 120 = € 80,42 a month.
		{"yusuf", "nl", "/mijn", []string{"30 september 2028", "Nog 671 dagen.", "€ 350,00", "€ 9.650,00", "€ 10.000,00", h.msg("nl", "loan.warning.hoog_gebruik", "High", "€ 9.500,00")}, nil},
		{"yusuf", "en", "/mijn", []string{"30 September 2028", "671 days left.", "€350.00", "€9,650.00", h.msg("en", "loan.warning.hoog_gebruik", "High", "€9,500.00")}, []string{"€ 350,00"}},
		{"yusuf", "nl", "/mijn/termijn", []string{"Wet inburgering 2013", "1 oktober 2021", "30 september 2024", "48 maanden", "30 september 2028", "671 dagen", "24 juni 2028", "VL-2024-0193", "VL-2026-0311"}, nil},
		{"yusuf", "en", "/mijn/termijn", []string{"Civic Integration Act 2013", "30 September 2028", "671 days"}, nil},
		{"yusuf", "nl", "/mijn/lening", []string{"€ 350,00", h.msg("nl", "loan.warning.hoog_gebruik", "High", "€ 9.500,00"), "Taalcentrum Rijnmond", "€ 1.950,00", h.msg("nl", "loan.borrowing_open"), h.msg("nl", "loan.monthly"), "€ 80,42"}, nil},
		// Ahmad: the Wi2013 fine from his data (180 keurmerk hours, every part attempted once): € 625,
		// above € 340 so a hearing; no more borrowing after the term.
		{"ahmad", "nl", "/mijn/termijn", []string{h.msg("nl", "fine.title"), "€ 625,00", h.msg("nl", "fine.hearing")}, []string{"1.250"}},
		{"ahmad", "en", "/mijn/termijn", []string{"€625.00", h.msg("en", "fine.hearing")}, nil},
		{"ahmad", "nl", "/mijn/lening", []string{h.msg("nl", "loan.borrowing_closed"), "€ 42,50"}, []string{h.msg("nl", "loan.borrowing_open")}},
		// Goran (Wi2007): the end date is the one the gemeente set, shown as theirs.
		{"goran", "nl", "/mijn/termijn", []string{"30 april 2016", h.msg("nl", "term.set_by_gemeente")}, []string{h.msg("nl", "term.base_end"), "2014"}},
		// Amal: the PIP came 20 days late, and that stays visible; speaking is exempted, the rest stays.
		{"amal", "nl", "/mijn/pip", []string{"De gemeente maakte het PIP 20 dagen na de uiterste datum."}, nil},
		{"amal", "en", "/mijn", []string{"The municipality made the PIP 20 days after the deadline."}, nil},
		{"amal", "nl", "/mijn/termijn", []string{h.msg("nl", "term.partial_exemption"), h.msg("nl", "component.spreken")}, nil},
		// Lina's gemeente pays: no maximum or balance.
		{"lina", "nl", "/mijn/lening", []string{h.msg("nl", "loan.not_applicable.gemeente")}, []string{"€ 10.000,00"}},
		// Dawit (Wi2021 loan): DUO decides on repayment, no invented figure.
		{"dawit", "nl", "/mijn/lening", []string{h.msg("nl", "loan.duo_decides")}, []string{h.msg("nl", "loan.monthly")}},
		// Farah is exempt: no part of her plan reads as open.
		{"farah", "nl", "/mijn/pip", []string{h.msg("nl", "component_status.ontheffing")}, []string{h.msg("nl", "component_status.open")}},
		{"yusuf", "en", "/mijn/lening", []string{"€350.00", "€1,950.00"}, nil},
		{"yusuf", "nl", "/mijn/pip", []string{h.msg("nl", "pip.not_applicable.wi2013")}, nil},
		// Samira: Wet inburgering 2021, no PIP, the municipality is 28 days late and must act.
		{"samira", "nl", "/mijn", []string{h.msg("nl", "pip.not_set"), "1 november 2026", "De gemeente is 28 dagen over de uiterste datum.", h.msg("nl", "pip.responsible.gemeente"), h.msg("nl", "term.state.niet_gestart")}, nil},
		{"samira", "en", "/mijn/pip", []string{h.msg("en", "pip.not_set"), "1 November 2026", "28 days past the deadline", h.msg("en", "pip.responsible.gemeente")}, nil},
		{"samira", "nl", "/mijn/lening", []string{h.msg("nl", "loan.not_applicable.self")}, nil},
		// Ahmad: term over, two unread messages.
		{"ahmad", "nl", "/mijn", []string{h.msg("nl", "term.state.verlopen"), "14 april 2022", h.msg("nl", "term.next.verlopen"), "U hebt 2 nieuwe berichten."}, []string{"Nog "}},
		{"ahmad", "en", "/mijn", []string{h.msg("en", "term.state.verlopen"), "14 April 2022", "You have 2 new messages."}, nil},
		// Lina: obligation met.
		{"lina", "nl", "/mijn", []string{h.msg("nl", "term.state.voldaan"), h.msg("nl", "term.next.voldaan"), h.msg("nl", "pip.set")}, []string{"Nog "}},
		{"lina", "nl", "/mijn/termijn", []string{h.msg("nl", "term.state.voldaan")}, []string{h.msg("nl", "term.days_left_label"), h.msg("nl", "term.last_safe")}},
		{"lina", "en", "/mijn/termijn", []string{h.msg("en", "term.state.voldaan")}, []string{h.msg("en", "term.days_left_label")}},
		{"ahmad", "nl", "/mijn/termijn", []string{h.msg("nl", "term.state.verlopen"), "14 april 2022"}, []string{h.msg("nl", "term.last_safe")}},
		// Farah: exempted.
		{"farah", "nl", "/mijn", []string{h.msg("nl", "term.state.ontheffing"), h.msg("nl", "term.next.ontheffing")}, []string{"Nog "}},
		{"farah", "nl", "/mijn/termijn", []string{h.msg("nl", "term.state.ontheffing")}, []string{h.msg("nl", "term.days_left_label"), h.msg("nl", "term.last_safe")}},
		{"farah", "en", "/mijn", []string{h.msg("en", "term.state.ontheffing")}, nil},
		// Dawit: Z-route with 310 of 800 course hours.
		{"dawit", "nl", "/mijn/pip", []string{h.msg("nl", "pip.route.z_route"), "Amersfoort", "310 van 800"}, nil},
		{"dawit", "en", "/mijn/pip", []string{h.msg("en", "pip.route.z_route"), "310 of 800"}, nil},
	}
	browsers := map[string]*testenv.Browser{}
	for _, tc := range tests {
		t.Run(tc.persona+"/"+tc.lang+tc.path, func(t *testing.T) {
			b := browsers[tc.persona]
			if b == nil {
				b = h.login("nl", tc.persona)
				browsers[tc.persona] = b
			}
			p := get(t, b, "/"+tc.lang+tc.path)
			wantStatus(t, p, http.StatusOK)
			main := p.main(t)
			wantText(t, p.Path, main, tc.want...)
			wantNoText(t, p.Path, main, tc.notWant...)
		})
	}

	t.Run("dawit components table", func(t *testing.T) {
		b := h.login("en", "dawit")
		p := get(t, b, "/nl/mijn/pip")
		wantStatus(t, p, http.StatusOK)
		table := mustQuery(t, p.Doc, "main table")
		if query(t, table, "caption") == nil || len(queryAll(t, table, "thead th[scope=col]")) != 3 {
			t.Errorf("components table needs a caption and three column headers")
		}
		var found bool
		for _, tr := range queryAll(t, table, "tbody tr") {
			cells := queryAll(t, tr, "td")
			if len(cells) == 3 && text(cells[0]) == h.msg("nl", "component.cursusuren") {
				found = true
				if got := text(cells[1]); got != h.msg("nl", "component_status.bezig") {
					t.Errorf("status of course hours %q", got)
				}
				if got := text(cells[2]); got != "310 van 800" {
					t.Errorf("hours %q, want 310 van 800", got)
				}
			}
		}
		if !found {
			t.Errorf("no row for course hours in:\n%s", text(table))
		}
	})
}

// TestMessages opens the fine pre-announcement from the inbox: it shows the amount and is marked
// read; "mark unread" restores it. Opened by a link from another site (or a browser that does not
// say where it comes from) it is shown but stays unread, with a "mark as read" form. Another
// person's message is not found, and does not change.
func TestMessages(t *testing.T) {
	h := newHarness(t)
	b := h.login("nl", "ahmad")

	unread := func(lang string) string {
		p := get(t, b, "/"+lang+"/mijn")
		wantStatus(t, p, http.StatusOK)
		return text(mustQuery(t, p.Doc, "#card-inbox").Parent)
	}
	wantText(t, "overview", unread("nl"), "U hebt 2 nieuwe berichten.")

	inbox := get(t, b, "/nl/mijn/berichten")
	wantStatus(t, inbox, http.StatusOK)
	if n := len(queryAll(t, inbox.Doc, "ul.inbox li.unread")); n != 2 {
		t.Fatalf("%d unread items, want 2", n)
	}
	var href string
	for _, a := range queryAll(t, inbox.Doc, "ul.inbox a") {
		if strings.Contains(text(a), h.msg("nl", "bericht.boete_vooraankondiging.onderwerp")) {
			href = attrOr(a, "href")
			wantText(t, "unread item", text(a), h.msg("nl", "inbox.unread_label"))
		}
	}
	if href == "" {
		t.Fatalf("no fine pre-announcement in the inbox:\n%s", inbox.main(t))
	}

	// A GET never writes: opened from this site, another site or without Sec-Fetch-Site, it
	// changes nothing.
	for _, site := range []string{"same-origin", "none", "cross-site", "same-site", ""} {
		req := httptest.NewRequest(http.MethodGet, href, nil)
		if site != "" {
			req.Header.Set("Sec-Fetch-Site", site)
		}
		p := do(t, b, req)
		wantStatus(t, p, http.StatusOK)
		h.checkPage(t, p, "nl")
		wantText(t, href+" opened "+site, p.main(t), "€ 625,00", h.msg("nl", "inbox.mark_read"))
		wantText(t, "overview after a "+site+" GET", unread("nl"), "U hebt 2 nieuwe berichten.")
	}
	// The explicit action marks it read.
	p0 := do(t, b, httptest.NewRequest(http.MethodGet, href, nil))
	form0 := mustQuery(t, p0.Doc, "main form[method=post]")
	if got, want := attrOr(form0, "action"), href+"/gelezen"; got != want {
		t.Fatalf("unread letter's form posts to %q, want %q", got, want)
	}
	wantRedirect(t, post(t, b, href+"/gelezen", url.Values{"_csrf": {attrOr(mustQuery(t, form0, "input[name=_csrf]"), "value")}}), "/nl/mijn/berichten")
	wantText(t, "overview after mark read", unread("nl"), "U hebt 1 nieuw bericht.")
	wantRedirect(t, post(t, b, href+"/ongelezen", url.Values{"_csrf": {csrf(b, "/nl/mijn")}}), "/nl/mijn/berichten")

	letter := navigate(t, b, href)
	wantStatus(t, letter, http.StatusOK)
	h.checkPage(t, letter, "nl")
	if got := text(mustQuery(t, letter.Doc, "h1")); got != h.msg("nl", "bericht.boete_vooraankondiging.onderwerp") {
		t.Errorf("h1 %q", got)
	}
	wantText(t, href, letter.main(t), "€ 625,00", "BV-2026-1187", "13 december 2026") // from the fine rules
	wantText(t, "overview after reading (a GET)", unread("nl"), "U hebt 2 nieuwe berichten.")

	letterEN := navigate(t, b, strings.Replace(href, "/nl/", "/en/", 1))
	wantStatus(t, letterEN, http.StatusOK)
	wantText(t, "English letter", letterEN.main(t), "€625.00", "13 December 2026")
	wantText(t, "English overview", unread("en"), "You have 2 new messages.")

	// The letter's own form marks it read.
	readForm := mustQuery(t, letter.Doc, "main form[method=post]")
	wantRedirect(t, post(t, b, attrOr(readForm, "action"), url.Values{"_csrf": {attrOr(mustQuery(t, readForm, "input[name=_csrf]"), "value")}}), "/nl/mijn/berichten")
	letter = navigate(t, b, href)

	inbox = get(t, b, "/nl/mijn/berichten")
	if n := len(queryAll(t, inbox.Doc, "ul.inbox li.unread")); n != 1 {
		t.Errorf("%d unread items after reading, want 1", n)
	}

	// The "mark unread" form of the letter page.
	form := mustQuery(t, letter.Doc, "main form[method=post]")
	action := attrOr(form, "action")
	token := attrOr(mustQuery(t, form, "input[name=_csrf]"), "value")
	res := post(t, b, action, url.Values{"_csrf": {token}})
	wantRedirect(t, res, "/nl/mijn/berichten")
	wantText(t, "overview after mark unread", unread("nl"), "U hebt 2 nieuwe berichten.")

	// Someone else's message: 404, and nothing changes.
	other := h.login("nl", "yusuf")
	p := navigate(t, other, href)
	wantStatus(t, p, http.StatusNotFound)
	h.checkPage(t, p, "nl")
	wantText(t, "other's message", p.main(t), h.msg("nl", "error.bericht_not_found"))
	p = post(t, other, action, url.Values{"_csrf": {csrf(other, "/nl/mijn")}})
	wantStatus(t, p, http.StatusNotFound)
	b2 := navigate(t, b, href) // Ahmad reads it again; still his
	wantStatus(t, b2, http.StatusOK)
}

// TestLanguageChoiceIsKept stores the language chosen in the URL in a cookie; a GET never changes
// the profile. The profile's language changes by the explicit form on the overview only.
func TestLanguageChoiceIsKept(t *testing.T) {
	h := newHarness(t)
	profile := func(persona string) string {
		t.Helper()
		i, err := h.app.Service.PersonaLogin(context.Background(), persona)
		if err != nil {
			t.Fatal(err)
		}
		return i.PreferredLanguage
	}
	b := h.login("nl", "yusuf")
	before := profile("yusuf")
	if before == "en" {
		t.Fatal("pick a persona whose profile is not English")
	}
	overview := get(t, b, "/en/mijn")
	wantStatus(t, overview, http.StatusOK)
	if ck := b.Cookies[portal.LangCookie]; ck == nil || ck.Value != "en" {
		t.Errorf("language cookie %v, want en", ck)
	}
	for _, path := range []string{"/en/mijn", "/ar/mijn/termijn", "/fr", "/en/mijn/berichten"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		wantStatus(t, do(t, b, req), http.StatusOK)
		wantStatus(t, get(t, b, path), http.StatusOK)
		if got := profile("yusuf"); got != before {
			t.Fatalf("GET %s changed the profile language from %q to %q", path, before, got)
		}
	}
	wantRedirect(t, get(t, b, "/"), "/en") // the last language chosen in this browser

	// The explicit form, shown while the page's language differs from the profile's.
	overview = get(t, b, "/en/mijn")
	form := mustQuery(t, overview.Doc, "main form.make-language")
	if got := attrOr(form, "action"); got != "/en/mijn/taal" {
		t.Fatalf("language form posts to %q", got)
	}
	wantText(t, "language form", text(form), h.msg("en", "profile.make_language"))
	wantRedirect(t, post(t, b, "/en/mijn/taal", url.Values{"_csrf": {attrOr(mustQuery(t, form, "input[name=_csrf]"), "value")}}), "/en/mijn")
	if got := profile("yusuf"); got != "en" {
		t.Errorf("preferred language %q after the form, want en", got)
	}
	if query(t, get(t, b, "/en/mijn").Doc, "main form.make-language") != nil {
		t.Error("the language form is still shown when the profile has the page's language")
	}
	// Without its token the form changes nothing.
	wantStatus(t, post(t, b, "/fr/mijn/taal", url.Values{}), http.StatusForbidden)
	if got := profile("yusuf"); got != "en" {
		t.Errorf("a refused form changed the profile to %q", got)
	}

	// On another device (no language cookie, a Dutch browser) "/" still leads to the profile's language.
	other := h.login("nl", "amal") // amal's profile says Arabic
	delete(other.Cookies, portal.LangCookie)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Language", "nl-NL")
	res := other.Do(req)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/ar" {
		t.Errorf("logged-in root: %d → %q, want 303 → /ar (the profile's language)", res.StatusCode, loc)
	}
}

// ---------------------------------------------------------------------------------------------
// 3. Login, sessions, CSRF

func TestDemoLoginErrors(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name    string
		persona []string // nil: no field at all
	}{
		{"no persona", nil},
		{"empty persona", []string{""}},
		{"unknown persona", []string{"nobody"}},
		{"overlong persona", []string{strings.Repeat("x", 500)}},
		{"persona with markup", []string{`"><script>alert(1)</script>`}},
	}
	for _, lang := range []string{"nl", "en"} {
		for _, tc := range tests {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				b := h.browser()
				form := url.Values{"_csrf": {csrf(b, "/"+lang+"/inloggen")}}
				if tc.persona != nil {
					form["persona"] = tc.persona
				}
				p := post(t, b, "/"+lang+"/inloggen/demo", form)
				wantStatus(t, p, http.StatusBadRequest)
				h.checkPage(t, p, lang)
				if _, ok := b.Cookies[portal.SessionCookie]; ok {
					t.Errorf("a failed login set a session cookie")
				}

				title := text(mustQuery(t, p.Doc, "title"))
				if prefix := h.msg(lang, "error.prefix"); !strings.HasPrefix(title, prefix+" ") {
					t.Errorf("title %q does not start with %q", title, prefix)
				}
				sum := mustQuery(t, p.Doc, `.error-summary[role=alert]`)
				wantText(t, "summary", text(sum), h.msg(lang, "error.summary_title"), h.msg(lang, "error.persona_choose"))
				links := queryAll(t, sum, `a`)
				if len(links) != 1 {
					t.Fatalf("%d links in the error summary, want 1", len(links))
				}
				target := strings.TrimPrefix(attrOr(links[0], "href"), "#")
				if !strings.HasPrefix(target, "persona-") {
					t.Errorf("summary links to %q, want #persona-…", target)
				}
				if in := byID(p.Doc, target); in == nil || in.Data != "input" || attrOr(in, "name") != "persona" {
					t.Errorf("summary link #%s does not point at a persona input", target)
				}

				fs := mustQuery(t, p.Doc, "main form fieldset")
				describedBy := strings.Fields(attrOr(fs, "aria-describedby"))
				if len(describedBy) == 0 {
					t.Fatalf("fieldset has no aria-describedby")
				}
				var inline bool
				for _, id := range describedBy {
					if e := byID(p.Doc, id); e != nil && hasClass(e, "error-message") {
						inline = true
						wantText(t, "inline error", text(e), h.msg(lang, "error.persona_choose"))
					}
				}
				if !inline {
					t.Errorf("fieldset aria-describedby=%v does not name the inline error", describedBy)
				}
				if strings.Contains(p.Body, "<script>alert") {
					t.Errorf("the persona value is echoed unescaped")
				}
				if _, ok := attr(mustQuery(t, p.Doc, "main form"), "novalidate"); !ok {
					t.Errorf("the login form must have novalidate")
				}
			})
		}
	}
}

func TestSessionRotation(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	// A session ID planted before login (fixation) is never adopted.
	planted := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	b.Cookies[portal.SessionCookie] = &http.Cookie{Name: portal.SessionCookie, Value: planted}
	b.LoginPersona("nl", "yusuf")
	first := b.Cookies[portal.SessionCookie]
	if first == nil || first.Value == planted || len(first.Value) < 40 {
		t.Fatalf("no fresh session cookie after login: %v", first)
	}
	if !first.HttpOnly || first.SameSite != http.SameSiteLaxMode || first.Path != "/" { // Secure: TestCookiesFollowBaseURL
		t.Errorf("session cookie attributes: %+v", first)
	}
	wantStatus(t, get(t, b, "/nl/mijn"), http.StatusOK)

	// Logging in again (as someone else) rotates the ID and ends the old session.
	b.LoginPersona("nl", "ahmad")
	second := b.Cookies[portal.SessionCookie]
	if second == nil || second.Value == first.Value {
		t.Fatalf("session ID not rotated at login: %v", second)
	}
	p := get(t, b, "/nl/mijn")
	wantStatus(t, p, http.StatusOK)
	wantText(t, "after second login", p.main(t), "Ahmad Karimi")

	old := h.browser()
	old.Cookies[portal.SessionCookie] = &http.Cookie{Name: portal.SessionCookie, Value: first.Value}
	p = get(t, old, "/nl/mijn")
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/nl/inloggen") {
		t.Errorf("the old session still works: %d %s", p.Status, p.location())
	}
}

func TestLogout(t *testing.T) {
	h := newHarness(t)
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			b := h.login(lang, "yusuf")
			sess := b.Cookies[portal.SessionCookie].Value
			mine := get(t, b, "/"+lang+"/mijn")
			form := mustQuery(t, mine.Doc, "form.logout")
			action := attrOr(form, "action")
			if action != "/"+lang+"/uitloggen" || !strings.EqualFold(attrOr(form, "method"), "post") {
				t.Fatalf("logout form: %s %s", attrOr(form, "method"), action)
			}
			token := attrOr(mustQuery(t, form, "input[name=_csrf]"), "value")

			p := post(t, b, action, url.Values{"_csrf": {token}})
			wantRedirect(t, p, "/"+lang+"?uitgelogd=1")
			if _, ok := b.Cookies[portal.SessionCookie]; ok {
				t.Errorf("session cookie not cleared at logout")
			}
			home := get(t, b, p.location())
			wantStatus(t, home, http.StatusOK)
			h.checkPage(t, home, lang)
			wantText(t, "home after logout", text(mustQuery(t, home.Doc, "main [role=status]")), h.msg(lang, "home.logged_out"))
			if query(t, home.Doc, "form.logout") != nil {
				t.Errorf("still shown as logged in after logout")
			}

			// The old cookie no longer opens anything.
			old := h.browser()
			old.Cookies[portal.SessionCookie] = &http.Cookie{Name: portal.SessionCookie, Value: sess}
			p = get(t, old, "/"+lang+"/mijn")
			if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/"+lang+"/inloggen") {
				t.Errorf("old session after logout: %d %q, want 303 to /%s/inloggen", p.Status, p.location(), lang)
			}
		})
	}
}

// TestCSRF posts every state-changing form without a token, with a wrong one and cross-site: 403,
// a translated page, and nothing changes.
func TestCSRF(t *testing.T) {
	h := newHarness(t)
	user := h.login("nl", "ahmad")
	msgID := firstMessageID(t, user, "nl")
	wantRedirect(t, post(t, user, "/nl/mijn/berichten/"+msgID+"/gelezen", url.Values{"_csrf": {csrf(user, "/nl/mijn")}}), "/nl/mijn/berichten") // read it, so "mark unread" would change something
	unreadBefore := text(mustQuery(t, get(t, user, "/nl/mijn").Doc, "#card-inbox").Parent)

	forms := []struct {
		name string
		path string // %s is the language
		form url.Values
	}{
		{"logout", "/%s/uitloggen", url.Values{}},
		{"mark unread", "/%s/mijn/berichten/" + msgID + "/ongelezen", url.Values{}},
		{"mark read", "/%s/mijn/berichten/" + msgID + "/gelezen", url.Values{}},
		{"make language", "/%s/mijn/taal", url.Values{}},
		{"demo login", "/%s/inloggen/demo", url.Values{"persona": {"yusuf"}}},
	}
	tokens := []struct {
		name   string
		token  []string
		header map[string]string
	}{
		{"no token", nil, nil},
		{"empty token", []string{""}, nil},
		{"wrong token", []string{"forged-token-forged-token-forged"}, nil},
		{"cross-site with valid token", []string{"VALID"}, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}},
	}
	for _, lang := range []string{"nl", "en"} {
		for _, f := range forms {
			for _, tk := range tokens {
				t.Run(lang+"/"+f.name+"/"+tk.name, func(t *testing.T) {
					form := url.Values{}
					for k, v := range f.form {
						form[k] = v
					}
					for _, v := range tk.token {
						if v == "VALID" {
							v = csrf(user, "/"+lang+"/mijn")
						}
						form.Add("_csrf", v)
					}
					req := httptest.NewRequest(http.MethodPost, fmt.Sprintf(f.path, lang), strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					for k, v := range tk.header {
						req.Header.Set(k, v)
					}
					sessBefore := user.Cookies[portal.SessionCookie].Value
					p := do(t, user, req)
					wantStatus(t, p, http.StatusForbidden)
					h.checkPage(t, p, lang)
					if got, want := text(mustQuery(t, p.Doc, "h1")), h.msg(lang, "error.heading.403"); got != want {
						t.Errorf("h1 %q, want %q", got, want)
					}
					if tk.header == nil { // a stale or forged form gets the form-expired explanation
						wantText(t, "403 page", p.main(t), h.msg(lang, "error.csrf"))
					}
					// Nothing changed: same session, still logged in as Ahmad, message still read.
					if ck := user.Cookies[portal.SessionCookie]; ck == nil || ck.Value != sessBefore {
						t.Fatalf("session changed by a rejected POST")
					}
					mine := get(t, user, "/nl/mijn")
					wantStatus(t, mine, http.StatusOK)
					wantText(t, "overview", mine.main(t), "Ahmad Karimi")
					if got := text(mustQuery(t, mine.Doc, "#card-inbox").Parent); got != unreadBefore {
						t.Errorf("inbox changed by a rejected POST: %q, was %q", got, unreadBefore)
					}
				})
			}
		}
	}
}

func TestSessionIdleTimeout(t *testing.T) {
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			b := h.login(lang, "yusuf")
			sess := b.Cookies[portal.SessionCookie].Value
			h.clock.Advance(14 * time.Minute)
			wantStatus(t, get(t, b, "/"+lang+"/mijn"), http.StatusOK) // still within 15 minutes; refreshes
			h.clock.Advance(16 * time.Minute)
			p := get(t, b, "/"+lang+"/mijn")
			wantRedirect(t, p, "/"+lang+"/inloggen?terug=%2Fmijn&verlopen=1")
			if _, ok := b.Cookies[portal.SessionCookie]; ok {
				t.Errorf("expired session cookie not cleared")
			}
			login := get(t, b, p.location())
			wantStatus(t, login, http.StatusOK)
			h.checkPage(t, login, lang)
			wantText(t, "login page", text(mustQuery(t, login.Doc, "main [role=status]")), h.msg(lang, "login.expired"))
			// The session is gone for good: a copy of the cookie does not work even if the clock
			// were turned back.
			h.clock.Advance(-16 * time.Minute)
			replay := h.browser()
			replay.Cookies[portal.SessionCookie] = &http.Cookie{Name: portal.SessionCookie, Value: sess}
			p = get(t, replay, "/"+lang+"/mijn")
			if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/"+lang+"/inloggen") {
				t.Errorf("expired session replayed: %d %q", p.Status, p.location())
			}
		})
	}
}

func TestSessionAbsoluteTimeout(t *testing.T) {
	h := newHarness(t)
	b := h.login("nl", "yusuf")
	// Active every 10 minutes: the idle timeout never strikes, the absolute one does at 12 hours.
	for elapsed := 10 * time.Minute; elapsed < 12*time.Hour; elapsed += 10 * time.Minute {
		h.clock.Advance(10 * time.Minute)
		p := get(t, b, "/nl/mijn")
		if p.Status != http.StatusOK {
			t.Fatalf("after %s of activity: %d %s", elapsed, p.Status, p.location())
		}
	}
	h.clock.Advance(10 * time.Minute) // 12h00 after login
	wantRedirect(t, get(t, b, "/nl/mijn"), "/nl/inloggen?terug=%2Fmijn&verlopen=1")
}

func TestTamperedSessionCookie(t *testing.T) {
	h := newHarness(t)
	good := h.login("nl", "yusuf").Cookies[portal.SessionCookie].Value
	flip := []byte(good)
	if flip[0] == 'A' {
		flip[0] = 'B'
	} else {
		flip[0] = 'A'
	}
	for name, value := range map[string]string{
		"one character changed": string(flip),
		"truncated":             good[:len(good)-1],
		"extended":              good + "A",
		"garbage":               "' OR 1=1 --",
		"43 bytes of non-ASCII": strings.Repeat("é", 21) + "x",
		"very long":             strings.Repeat("A", 3000),
	} {
		t.Run(name, func(t *testing.T) {
			b := h.browser()
			withCookie := func(path string) *page {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Cookie", portal.SessionCookie+"="+value) // raw, as an attacker sends it
				return do(t, b, req)
			}
			p := withCookie("/nl/mijn")
			if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/nl/inloggen") {
				t.Errorf("→ %d %q, want 303 to the login page", p.Status, p.location())
			}
			wantStatus(t, withCookie("/nl"), http.StatusOK) // public pages work with a bad cookie
			wantStatus(t, withCookie("/nl/inloggen"), http.StatusOK)
		})
	}
}

// ---------------------------------------------------------------------------------------------
// 4. Staff

// auditLog reads the audit log, oldest first.
func (h *harness) auditLog(t testing.TB) []app.AuditEntry {
	t.Helper()
	log, err := h.app.Store.AuditEntries(context.Background())
	if err != nil {
		t.Fatalf("read audit log: %v", err)
	}
	return log
}

func TestStaffLookup(t *testing.T) {
	h := newHarness(t)
	staff := h.login("nl", portal.StaffPersona)
	tests := []struct {
		persona, lang string
		want          []string
	}{
		{"yusuf", "nl", []string{"Yusuf Demir", "******623", "Wet inburgering 2013", "30 september 2028", "€ 350,00"}},
		{"yusuf", "en", []string{"Yusuf Demir", "******623", "Civic Integration Act 2013", "30 September 2028", "€350.00"}},
		{"samira", "nl", []string{"Samira Nouri", "******900", h.msg("nl", "pip.not_set"), h.msg("nl", "loan.not_applicable.self")}},
		{"dawit", "nl", []string{"Dawit Tesfay", "******131", h.msg("nl", "pip.route.z_route")}},
	}
	for _, tc := range tests {
		t.Run(tc.persona+"/"+tc.lang, func(t *testing.T) {
			before := len(h.auditLog(t))
			bsn := personaBSN[tc.persona]
			home := get(t, staff, "/"+tc.lang+"/medewerker")
			wantStatus(t, home, http.StatusOK)
			form := mustQuery(t, home.Doc, "main form")
			if !strings.EqualFold(attrOr(form, "method"), "post") {
				t.Errorf("the lookup form must POST (the BSN must not go into a URL)")
			}
			token := attrOr(mustQuery(t, form, "input[name=_csrf]"), "value")
			p := post(t, staff, attrOr(form, "action"), url.Values{"_csrf": {token}, "bsn": {bsn}})
			wantStatus(t, p, http.StatusOK)
			h.checkPage(t, p, tc.lang)
			noBSNInURLs(t, p)
			result := text(mustQuery(t, p.Doc, "main .staff-result"))
			wantText(t, "result", result, tc.want...)
			wantNoText(t, "result", p.Body, bsn) // only the masked BSN is shown

			log := h.auditLog(t)
			if len(log) != before+1 {
				t.Fatalf("%d new audit entries, want 1", len(log)-before)
			}
			e := log[len(log)-1]
			if e.Actor != portal.DemoStaffID || e.Action != app.AuditOverviewRead || e.Subject == "" || strings.Contains(e.Subject, bsn) {
				t.Errorf("audit entry %+v", e)
			}
		})
	}
}

func TestStaffLookupInvalid(t *testing.T) {
	h := newHarness(t)
	staff := h.login("nl", portal.StaffPersona)
	tests := []struct {
		name, bsn string
		status    int
		msgID     string
		params    []any
	}{
		{"empty", "", http.StatusBadRequest, "error.field_required", nil},
		{"only spaces", "   ", http.StatusBadRequest, "error.bsn_length", nil},
		{"8 digits", "93082462", http.StatusBadRequest, "error.bsn_length", nil},
		{"10 digits", "9308246230", http.StatusBadRequest, "error.bsn_length", nil},
		{"with spaces", "930 824 623", http.StatusBadRequest, "error.bsn_length", nil},
		{"letters", "93082462a", http.StatusBadRequest, "error.bsn_digits", nil},
		{"eleven-test fails", "930824624", http.StatusBadRequest, "error.bsn_elfproef", nil},
		{"all zeros", "000000000", http.StatusBadRequest, "error.bsn_elfproef", nil},
		{"very long", strings.Repeat("9", 5000), http.StatusBadRequest, "error.field_too_long", []any{"Count", 20}},
		{"markup", `"><b>x</b>1`, http.StatusBadRequest, "error.bsn_length", nil},
		{"unknown valid BSN", "111222333", http.StatusNotFound, "error.inburgeraar_not_found", nil},
	}
	for _, lang := range []string{"nl", "en"} {
		for _, tc := range tests {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				before := len(h.auditLog(t))
				p := post(t, staff, "/"+lang+"/medewerker/opzoeken", url.Values{"_csrf": {csrf(staff, "/"+lang+"/medewerker")}, "bsn": {tc.bsn}})
				wantStatus(t, p, tc.status)
				h.checkPage(t, p, lang)
				noBSNInURLs(t, p)
				// A refused lookup is audited once it reaches the use case (the form's own checks
				// come first): under the staff ID, never with the input as subject.
				log := h.auditLog(t)
				want := 1
				if tc.msgID == "error.field_required" || tc.msgID == "error.field_too_long" {
					want = 0
				}
				if n := len(log) - before; n != want {
					t.Fatalf("a refused lookup wrote %d audit entries, want %d", n, want)
				}
				if want == 1 {
					e := log[len(log)-1]
					if e.Actor != portal.DemoStaffID || e.Action != app.AuditLookupRefused || e.Subject == "" || (strings.TrimSpace(tc.bsn) != "" && strings.Contains(e.Subject, strings.TrimSpace(tc.bsn))) {
						t.Errorf("audit entry %+v", e)
					}
				}
				if query(t, p.Doc, ".staff-result") != nil {
					t.Errorf("a result is shown for a failed lookup")
				}
				title := text(mustQuery(t, p.Doc, "title"))
				if prefix := h.msg(lang, "error.prefix"); !strings.HasPrefix(title, prefix+" ") {
					t.Errorf("title %q does not start with %q", title, prefix)
				}
				msg := h.msg(lang, tc.msgID, tc.params...)
				sum := mustQuery(t, p.Doc, `.error-summary[role=alert]`)
				link := mustQuery(t, sum, `a`)
				if attrOr(link, "href") != "#bsn" || text(link) != msg {
					t.Errorf("summary link %q %q, want #bsn %q", attrOr(link, "href"), text(link), msg)
				}
				in := byID(p.Doc, "bsn")
				if in == nil || in.Data != "input" {
					t.Fatalf("no input#bsn")
				}
				if attrOr(in, "aria-invalid") != "true" {
					t.Errorf("input#bsn lacks aria-invalid=true")
				}
				if !contains(strings.Fields(attrOr(in, "aria-describedby")), "bsn-error") {
					t.Errorf("input#bsn aria-describedby=%q does not name bsn-error", attrOr(in, "aria-describedby"))
				}
				wantText(t, "inline error", text(byID(p.Doc, "bsn-error")), msg)
				if len(tc.bsn) <= 20 && attrOr(in, "value") != tc.bsn {
					t.Errorf("the input does not keep what was typed: %q", attrOr(in, "value"))
				}
				if strings.Contains(p.Body, "<b>x</b>") {
					t.Errorf("input echoed unescaped")
				}
			})
		}
	}
}

func TestStaffAccessControl(t *testing.T) {
	h := newHarness(t)

	t.Run("inburgeraar at the back office", func(t *testing.T) {
		b := h.login("nl", "yusuf")
		p := get(t, b, "/nl/medewerker")
		wantStatus(t, p, http.StatusForbidden)
		h.checkPage(t, p, "nl")
		wantText(t, "403", p.main(t), h.msg("nl", "error.forbidden"))
		p = post(t, b, "/nl/medewerker/opzoeken", url.Values{"_csrf": {csrf(b, "/nl/mijn")}, "bsn": {personaBSN["ahmad"]}})
		wantStatus(t, p, http.StatusForbidden)
		wantNoText(t, "403", p.Body, "Ahmad")
	})
	t.Run("staff at an inburgeraar's pages", func(t *testing.T) {
		b := h.login("nl", portal.StaffPersona)
		for _, path := range []string{"/nl/mijn", "/nl/mijn/berichten", "/en/mijn/lening"} {
			p := get(t, b, path)
			if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.location(), path[:3]+"/inloggen") {
				t.Errorf("%s → %d %q, want 303 to the login page", path, p.Status, p.location())
			}
		}
	})
	t.Run("anonymous", func(t *testing.T) {
		b := h.browser()
		wantRedirect(t, get(t, b, "/nl/medewerker"), "/nl/inloggen?terug=%2Fmedewerker")
		p := post(t, b, "/nl/medewerker/opzoeken", url.Values{"_csrf": {csrf(b, "/nl/inloggen")}, "bsn": {personaBSN["ahmad"]}})
		wantRedirect(t, p, "/nl/inloggen?terug=%2Fmedewerker")
	})
	if n := len(h.auditLog(t)); n != 0 {
		t.Errorf("%d audit entries after refused lookups", n)
	}
}

// ---------------------------------------------------------------------------------------------
// 5. Bad input

func TestBadInput(t *testing.T) {
	h := newHarness(t)
	user := h.login("nl", "ahmad")
	anon := h.browser()
	big := strings.Repeat("a", 1<<20+1)
	tests := []struct {
		name   string
		who    *testenv.Browser
		method string
		path   string
		body   string
		status int
		lang   string // the error page's language
		msgID  string
	}{
		{"unknown language", anon, "GET", "/xx/mijn", "", 404, "nl", "error.not_found"},
		{"unknown language, logged in", user, "GET", "/xx/mijn", "", 404, "nl", "error.not_found"},
		{"unknown language home", anon, "GET", "/xx", "", 404, "nl", "error.not_found"},
		{"upper-case language", anon, "GET", "/NL/mijn", "", 404, "nl", "error.not_found"},
		{"trailing slash", user, "GET", "/nl/mijn/", "", 404, "nl", "error.not_found"},
		{"trailing slash en", user, "GET", "/en/mijn/termijn/", "", 404, "en", "error.not_found"},
		{"unknown page", user, "GET", "/en/mijn/bestaat-niet", "", 404, "en", "error.not_found"},
		{"message id not a number", user, "GET", "/nl/mijn/berichten/abc", "", 404, "nl", "error.bericht_not_found"},
		{"message id unknown", user, "GET", "/nl/mijn/berichten/999999", "", 404, "nl", "error.bericht_not_found"},
		{"message id zero", user, "GET", "/nl/mijn/berichten/0", "", 404, "nl", "error.bericht_not_found"},
		{"message id negative", user, "GET", "/en/mijn/berichten/-1", "", 404, "en", "error.bericht_not_found"},
		{"message id overflow", user, "GET", "/nl/mijn/berichten/99999999999999999999999", "", 404, "nl", "error.bericht_not_found"},
		{"bad inbox cursor", user, "GET", "/nl/mijn/berichten?na=%00%ff", "", 400, "nl", "error.cursor_invalid"},
		{"unknown static file", anon, "GET", "/static/app.css", "", 404, "nl", "error.not_found"},
		{"oversized body", anon, "POST", "/nl/inloggen/demo", "persona=" + big, 413, "nl", "error.too_large"},
		{"oversized body en", anon, "POST", "/en/inloggen/demo", "persona=" + big, 413, "en", "error.too_large"},
		{"oversized body logged in", user, "POST", "/nl/mijn/berichten/1/ongelezen", "_csrf=x&x=" + big, 413, "nl", "error.too_large"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			p := do(t, tc.who, req)
			wantStatus(t, p, tc.status)
			if p.location() != "" {
				t.Errorf("error answered with a Location header %q", p.location())
			}
			h.checkPage(t, p, tc.lang)
			if got, want := text(mustQuery(t, p.Doc, "h1")), h.msg(tc.lang, fmt.Sprintf("error.heading.%d", tc.status)); got != want {
				t.Errorf("h1 %q, want %q", got, want)
			}
			wantText(t, "error page", p.main(t), h.msg(tc.lang, tc.msgID))
		})
	}

	t.Run("trailing slash, anonymous", func(t *testing.T) {
		// Under /mijn an anonymous reader is sent to the login page first; the slash is never
		// "corrected" by a redirect to /nl/mijn.
		p := get(t, anon, "/nl/mijn/")
		if p.Status == http.StatusSeeOther && p.location() != "/nl/inloggen" {
			t.Errorf("→ 303 to %q", p.location())
		} else if p.Status != http.StatusSeeOther && p.Status != http.StatusNotFound {
			t.Errorf("→ %d, want 404 or 303 to the login page", p.Status)
		}
	})

	t.Run("GET on a POST-only route", func(t *testing.T) {
		// Echo answers 404 or 405 depending on its router; either way a page in the URL's language.
		p := get(t, anon, "/en/uitloggen")
		if p.Status != http.StatusNotFound && p.Status != http.StatusMethodNotAllowed {
			t.Fatalf("→ %d, want 404 or 405", p.Status)
		}
		h.checkPage(t, p, "en")
	})

	t.Run("oversized body without Content-Length", func(t *testing.T) {
		b := h.browser()
		token := csrf(b, "/nl/inloggen")
		body := "_csrf=" + token + "&persona=yusuf&x=" + big
		req := httptest.NewRequest(http.MethodPost, "/nl/inloggen/demo", struct{ *strings.Reader }{strings.NewReader(body)})
		req.ContentLength = -1
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		p := do(t, b, req)
		if p.Status < 400 {
			t.Errorf("a body over the limit was accepted: %d", p.Status)
		}
		if _, ok := b.Cookies[portal.SessionCookie]; ok {
			t.Errorf("a body over the limit logged in")
		}
	})
}

// ---------------------------------------------------------------------------------------------
// 6. Language negotiation at "/"

func TestRootRedirect(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name, acceptLanguage, cookie, want string
	}{
		{"English browser", "en-GB,en;q=0.9", "", "/en"},
		{"English preferred over Dutch", "en-US,nl;q=0.5", "", "/en"},
		{"Dutch browser", "nl-NL,nl;q=0.9,en;q=0.8", "", "/nl"},
		{"unknown language", "zz", "", "/nl"},
		{"malformed header", ";;;q=abc", "", "/nl"},
		{"no header", "", "", "/nl"},
		{"cookie wins over header", "nl-NL", "en", "/en"},
		{"cookie nl over English header", "en-GB,en;q=0.9", "nl", "/nl"},
		{"unknown cookie is ignored", "en-GB", "xx", "/en"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := h.browser()
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			if tc.acceptLanguage != "" {
				req.Header.Set("Accept-Language", tc.acceptLanguage)
			}
			if tc.cookie != "" {
				req.AddCookie(&http.Cookie{Name: portal.LangCookie, Value: tc.cookie})
			}
			p := do(t, b, req)
			wantRedirect(t, p, tc.want)
			vary := strings.Join(p.Header.Values("Vary"), ",")
			if !strings.Contains(vary, "Accept-Language") || !strings.Contains(vary, "Cookie") {
				t.Errorf("Vary %q must name Accept-Language and Cookie", vary)
			}
		})
	}
}

// ---------------------------------------------------------------------------------------------
// 7. Static files

func TestStaticFiles(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	home := get(t, b, "/nl")
	wantStatus(t, home, http.StatusOK)
	hashed := regexp.MustCompile(`^/static/[a-z0-9_-]+\.[0-9a-f]{12}\.[a-z]+$`)

	css := attrOr(mustQuery(t, home.Doc, `head link[rel=stylesheet]`), "href")
	icon := attrOr(mustQuery(t, home.Doc, `head link[rel=icon]`), "href")
	for _, tc := range []struct{ url, ctype string }{{css, "text/css"}, {icon, "image/svg+xml"}} {
		t.Run(tc.url, func(t *testing.T) {
			if !hashed.MatchString(tc.url) {
				t.Fatalf("static URL %q is not content-hashed", tc.url)
			}
			p := get(t, b, tc.url)
			wantStatus(t, p, http.StatusOK)
			if ct := p.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.ctype) {
				t.Errorf("Content-Type %q, want %s", ct, tc.ctype)
			}
			cc := p.Header.Get("Cache-Control")
			if !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") || strings.Contains(cc, "no-store") {
				t.Errorf("Cache-Control %q, want a long immutable lifetime", cc)
			}
			if p.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("no nosniff")
			}
			if len(p.Body) == 0 {
				t.Errorf("empty file")
			}
			// Another hash of the same name is not served.
			stale := regexp.MustCompile(`\.[0-9a-f]{12}\.`).ReplaceAllString(tc.url, ".000000000000.")
			wantStatus(t, get(t, b, stale), http.StatusNotFound)
		})
	}

	t.Run("stylesheet is compressed", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodGet, css, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res := b.Do(req)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("status %d, Content-Encoding %q, want gzip", res.StatusCode, res.Header.Get("Content-Encoding"))
		}
	})

	t.Run("pages are not cached", func(t *testing.T) {
		if cc := home.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("page Cache-Control %q, want no-store", cc)
		}
	})
}
