package portal

import (
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/locales"
)

func TestPretranslate(t *testing.T) {
	tr := func(id string, _ ...map[string]any) string {
		return map[string]string{"a": `Tom & Jerry's <b>"1+1"</b>`, "b": "Bee", "brace": "x {{ y"}[id]
	}
	tests := []struct {
		name, src, want string
		n               int
	}{
		{"text", `<p>{{.T "a"}}</p>`, `<p>Tom &amp; Jerry&#39;s &lt;b&gt;&#34;1&#43;1&#34;&lt;/b&gt;</p>`, 1},
		{"dollar", `{{range .X}}{{$.T "b"}}{{end}}`, `{{range .X}}Bee{{end}}`, 1},
		{"spaces", `{{ .T  "b" }}`, `Bee`, 1},
		{"quoted attribute", `<nav aria-label="{{.T "b"}}" data-label='{{.T "b"}}'>`, `<nav aria-label="Bee" data-label='Bee'>`, 2},
		{"after an action in a tag", `<td {{.X}} aria-label="{{.T "b"}}">`, `<td {{.X}} aria-label="Bee">`, 1},
		{"attribute named by an action", `<td {{.X}}="{{.T "b"}}">`, `<td {{.X}}="{{.T "b"}}">`, 0},
		{"with data", `<p>{{.T "b" "Name" .N}}</p>`, `<p>{{.T "b" "Name" .N}}</p>`, 0},
		{"dynamic id", `<p>{{.T .TitleID}}</p>`, `<p>{{.T .TitleID}}</p>`, 0},
		{"trim markers", `<p>{{- .T "b" -}}</p>`, `<p>{{- .T "b" -}}</p>`, 0},
		{"url attribute", `<a href="{{.T "b"}}">`, `<a href="{{.T "b"}}">`, 0},
		{"event attribute", `<a onclick="{{.T "b"}}">`, `<a onclick="{{.T "b"}}">`, 0},
		{"unquoted attribute", `<a title={{.T "b"}}>`, `<a title={{.T "b"}}>`, 0},
		{"script", `<script>var s = "{{.T "b"}}";</script>{{.T "b"}}`, `<script>var s = "{{.T "b"}}";</script>Bee`, 1},
		{"title", `<title>{{.T "b"}}</title>`, `<title>{{.T "b"}}</title>`, 0},
		{"translation with a delimiter", `{{.T "brace"}}`, `{{.T "brace"}}`, 0},
		{"language code in a URL and text", `<a href="/{{.L.Code}}/mijn" lang="{{$.L.Code}}">{{.L.Code}}</a>`, `<a href="/ar/mijn" lang="ar">ar</a>`, 3},
		{"language direction", `<html dir="{{.L.Dir}}">`, `<html dir="rtl">`, 1},
		{"language code in a script or event attribute", `<a onclick="{{.L.Code}}"><script>{{.L.Code}}</script>`, `<a onclick="{{.L.Code}}"><script>{{.L.Code}}</script>`, 0},
		{"language code unquoted or trimmed", `<a lang={{.L.Code}}>{{- .L.Code}}`, `<a lang={{.L.Code}}>{{- .L.Code}}`, 0},
		{"legal term in text", `<h2>{{.T "b"}} {{$.Legal "lening"}}</h2>`, `<h2>Bee <i>lening</i></h2>`, 2},
		{"legal term in an attribute or with a variable", `<a title="{{.Legal "x"}}">{{.Legal $t}}`, `<a title="{{.Legal "x"}}">{{.Legal $t}}`, 0},
		{"static file", `<link href="{{call .Static "app.css"}}">`, `<link href="/static/app.0123abcd.css">`, 1},
		{"static file with an unsafe or unknown URL", `<script src="{{call .Static "x.js"}}"></script><img src="{{call .Static "none"}}">`, `<script src="{{call .Static "x.js"}}"></script><img src="{{call .Static "none"}}">`, 0},
	}
	pre := &preset{lits: langLiterals(i18n.Language{Code: "ar", Dir: "rtl"}),
		legal: func(term string) string { return "<i>" + term + "</i>" },
		static: func(name string) string {
			return map[string]string{"app.css": "/static/app.0123abcd.css", "x.js": "/static/x y.js"}[name]
		}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, n := pretranslate(tc.src, tr, pre)
			if got != tc.want || n != tc.n {
				t.Errorf("pretranslate(%q) = %q, %d; want %q, %d", tc.src, got, n, tc.want, tc.n)
			}
		})
	}
	// The escaping is html/template's own, in text and in a quoted attribute.
	ref := template.Must(template.New("").Parse(`<p title="{{.}}">{{.}}</p>`))
	var b strings.Builder
	if err := ref.Execute(&b, tr("a")); err != nil {
		t.Fatal(err)
	}
	if got, _ := pretranslate(`<p title="{{.T "a"}}">{{.T "a"}}</p>`, tr, nil); got != b.String() {
		t.Errorf("escaping differs from html/template:\n got %s\nwant %s", got, b.String())
	}
}

// TestLocalizedSets: every language gets every page, with most static text translated in
// advance. That each of them renders byte for byte what the reflective set renders is checked on
// every page render in the test binary (VerifyPretranslated), so the page tests in every language
// (TestEveryPageInEveryLanguage, TestMijnPagesForEveryPersona, …) compare both paths; the last part
// shows that check fails on a difference.
func TestLocalizedSets(t *testing.T) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	if !VerifyPretranslated {
		t.Fatal("verification is off in the test binary")
	}
	if err := r.Localize(b); err != nil {
		t.Fatal(err)
	}
	if len(r.localized) != len(b.Languages()) || len(b.Languages()) < 9 {
		t.Fatalf("%d localized sets for %d languages", len(r.localized), len(b.Languages()))
	}
	for code, pages := range r.localized {
		if len(pages) != len(r.pages) {
			t.Errorf("%s: %d pages, want %d", code, len(pages), len(r.pages))
		}
	}
	total := 0
	names, _ := templateFS.ReadDir("templates")
	for _, n := range names {
		src, _ := templateFS.ReadFile("templates/" + n.Name())
		_, k := pretranslate(string(src), func(id string, _ ...map[string]any) string { return id }, nil)
		total += k
	}
	if total < 150 {
		t.Errorf("only %d static translations replaced", total)
	}

	nl, _ := b.Lookup("nl")
	render := func() (int, string, error) {
		e := echo.New()
		rec := httptest.NewRecorder()
		c := e.NewContext(httptest.NewRequest(http.MethodGet, "/nl/toegankelijkheid", nil), rec)
		err := r.Render(c, http.StatusOK, "toegankelijkheid", &View{L: nl, Languages: b.Languages(), TitleID: "a11y.title"})
		return rec.Code, rec.Body.String(), err
	}
	if _, body, err := render(); err != nil || !strings.Contains(body, escapeText(nl.T("a11y.title"))) {
		t.Fatalf("render: %v\n%s", err, body)
	}
	// A pre-translated set that says something else is caught.
	wrong, err := parsePages(func(_, src string) string {
		s, _ := pretranslate(src, func(id string, _ ...map[string]any) string { return "≠" + nl.T(id) }, nil)
		return s
	})
	if err != nil {
		t.Fatal(err)
	}
	r.localized["nl"] = wrong
	if _, _, err := render(); err == nil || !strings.Contains(err.Error(), "differs") {
		t.Errorf("a wrong pre-translated page rendered without error: %v", err)
	}
}
