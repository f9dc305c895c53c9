package portal

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/locales"
)

// noTranslate returns the texts of the <span translate="no"> elements in the HTML fragment s,
// and its text as a reader sees it.
func noTranslate(t *testing.T, s string) (spans []string, all string) {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var rec func(n *html.Node, in bool)
	rec = func(n *html.Node, in bool) {
		if n.Type == html.ElementNode {
			if n.Data != "span" {
				t.Errorf("element <%s> in a translated sentence: %q", n.Data, s)
			}
			tn := false
			for _, a := range n.Attr {
				tn = tn || (a.Key == "translate" && a.Val == "no")
			}
			if !tn || in {
				t.Errorf("span without translate=no, or nested: %q", s)
			}
			var sb strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type != html.TextNode {
					t.Errorf("markup inside a fixed value: %q", s)
				}
				sb.WriteString(c.Data)
			}
			spans = append(spans, sb.String())
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c, in || n.Type == html.ElementNode)
		}
	}
	for _, n := range nodes {
		rec(n, false)
	}
	return spans, b.String()
}

// TestFixedValuesInSentences: dates, amounts, names and references inserted into a translated
// sentence carry translate="no", in every language, with every character still escaped; a
// sentence without such values stays plain text; in an attribute the marking is dropped, the
// text stays.
func TestFixedValuesInSentences(t *testing.T) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	school := `Taal & "Co" <b>school</b>`
	for _, lang := range b.Languages() {
		l, _ := b.Lookup(lang.Code)
		v := &View{L: l}
		t.Run(lang.Code, func(t *testing.T) {
			amount, date := v.Money(123456), v.Date(domain.Date{Year: 2027, Month: 3, Day: 9})
			cases := []struct {
				name  string
				got   any
				plain string
				want  []string
			}{
				{"name and amount", v.T("invoice.reason_hint", "School", v.Fix(school), "Amount", amount),
					l.T("invoice.reason_hint", map[string]any{"School": school, "Amount": string(amount)}), []string{school, string(amount)}},
				{"amount and date", v.T("medical.fee_paid", "Amount", amount, "Date", date),
					l.T("medical.fee_paid", map[string]any{"Amount": string(amount), "Date": string(date)}), []string{string(amount), string(date)}},
				{"message parameters", v.TM("bericht.boete_vooraankondiging.inhoud", v.MessageParams(map[string]string{
					"Bedrag": "62500", "Kenmerk": "BT-2026-0042", "Reactiedatum": "2027-01-15", "Telefoon": "050 599 9800", "Postadres": "Postbus 1, Groningen"})),
					l.T("bericht.boete_vooraankondiging.inhoud", l.MessageParams(map[string]string{
						"Bedrag": "62500", "Kenmerk": "BT-2026-0042", "Reactiedatum": "2027-01-15", "Telefoon": "050 599 9800", "Postadres": "Postbus 1, Groningen"})),
					[]string{l.Money(62500), l.Isolate("BT-2026-0042"), l.Date(2027, 1, 15)}},
				{"months stay translatable", v.TM("bericht.verlenging_toegekend.inhoud", v.MessageParams(map[string]string{"Maanden": "6", "Kenmerk": "MA-1"})),
					l.T("bericht.verlenging_toegekend.inhoud", l.MessageParams(map[string]string{"Maanden": "6", "Kenmerk": "MA-1"})), []string{l.Isolate("MA-1")}},
			}
			for _, c := range cases {
				h, ok := c.got.(template.HTML)
				if !ok {
					t.Errorf("%s: %T, want template.HTML", c.name, c.got)
					continue
				}
				spans, all := noTranslate(t, string(h))
				if all != c.plain {
					t.Errorf("%s: reads %q, want %q", c.name, all, c.plain)
				}
				for _, w := range c.want {
					if !contains(spans, w) {
						t.Errorf("%s: %q not in a translate=no span (spans %q)", c.name, w, spans)
					}
				}
				if strings.Contains(string(h), "<b>") || strings.ContainsRune(string(h), '\uE000') {
					t.Errorf("%s: unescaped markup or a placeholder left: %q", c.name, h)
				}
			}
			if s, ok := v.T("overview.intro", "Name", "Amal").(string); !ok || s != l.T("overview.intro", map[string]any{"Name": "Amal"}) {
				t.Errorf("a sentence without fixed values: %#v", v.T("overview.intro", "Name", "Amal"))
			}
			tpl := template.Must(template.New("").Parse(`<p title="{{.T "medical.fee_paid" "Amount" (.Money 500) "Date" (.Date .Today)}}">{{.T "medical.fee_paid" "Amount" (.Money 500) "Date" (.Date .Today)}}</p>`))
			v.Today = domain.Date{Year: 2027, Month: 3, Day: 9}
			var buf bytes.Buffer
			if err := tpl.Execute(&buf, v); err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(buf.String(), `<span translate="no">`); n != 2 {
				t.Errorf("rendered: %d marked values, want 2 (none in the attribute): %s", n, buf.String())
			}
			if !strings.Contains(buf.String(), `title="`+template.HTMLEscapeString(l.T("medical.fee_paid", map[string]any{"Amount": l.Money(500), "Date": string(date)}))+`"`) {
				t.Errorf("attribute lost its text: %s", buf.String())
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
