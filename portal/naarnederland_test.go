package portal_test

// Tests of the public "Naar Nederland" section (issue 8) through the real router, on parsed HTML.

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
)

// nnTextPages are the pages without input, rendered once per language.
var nnTextPages = []string{"/naar-nederland", "/naar-nederland/check", "/naar-nederland/examen-buitenland",
	"/naar-nederland/na-aankomst", "/naar-nederland/kosten", "/naar-nederland/vragen"}

// structure is what must be the same on a page in every language: the heading levels in order,
// and the figures from the policy table in order.
func structure(doc *html.Node) (headings, figures []string) {
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "h1", "h2", "h3", "h4", "h5", "h6":
			headings = append(headings, n.Data)
		}
		if f, ok := attr(n, "data-figure"); ok {
			figures = append(figures, f)
		}
	})
	return headings, figures
}

// TestNaarNederlandCompleteness: every page in every language has the same headings and the same
// figures as Dutch, each figure formatted for the language from the policy table in force; a meta
// description; no missing message, no placeholder left and no raw HTML from a text.
func TestNaarNederlandCompleteness(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	figures := map[string]domain.Figuur{}
	for _, f := range h.app.Service.Cijfers() {
		figures[f.Naam] = f
	}
	for _, path := range nnTextPages {
		ref := get(t, b, "/nl"+path)
		wantStatus(t, ref, http.StatusOK)
		refH, refF := structure(ref.Doc)
		if path != "/naar-nederland/check" && len(refF) == 0 {
			t.Errorf("%s: no figure from the policy table on the Dutch page", path)
		}
		for _, lang := range h.languages() {
			t.Run(lang+path, func(t *testing.T) {
				p := get(t, b, "/"+lang+path)
				wantStatus(t, p, http.StatusOK)
				h.checkPage(t, p, lang)
				hs, fs := structure(p.Doc)
				if !slices.Equal(hs, refH) {
					t.Errorf("headings %v, Dutch has %v", hs, refH)
				}
				if !slices.Equal(fs, refF) {
					t.Errorf("figures %v, Dutch has %v", fs, refF)
				}
				l, _ := h.app.Bundle.Lookup(lang)
				for _, n := range queryAll(t, p.Doc, "bdi[data-figure]") {
					name := attrOr(n, "data-figure")
					f, ok := figures[name]
					if !ok {
						t.Errorf("unknown figure %q", name)
						continue
					}
					if got, want := text(n), strings.Join(strings.Fields(app.FormatFigure(l, f)), " "); got != want {
						t.Errorf("figure %s reads %q, want %q", name, got, want)
					}
				}
				desc := query(t, p.Doc, `head meta[name=description]`)
				if desc == nil || len(attrOr(desc, "content")) < 40 {
					t.Errorf("no meta description")
				}
				wantNoText(t, "page", p.Body, "{{", "}}", "nnfigure", "raw HTML omitted")
				if query(t, p.Doc, `head meta[name=robots]`) != nil {
					t.Errorf("a page without answers must be indexable")
				}
			})
		}
	}
}

// TestNaarNederlandCaching: the pages without answers are public and cacheable with an ETag that
// answers If-None-Match with 304; pages with answers are never stored.
func TestNaarNederlandCaching(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	etags := map[string]bool{}
	for _, lang := range []string{"nl", "ar", "ti"} {
		for _, path := range nnTextPages {
			p := get(t, b, "/"+lang+path)
			wantStatus(t, p, http.StatusOK)
			etag := p.Header.Get("ETag")
			if !regexp.MustCompile(`^"[A-Za-z0-9_-]{20,}"$`).MatchString(etag) {
				t.Fatalf("%s: ETag %q", p.Path, etag)
			}
			if etags[etag] {
				t.Errorf("%s: ETag %s also belongs to another page", p.Path, etag)
			}
			etags[etag] = true
			if cc := p.Header.Get("Cache-Control"); !regexp.MustCompile(`^public, max-age=[1-9][0-9]*$`).MatchString(cc) {
				t.Errorf("%s: Cache-Control %q", p.Path, cc)
			}
			for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
				req := httptest.NewRequest(http.MethodGet, "/"+lang+path, nil)
				req.Header.Set("If-None-Match", inm)
				res := b.Do(req)
				if res.StatusCode != http.StatusNotModified || testenv.ReadBody(t, res) != "" || res.Header.Get("ETag") != etag {
					t.Errorf("%s If-None-Match %s → %d, want 304 without a body", p.Path, inm, res.StatusCode)
				}
			}
			req := httptest.NewRequest(http.MethodGet, "/"+lang+path, nil)
			req.Header.Set("If-None-Match", `"stale"`)
			if res := b.Do(req); res.StatusCode != http.StatusOK {
				t.Errorf("%s with a stale ETag → %d, want 200", p.Path, res.StatusCode)
			}
			// The same bytes every time: rendered once.
			if again := get(t, b, "/"+lang+path); again.Body != p.Body {
				t.Errorf("%s: the page changed between requests", p.Path)
			}
		}
	}
	for _, path := range []string{"/nl/naar-nederland/check?vraag=nationaliteit&nationaliteit=SY", "/nl/naar-nederland/kosten?inkomen=20000"} {
		p := get(t, b, path)
		if cc := p.Header.Get("Cache-Control"); cc != "no-store" || p.Header.Get("ETag") != "" {
			t.Errorf("%s: Cache-Control %q, ETag %q; a page with answers must not be stored", path, cc, p.Header.Get("ETag"))
		}
		if query(t, p.Doc, `head meta[name=robots][content=noindex]`) == nil {
			t.Errorf("%s: a page with answers must not be indexed", path)
		}
	}
}

// TestNaarNederlandCookies: no cookie but the language choice, on any page or step, also for a
// reader who already has one; never a CSRF or session cookie.
func TestNaarNederlandCookies(t *testing.T) {
	h := newHarness(t)
	paths := append(append([]string(nil), nnTextPages...),
		"/naar-nederland/check?vraag=nationaliteit&nationaliteit=SY",
		"/naar-nederland/check?vraag=geboortedatum&nationaliteit=SY&dag=1&maand=2&jaar=3000",
		"/naar-nederland/kosten?inkomen=-4")
	for _, lang := range []string{"nl", "fa"} {
		for _, path := range paths {
			b := h.browser()
			p := get(t, b, "/"+lang+path)
			var names []string
			for _, c := range (&http.Response{Header: p.Header}).Cookies() {
				names = append(names, c.Name)
			}
			if !slices.Equal(names, []string{"taal"}) {
				t.Errorf("%s: cookies %v, want only the language choice", p.Path, names)
			}
			if again := get(t, b, "/"+lang+path); again.Header.Get("Set-Cookie") != "" {
				t.Errorf("%s: a second visit sets %q", p.Path, again.Header.Get("Set-Cookie"))
			}
		}
	}
	// A logged-in reader gets the same public page: no name, no CSRF token, no session touched.
	user := h.login("nl", "ahmad")
	p := get(t, user, "/nl/naar-nederland")
	if p.Header.Get("Set-Cookie") != "" || strings.Contains(p.Body, "_csrf") || query(t, p.Doc, "form.logout") != nil {
		t.Errorf("the public page varies with the session")
	}
}

// TestNaarNederlandSize: every page, in every language and state, is under 30 KB compressed.
func TestNaarNederlandSize(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	paths := append(append([]string(nil), nnTextPages...),
		"/naar-nederland/check?vraag=nationaliteit&nationaliteit=XX",
		"/naar-nederland/kosten?inkomen=25000&cursusprijs=&pogingen=2&herexamens=1")
	largest, where := 0, ""
	for _, lang := range h.languages() {
		for _, path := range paths {
			req := httptest.NewRequest(http.MethodGet, "/"+lang+path, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			res := b.Do(req)
			raw, _ := io.ReadAll(res.Body)
			if res.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("%s: not compressed", path)
			}
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadAll(zr); err != nil {
				t.Fatalf("%s: bad gzip: %v", path, err)
			}
			if len(raw) > largest {
				largest, where = len(raw), lang+path
			}
			if len(raw) >= 30*1024 {
				t.Errorf("%s%s: %d bytes compressed, want < 30 KB", lang, path, len(raw))
			}
		}
	}
	t.Logf("largest page: %s, %d bytes compressed", where, largest)
}

// form is a GET form of a page, as a browser would submit it.
func submitForm(t *testing.T, b *testenv.Browser, p *page, set map[string]string) *page {
	t.Helper()
	f := mustQuery(t, p.Doc, "main form")
	if !strings.EqualFold(attrOr(f, "method"), "get") {
		t.Fatalf("%s: the form is not a GET form", p.Path)
	}
	v := url.Values{}
	for _, in := range queryAll(t, f, "input") {
		name := attrOr(in, "name")
		switch attrOr(in, "type") {
		case "radio":
			continue
		default:
			v.Set(name, attrOr(in, "value"))
		}
	}
	for k, val := range set {
		if val == "" {
			v.Del(k)
		} else {
			v.Set(k, val)
		}
	}
	return get(t, b, attrOr(f, "action")+"?"+v.Encode())
}

// question returns the question a check page asks ("" on the result page).
func question(t *testing.T, p *page) string {
	if in := query(t, p.Doc, `main form input[name=vraag]`); in != nil {
		return attrOr(in, "value")
	}
	return ""
}

// TestNaarNederlandCheckFlow walks the check like a reader without JavaScript: one question per
// page, answers carried in the form, the questions that cannot change the result skipped, and a
// result that names the rule and its source.
func TestNaarNederlandCheckFlow(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name     string
		answers  []map[string]string // one per page
		asked    []string
		exam, ob domain.Checkantwoord
		grounds  []domain.Grond
	}{
		{"Syrian joining a Dutch partner", []map[string]string{{"nationaliteit": "SY"}, {"dag": "15", "maand": "6", "jaar": "1995"}, {"verblijfsdoel": "gezin"}, {"partnerstatus": "nederlander"}, {"opleiding": "geen"}},
			[]string{"nationaliteit", "geboortedatum", "verblijfsdoel", "partnerstatus", "opleiding"}, "ja", "ja", nil},
		{"German: decided at once", []map[string]string{{"nationaliteit": "DE"}}, []string{"nationaliteit"}, "nee", "nee", []domain.Grond{domain.GrondEUEER}},
		{"Eritrean joining an asylum permit holder", []map[string]string{{"nationaliteit": "ER"}, {"dag": "1", "maand": "1", "jaar": "1990"}, {"verblijfsdoel": "gezin"}, {"partnerstatus": "asielstatushouder"}, {"opleiding": "geen"}},
			[]string{"nationaliteit", "geboortedatum", "verblijfsdoel", "partnerstatus", "opleiding"}, "nee", "ja", []domain.Grond{domain.GrondGezinAsiel}},
		{"Turkish: the IND decides", []map[string]string{{"nationaliteit": "TR"}, {"dag": "1", "maand": "1", "jaar": "1990"}, {"verblijfsdoel": "anders"}, {"opleiding": "geen"}},
			[]string{"nationaliteit", "geboortedatum", "verblijfsdoel", "opleiding"}, "ind_beslist", "ind_beslist", []domain.Grond{domain.GrondTurks}},
		{"student: no partner question", []map[string]string{{"nationaliteit": "IN"}, {"dag": "1", "maand": "1", "jaar": "2000"}, {"verblijfsdoel": "studie"}},
			[]string{"nationaliteit", "geboortedatum", "verblijfsdoel"}, "nee", "nee", []domain.Grond{domain.GrondTijdelijk}},
	}
	for _, lang := range []string{"nl", "ar", "ti"} {
		for _, tt := range tests {
			t.Run(lang+"/"+tt.name, func(t *testing.T) {
				b := h.browser()
				p := get(t, b, "/"+lang+"/naar-nederland/check")
				var asked []string
				for _, a := range tt.answers {
					asked = append(asked, question(t, p))
					h.checkPage(t, p, lang)
					if query(t, p.Doc, "main form button[type=submit]") == nil || query(t, p.Doc, "a.back-link") == nil {
						t.Errorf("%s: no submit button or back link", p.Path)
					}
					p = submitForm(t, b, p, a)
					wantStatus(t, p, http.StatusOK)
				}
				if !slices.Equal(asked, tt.asked) {
					t.Errorf("asked %v, want %v", asked, tt.asked)
				}
				if q := question(t, p); q != "" {
					t.Fatalf("still asking %q after every answer", q)
				}
				h.checkPage(t, p, lang)
				main := p.main(t)
				wantText(t, "result", main, h.msg(lang, "nn.check.exam."+string(tt.exam)), h.msg(lang, "nn.check.plicht."+string(tt.ob)))
				if len(tt.grounds) == 0 {
					wantText(t, "result", main, h.msg(lang, "nn.check.no_ground"))
				}
				for _, g := range tt.grounds {
					wantText(t, "result", main, domain.Regels[g].Bron)
					if li := queryAll(t, p.Doc, "ul.nn-grounds li"); len(li) != len(tt.grounds) {
						t.Errorf("%d grounds listed, want %d", len(li), len(tt.grounds))
					}
				}
				wantText(t, "result", main, h.msg(lang, "nn.check.decides"))
				// Every answer can be changed; the change link leads to that question, filled in.
				for _, a := range queryAll(t, p.Doc, "dl.summary-list a") {
					u, _ := url.Parse(attrOr(a, "href"))
					step := u.Query().Get("stap")
					c := get(t, b, attrOr(a, "href"))
					wantStatus(t, c, http.StatusOK)
					if got := question(t, c); got != step {
						t.Errorf("change %s leads to question %q", step, got)
					}
				}
			})
		}
	}
}

// TestNaarNederlandBadInput: impossible answers, a skipped question and a manipulated form get a
// translated message and the question again (400), never a 500; nothing entered reaches the log.
func TestNaarNederlandBadInput(t *testing.T) {
	h := newHarness(t)
	check := "/naar-nederland/check?"
	tests := []struct {
		name, query, field, msgID string
		params                    []any
	}{
		{"no nationality chosen", "vraag=nationaliteit", "nationaliteit", "nn.error.nationality_unknown", nil},
		{"unknown nationality code", "vraag=nationaliteit&nationaliteit=XX", "nationaliteit", "nn.error.nationality_unknown", nil},
		{"birth date in the future", "vraag=geboortedatum&nationaliteit=SY&dag=1&maand=1&jaar=2999", "geboortedatum", "nn.error.date_future", nil},
		{"older than 130", "vraag=geboortedatum&nationaliteit=SY&dag=1&maand=1&jaar=1850", "geboortedatum", "nn.error.date_too_old", []any{"Years", 130}},
		{"no such date", "vraag=geboortedatum&nationaliteit=SY&dag=31&maand=2&jaar=1990", "geboortedatum", "nn.error.date_invalid", nil},
		{"letters in the date", "vraag=geboortedatum&nationaliteit=SY&dag=een&maand=2&jaar=1990", "geboortedatum", "nn.error.date_invalid", nil},
		{"birth date skipped", "vraag=geboortedatum&nationaliteit=SY", "geboortedatum", "nn.error.date_required", nil},
		{"purpose not chosen", "vraag=verblijfsdoel&nationaliteit=SY&dag=1&maand=1&jaar=1990", "verblijfsdoel", "nn.error.choose", nil},
		{"unknown purpose (manipulated)", "vraag=verblijfsdoel&nationaliteit=SY&dag=1&maand=1&jaar=1990&verblijfsdoel=vakantie", "verblijfsdoel", "nn.error.choose", nil},
		{"an earlier question skipped (manipulated)", "vraag=opleiding&nationaliteit=SY&opleiding=geen", "geboortedatum", "nn.error.answer_required", nil},
		{"Surinamese option for another nationality (manipulated)", "vraag=opleiding&nationaliteit=MA&dag=1&maand=1&jaar=1990&verblijfsdoel=anders&opleiding=suriname_basisonderwijs", "opleiding", "nn.error.choose", nil},
		{"a repeated parameter (manipulated)", "vraag=nationaliteit&nationaliteit=SY&nationaliteit=DE", "nationaliteit", "nn.error.manipulated", nil},
		{"a huge parameter (manipulated)", "vraag=nationaliteit&nationaliteit=" + strings.Repeat("A", 500), "nationaliteit", "nn.error.manipulated", nil},
	}
	kosten := "/naar-nederland/kosten?"
	kostenTests := []struct {
		name, query, field, msgID string
		params                    []any
	}{
		{"negative income", "inkomen=-100", "inkomen", "nn.error.amount_negative", nil},
		{"no income", "inkomen=&cursusprijs=5000", "inkomen", "nn.error.income_required", nil},
		{"income in words", "inkomen=veel", "inkomen", "nn.error.amount_format", nil},
		{"income with a separator", "inkomen=1.500", "inkomen", "nn.error.amount_format", nil},
		{"income too large", "inkomen=99999999999", "inkomen", "nn.error.amount_too_large", []any{"Max", int64(10000000)}},
		{"income overflows", "inkomen=99999999999999999999999", "inkomen", "nn.error.number_too_large", nil},
		{"negative course price", "inkomen=100&cursusprijs=-1", "cursusprijs", "nn.error.amount_negative", nil},
		{"zero attempts", "inkomen=100&pogingen=0", "pogingen", "nn.error.count_range", []any{"Min", 1, "Max", 10}},
		{"too many retakes", "inkomen=100&herexamens=9999999999999", "herexamens", "nn.error.count_range", []any{"Min", 0, "Max", 50}},
	}
	for _, tt := range kostenTests {
		tests = append(tests, struct {
			name, query, field, msgID string
			params                    []any
		}{"kosten: " + tt.name, "\x00" + tt.query, tt.field, tt.msgID, tt.params})
	}
	for _, lang := range []string{"nl", "en", "ar", "so"} {
		for _, tt := range tests {
			t.Run(lang+"/"+tt.name, func(t *testing.T) {
				path := "/" + lang + check + tt.query
				if strings.HasPrefix(tt.query, "\x00") {
					path = "/" + lang + kosten + tt.query[1:]
				}
				p := get(t, h.browser(), path)
				wantStatus(t, p, http.StatusBadRequest)
				h.checkPage(t, p, lang)
				link := mustQuery(t, p.Doc, ".error-summary[role=alert] a")
				if attrOr(link, "href") != "#"+tt.field {
					t.Errorf("the error summary links to %s, want #%s", attrOr(link, "href"), tt.field)
				}
				want := h.msg(lang, tt.msgID, tt.params...)
				if text(link) != want {
					t.Errorf("message %q, want %q", text(link), want)
				}
				if byID(p.Doc, tt.field) == nil {
					t.Errorf("the question (#%s) is not asked again", tt.field)
				}
				if !strings.HasPrefix(text(mustQuery(t, p.Doc, "head title")), h.msg(lang, "error.prefix")) {
					t.Errorf("the title does not start with the error prefix")
				}
			})
		}
	}
	// Nothing entered is logged (the request log names the route pattern only).
	get(t, h.browser(), "/nl/naar-nederland/check?vraag=geboortedatum&nationaliteit=SY&dag=23&maand=11&jaar=1987")
	get(t, h.browser(), "/nl/naar-nederland/kosten?inkomen=31337")
	// Random request IDs may hold any digits: leave them out of the search.
	logs := regexp.MustCompile(`"request_id":"[^"]*"`).ReplaceAllString(h.logs.String(), "")
	wantNoText(t, "log", logs, "1987-11-23", "23-11-1987", "jaar=", "inkomen=", "nationaliteit=", "naar-nederland/check?")
	// The numbers themselves, but not as part of a longer number (a duration in nanoseconds may hold "1987").
	for _, n := range []string{"1987", "31337"} {
		if regexp.MustCompile(`(^|[^0-9])` + n + `([^0-9]|$)`).MatchString(logs) {
			t.Errorf("log holds %s, which was entered", n)
		}
	}
}

// TestNaarNederlandFindable: robots.txt, and a sitemap with every public page in every language
// and its hreflang alternates; the home page links to the section.
func TestNaarNederlandFindable(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	res := b.Get("/robots.txt")
	robots := testenv.ReadBody(t, res)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("robots.txt → %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	wantText(t, "robots.txt", robots, "User-agent: *", "Disallow: /*/mijn", "Disallow: /v2/", "Sitemap: "+h.app.Config.BaseURL+"/sitemap.xml")

	res = b.Get("/sitemap.xml")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/xml") {
		t.Fatalf("sitemap.xml → %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var set struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Rel      string `xml:"rel,attr"`
				Hreflang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"http://www.w3.org/1999/xhtml link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(testenv.ReadBody(t, res)), &set); err != nil {
		t.Fatal(err)
	}
	langs := h.languages()
	locs := map[string]bool{}
	for _, u := range set.URLs {
		locs[u.Loc] = true
		if len(u.Links) != len(langs)+1 {
			t.Errorf("%s: %d alternates, want %d", u.Loc, len(u.Links), len(langs)+1)
		}
		self := false
		for _, l := range u.Links {
			if l.Rel != "alternate" || !strings.HasPrefix(l.Href, h.app.Config.BaseURL+"/") {
				t.Errorf("%s: bad alternate %+v", u.Loc, l)
			}
			self = self || l.Href == u.Loc
		}
		if !self {
			t.Errorf("%s: the alternates do not include the page itself", u.Loc)
		}
	}
	for _, lang := range langs {
		for _, path := range append([]string{"", "/toegankelijkheid"}, nnTextPages...) {
			loc := h.app.Config.BaseURL + "/" + lang + path
			if !locs[loc] {
				t.Errorf("sitemap lacks %s", loc)
			}
			if p := get(t, b, "/"+lang+path); p.Status != http.StatusOK {
				t.Errorf("sitemap page %s → %d", loc, p.Status)
			}
		}
		home := get(t, b, "/"+lang)
		if query(t, home.Doc, fmt.Sprintf(`main a[href="/%s/naar-nederland"]`, lang)) == nil {
			t.Errorf("/%s: no link to the Naar Nederland section", lang)
		}
	}
}

// FuzzNaarNederlandQuery: whatever a URL carries, the check and the estimator answer with a page
// (200 or 400), never a 500 and never anything else. `go test` runs the seeds; run
// `go test -fuzz FuzzNaarNederlandQuery ./portal` to search further.
func FuzzNaarNederlandQuery(f *testing.F) {
	for _, s := range []string{
		"vraag=nationaliteit&nationaliteit=SY",
		"vraag=geboortedatum&nationaliteit=SY&dag=29&maand=2&jaar=2001",
		"vraag=opleiding&nationaliteit=SR&dag=1&maand=1&jaar=1990&verblijfsdoel=gezin&partnerstatus=nederlander&opleiding=suriname_basisonderwijs",
		"stap=partnerstatus&nationaliteit=TR&verblijfsdoel=studie",
		"vraag=%00&nationaliteit=%ff%fe&dag=-1&maand=99999999999999999999&jaar=0",
		"inkomen=9223372036854775807&cursusprijs=-9223372036854775808&pogingen=1e3&herexamens=%20",
		"nationaliteit=sy;dag=1",
	} {
		f.Add(s)
	}
	a := testenv.New(f, testenv.Options{Logs: io.Discard})
	f.Fuzz(func(t *testing.T, query string) {
		for _, path := range []string{"/nl/naar-nederland/check?", "/ar/naar-nederland/kosten?"} {
			req, err := http.NewRequest(http.MethodGet, path+query, nil)
			if err != nil {
				return // not a URL a browser could send
			}
			w := httptest.NewRecorder()
			a.Echo.ServeHTTP(w, req)
			if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
				t.Fatalf("%s%q → %d", path, query, w.Code)
			}
		}
	})
}
