package portal

import (
	"html/template"
	"strings"
	"testing"

	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/locales"
)

// langLinksOracle is the layout's former template for the two lists of languages: html/template's
// own escaping is the oracle LangAlternates and LangMenu must match byte for byte.
var langLinksOracle = template.Must(template.New("").Parse(`<head>
<link rel="canonical" href="{{.BaseURL}}/{{.L.Code}}{{.Path}}">
{{- range .Languages}}
<link rel="alternate" hreflang="{{.Code}}" href="{{$.BaseURL}}/{{.Code}}{{$.Path}}">
{{- end}}
<link rel="alternate" hreflang="x-default" href="{{.BaseURL}}/nl{{.Path}}">
</head><body><ul>
        {{- range .Languages}}
          <li><a href="/{{.Code}}{{$.Path}}" lang="{{.Code}}" hreflang="{{.Code}}"{{if eq .Code $.L.Code}} aria-current="true"{{end}}>{{.Name}}</a></li>
        {{- end}}
        </ul>`))

var langLinksNew = template.Must(template.New("").Parse(`<head>
<link rel="canonical" href="{{.BaseURL}}/{{.L.Code}}{{.Path}}">
{{- .LangAlternates}}
</head><body><ul>
        {{- .LangMenu}}
        </ul>`))

func checkLangLinks(t *testing.T, b *i18n.Bundle, code, base, path string) {
	t.Helper()
	l, ok := b.Lookup(code)
	if !ok {
		t.Fatalf("no language %s", code)
	}
	v := &View{L: l, Languages: b.Languages(), BaseURL: base, Path: path}
	var want, got strings.Builder
	if err := langLinksOracle.Execute(&want, v); err != nil {
		t.Fatal(err)
	}
	if err := langLinksNew.Execute(&got, v); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Fatalf("%s %q %q:\n got %s\nwant %s", code, base, path, got.String(), want.String())
	}
}

func TestLangLinksAsTemplate(t *testing.T) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"", "/", "/mijn", "/mijn/facturen/12/reden", "/naar-nederland/check?stap=2&x=<y>",
		`/a"b'c`, "/a+b", "/%41%zz%", "/é/ü", "/a b\tc", "/\x00", "/a#frag", "/[x]", "/~_-."}
	for _, l := range b.Languages() {
		for _, p := range paths {
			checkLangLinks(t, b, l.Code, "https://mijn.example.nl", p)
		}
	}
	checkLangLinks(t, b, "ar", "http://localhost:8080", "/mijn")
}

// FuzzLangLinks: the path comes from the request URL, so anything may arrive.
func FuzzLangLinks(f *testing.F) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"/mijn", "/a%20b", `/"><script>`, "/\u202e", "/%", "/+&="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		checkLangLinks(t, b, "fa", "https://mijn.example.nl", path)
	})
}
