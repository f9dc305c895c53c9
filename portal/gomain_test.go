package portal

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/locales"
)

// FuzzGoLayout renders the layout both ways, in Go (layoutMain) and by its template, with the
// values a request controls (the path, the back link, a name, an error's field and message, the
// title's message ID) and compares them byte for byte. Values layoutPlain refuses go to the
// template, so the two always agree; the seeds include both kinds.
func FuzzGoLayout(f *testing.F) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		f.Fatal(err)
	}
	r, err := NewRenderer()
	if err != nil {
		f.Fatal(err)
	}
	if err := r.Localize(b); err != nil {
		f.Fatal(err)
	}
	langs := b.Languages()
	for _, s := range [][6]string{
		{"/mijn", "", "Yusuf", "", "", "overview.title"},
		{"/mijn/termijn", "/nl/mijn", "Ana & \"Bo\" <b>+", "datum-dag", "Vul een <dag> in & 'zo'", "term.title"},
		{"/naar-nederland/check", "/nl/naar-nederland/check?x=SY&stap=1", "", "", "", "nn.check.title"},
		{"/a b/é", "javascript:alert(1)", "\x00\uFFFD", "a#b", "", ""},
		{"/mijn", "//evil.example/x", "ي", "veld.1", "+", "no.such.id"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5], uint8(0), true)
	}
	nl, _ := b.Lookup("nl")
	if !layoutPlain(&View{L: nl, Path: "/mijn", Back: "/nl/mijn", BaseURL: "https://inburgering.example", Static: r.StaticURL,
		Errors: []FieldError{{Field: "datum-dag"}}}) {
		f.Fatal("a plain view is not rendered in Go: the fuzz test would compare nothing")
	}
	f.Fuzz(func(t *testing.T, path, back, name, field, msg, title string, lang uint8, user bool) {
		l := langs[int(lang)%len(langs)]
		loc, _ := b.Lookup(l.Code)
		v := &View{L: loc, Languages: langs, Path: path, Back: back, BaseURL: "https://inburgering.example", CSRF: "tok+/=",
			TitleID: title, Static: r.StaticURL, Demo: lang%2 == 0, main: "<p>x</p>", head: template.HTML(`<meta name="x">`)}
		if user {
			v.User = &User{Name: name, Staff: lang%3 == 0, SessionLeft: 900, SessionMinutes: 15}
		}
		if field != "" || msg != "" {
			v.Errors = []FieldError{{Field: field, Message: msg}}
		}
		var want bytes.Buffer
		if err := r.localized[l.Code][layoutSet].ExecuteTemplate(&want, "layout", v); err != nil {
			t.Skip(err) // a value the template itself refuses (invalid in its context)
		}
		if !layoutPlain(v) {
			return
		}
		var got strings.Builder
		layoutMain(&pageWriter{b: &got, v: v})
		if got.String() != want.String() {
			t.Fatalf("%s: Go layout differs from the template at byte %d\n got: %q\nwant: %q", l.Code,
				firstDiff([]byte(got.String()), want.Bytes()), got.String(), want.String())
		}
	})
}

// FuzzPageWriterText checks the Go writer's escaping against html/template's, in text, in a
// quoted attribute and in <title>, for plain text and for HTML.
func FuzzPageWriterText(f *testing.F) {
	for _, s := range []string{"", "a & b", `"'<>+`, "\x00", "&amp; <b>x</b>", "\xff\uFFFD", "ي +"} {
		f.Add(s)
	}
	oracle := template.Must(template.New("").Parse(`<p title="{{.S}}">{{.S}}</p><title>{{.S}}|{{.H}}</title>`))
	f.Fuzz(func(t *testing.T, s string) {
		var want strings.Builder
		if err := oracle.Execute(&want, map[string]any{"S": s, "H": template.HTML(s)}); err != nil {
			t.Skip(err)
		}
		var got strings.Builder
		w := &pageWriter{b: &got}
		w.raw(`<p title="`)
		w.text(s)
		w.raw(`">`)
		w.text(Fixed(s))
		w.raw(`</p><title>`)
		w.rcdata(s)
		w.raw("|")
		w.rcdata(template.HTML(s))
		w.raw(`</title>`)
		if got.String() != want.String() {
			t.Fatalf("got  %q\nwant %q", got.String(), want.String())
		}
	})
}
