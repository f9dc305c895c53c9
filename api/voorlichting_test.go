package api_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
)

// page fetches a portal page through the same router and returns its status and body.
func (c *client) page(t *testing.T, path string) (int, string) {
	t.Helper()
	res := c.b.Get(path)
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestVoorlichtingCheckSameAsPages: the API answers what the pages answer, for the same answers,
// in the language asked for, without authentication and under the API's rate limits.
func TestVoorlichtingCheckSameAsPages(t *testing.T) {
	c := newClient(t, testenv.Options{})
	cases := []struct {
		name     string
		body     map[string]string
		complete bool
		exam     string
		next     string
	}{
		{"no ground", map[string]string{"nationaliteit": "SY", "geboortedatum": "1995-06-15", "verblijfsdoel": "gezin", "partnerstatus": "nederlander", "opleiding": "geen"}, true, "ja", ""},
		{"EU national", map[string]string{"nationaliteit": "DE"}, true, "nee", ""},
		{"asylum permit holder's family", map[string]string{"nationaliteit": "ER", "geboortedatum": "1990-01-01", "verblijfsdoel": "gezin", "partnerstatus": "asielstatushouder", "opleiding": "geen"}, true, "nee", ""},
		{"Turkish national", map[string]string{"nationaliteit": "tr", "geboortedatum": "1990-01-01", "verblijfsdoel": "anders", "opleiding": "geen"}, true, "ind_beslist", ""},
		{"minor", map[string]string{"nationaliteit": "AF", "geboortedatum": "2015-03-01"}, true, "nee", ""},
		{"partner's status missing", map[string]string{"nationaliteit": "SY", "geboortedatum": "1995-06-15", "verblijfsdoel": "gezin"}, false, "", "partnerstatus"},
		{"US national, only nationality", map[string]string{"nationaliteit": "US"}, false, "", "geboortedatum"},
		{"partner ignored when the stay is not for family", map[string]string{"nationaliteit": "IN", "geboortedatum": "1990-01-01", "verblijfsdoel": "studie", "partnerstatus": "nederlander"}, true, "nee", ""},
	}
	for _, lang := range []string{"nl", "en", "ar", "ti"} {
		for _, tt := range cases {
			t.Run(lang+"/"+tt.name, func(t *testing.T) {
				body, _ := json.Marshal(tt.body)
				res, out := c.do(newRequest(http.MethodPost, "/v2/voorlichting/inburgeringschecks", string(body), header("Accept-Language", lang)))
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status %d: %s", res.StatusCode, out)
				}
				if got := res.Header.Get("Content-Language"); got != lang {
					t.Errorf("Content-Language %q, want %q", got, lang)
				}
				if !strings.Contains(res.Header.Get("RateLimit-Policy"), `"api-ip"`) {
					t.Errorf("not rate-limited per IP: RateLimit-Policy %q", res.Header.Get("RateLimit-Policy"))
				}
				var r api.Inburgeringscheck
				mustJSON(t, out, &r)
				if r.Compleet != tt.complete {
					t.Fatalf("compleet %v, want %v: %s", r.Compleet, tt.complete, out)
				}
				// The page with the same answers.
				q := url.Values{}
				for k, v := range tt.body {
					if k == "geboortedatum" {
						parts := strings.Split(v, "-")
						q.Set("jaar", parts[0])
						q.Set("maand", strings.TrimPrefix(parts[1], "0"))
						q.Set("dag", strings.TrimPrefix(parts[2], "0"))
						continue
					}
					q.Set(k, v)
				}
				status, page := c.page(t, "/"+lang+"/naar-nederland/check?"+q.Encode())
				if status != http.StatusOK {
					t.Fatalf("page → %d", status)
				}
				if !tt.complete {
					if r.VolgendeVraag == nil || string(*r.VolgendeVraag) != tt.next || r.BasisexamenBuitenland != nil {
						t.Fatalf("volgendeVraag %v, want %s: %s", r.VolgendeVraag, tt.next, out)
					}
					if !strings.Contains(page, `name="vraag" value="`+tt.next+`"`) {
						t.Errorf("the page does not ask %s next", tt.next)
					}
					return
				}
				if r.BasisexamenBuitenland == nil || r.Inburgeringsplicht == nil || string(r.BasisexamenBuitenland.Uitkomst) != tt.exam {
					t.Fatalf("outcome %s, want exam %s", out, tt.exam)
				}
				texts := []string{r.BasisexamenBuitenland.Toelichting, r.Inburgeringsplicht.Toelichting}
				for _, g := range r.Gronden {
					texts = append(texts, g.Toelichting, g.Bron)
					if g.Toelichting == "" || strings.HasPrefix(g.Toelichting, "[") || strings.Contains(g.Toelichting, "{{") {
						t.Errorf("ground %s: toelichting %q", g.Grond, g.Toelichting)
					}
				}
				for _, s := range texts {
					if !strings.Contains(page, html.EscapeString(s)) {
						t.Errorf("the page does not say %q", s)
					}
				}
			})
		}
	}
	// No token is needed, and a token is not looked at.
	res, out := c.do(newRequest(http.MethodPost, "/v2/voorlichting/inburgeringschecks", `{"nationaliteit":"NL"}`, bearer("not-a-token")))
	if res.StatusCode != http.StatusOK {
		t.Errorf("with a bogus token: %d %s", res.StatusCode, out)
	}
}

// TestVoorlichtingCheckInvalid: every violation is listed, translated, in one 400.
func TestVoorlichtingCheckInvalid(t *testing.T) {
	c := newClient(t, testenv.Options{})
	tests := []struct {
		name, body string
		want       []string
	}{
		{"unknown nationality", `{"nationaliteit":"XX"}`, []string{"nationaliteit:nn.error.nationality_unknown"}},
		{"birth date in the future", `{"nationaliteit":"SY","geboortedatum":"2999-01-01"}`, []string{"geboortedatum:nn.error.date_future"}},
		{"older than 130", `{"nationaliteit":"SY","geboortedatum":"1800-01-01"}`, []string{"geboortedatum:nn.error.date_too_old"}},
		{"both at once", `{"nationaliteit":"XX","geboortedatum":"2999-01-01"}`, []string{"nationaliteit:nn.error.nationality_unknown", "geboortedatum:nn.error.date_future"}},
		{"Surinamese ground for a Moroccan", `{"nationaliteit":"MA","geboortedatum":"1990-01-01","verblijfsdoel":"anders","opleiding":"suriname_basisonderwijs"}`, []string{"opleiding:nn.error.choose"}},
		{"no nationality", `{}`, []string{"nationaliteit:error.field_required"}},
		{"unknown purpose", `{"nationaliteit":"SY","verblijfsdoel":"vakantie"}`, []string{"verblijfsdoel:error.field_format"}},
		{"not a date", `{"nationaliteit":"SY","geboortedatum":"31-02-1990"}`, []string{"geboortedatum:error.field_format"}},
		{"unknown member", `{"nationaliteit":"SY","bsn":"123456782"}`, []string{"bsn:error.field_unknown"}},
	}
	for _, lang := range []string{"nl", "fa"} {
		for _, tt := range tests {
			t.Run(lang+"/"+tt.name, func(t *testing.T) {
				res, body := c.do(newRequest(http.MethodPost, "/v2/voorlichting/inburgeringschecks", tt.body, header("Accept-Language", lang)))
				p := mustProblem(t, res, body, http.StatusBadRequest)
				got := p.violations()
				slices.Sort(got)
				want := slices.Clone(tt.want)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("violations %v, want %v", got, want)
				}
				if res.Header.Get("Content-Language") != lang {
					t.Errorf("Content-Language %q", res.Header.Get("Content-Language"))
				}
				l, _ := c.a.Bundle.Lookup(lang)
				for _, ip := range p.InvalidParams {
					if strings.HasPrefix(ip.Code, "nn.") && ip.Reason != l.T(ip.Code, map[string]any{"Years": 130}) {
						t.Errorf("reason %q is not the %s message", ip.Reason, lang)
					}
				}
			})
		}
	}
}

// TestVoorlichtingKostenraming: the estimate equals the domain's and the page's, lists every
// figure with its valid-from date and source, and refuses impossible input.
func TestVoorlichtingKostenraming(t *testing.T) {
	c := newClient(t, testenv.Options{})
	p, v := c.a.Service.Voorlichtingsbeleid()
	course := int64(8000)
	in, err := domain.NewKostenInvoer(25000, &course, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := domain.Raming(in, p, v)
	res, out := c.do(newRequest(http.MethodPost, "/v2/voorlichting/kostenramingen",
		`{"jaarinkomenInEuro":25000,"cursusprijsInEuro":8000,"pogingenBuitenland":2,"herexamens":1}`, header("Accept-Language", "en")))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, out)
	}
	var r api.Kostenraming
	mustJSON(t, out, &r)
	got := []int64{r.ExamenBuitenlandInCenten, r.CursusInCenten, r.ExamensNederlandInCenten, r.TotaalInCenten, r.LeningMaximumInCenten, r.LeenbaarInCenten, r.ZelfTeBetalenInCenten}
	exp := []int64{int64(want.ExamenBuitenland), int64(want.Cursus), int64(want.ExamensNL), int64(want.Totaal), int64(want.LeningMaximum), int64(want.Leenbaar), int64(want.ZelfBetalen)}
	if !slices.Equal(got, exp) || r.CursusIsAanname {
		t.Errorf("estimate %v, want %v", got, exp)
	}
	if len(r.Cijfers) != len(c.a.Service.Cijfers()) {
		t.Errorf("%d figures, want %d", len(r.Cijfers), len(c.a.Service.Cijfers()))
	}
	l, _ := c.a.Bundle.Lookup("en")
	if r.Toelichting != l.T("nn.kosten.estimate_notice") {
		t.Errorf("toelichting %q", r.Toelichting)
	}
	status, page := c.page(t, "/en/naar-nederland/kosten?inkomen=25000&cursusprijs=8000&pogingen=2&herexamens=1")
	if status != http.StatusOK {
		t.Fatalf("page → %d", status)
	}
	for _, cents := range exp {
		if !strings.Contains(page, html.EscapeString(l.Money(cents))) {
			t.Errorf("the page does not show %s", l.Money(cents))
		}
	}
	// Without a course price, the assumption is used and said to be one.
	res, out = c.do(newRequest(http.MethodPost, "/v2/voorlichting/kostenramingen", `{"jaarinkomenInEuro":0}`))
	mustJSON(t, out, &r)
	if res.StatusCode != http.StatusOK || !r.CursusIsAanname || r.CursusInCenten != int64(v.CourseCostAssumption) {
		t.Errorf("without a course price: %d %s", res.StatusCode, out)
	}

	bad := []struct{ name, body, want string }{
		{"negative income", `{"jaarinkomenInEuro":-1}`, "jaarinkomenInEuro:error.field_range"},
		{"no income", `{"cursusprijsInEuro":100}`, "jaarinkomenInEuro:error.field_required"},
		{"zero attempts", `{"jaarinkomenInEuro":1,"pogingenBuitenland":0}`, "pogingenBuitenland:error.field_range"},
		{"income as text", `{"jaarinkomenInEuro":"veel"}`, "jaarinkomenInEuro:error.field_type"},
	}
	for _, tt := range bad {
		res, body := c.do(newRequest(http.MethodPost, "/v2/voorlichting/kostenramingen", tt.body))
		p := mustProblem(t, res, body, http.StatusBadRequest)
		if got := p.violations(); !slices.Equal(got, []string{tt.want}) {
			t.Errorf("%s: violations %v, want [%s]", tt.name, got, tt.want)
		}
	}
}
