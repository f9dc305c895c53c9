package portal_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/inburgering/portal/internal/testenv"
)

// The hours page on the seeded demo declarations: one item per declaration with its status and
// explanation, the hours per school, the AGI conditions on Wi2013 only, linked from the overview,
// in every language.
func TestHoursPage(t *testing.T) {
	h := newHarnessOpts(t, testenv.Options{DemoDeclarations: true})

	tests := []struct {
		persona      string
		declarations int
		agi          bool
		states       []string
	}{
		{"yusuf", 5, true, []string{"geaccepteerd", "verificatie_school", "bewijs_gevraagd"}},
		{"olena", 3, true, []string{"geaccepteerd", "bewijs_ontvangen", "voornemen_afwijzing"}},
		{"ahmad", 5, true, []string{"geaccepteerd", "afgewezen"}},
		{"samira", 2, false, []string{"geaccepteerd", "bewijs_gevraagd"}},
		{"amal", 0, false, nil},
	}
	for _, tt := range tests {
		b := h.login("nl", tt.persona)
		for _, lang := range h.languages() {
			t.Run(tt.persona+"/"+lang, func(t *testing.T) {
				p := get(t, b, "/"+lang+"/mijn/urenverklaringen")
				wantStatus(t, p, http.StatusOK)
				h.checkPage(t, p, lang)
				items := queryAll(t, p.Doc, "ul.declarations li.declaration")
				if len(items) != tt.declarations {
					t.Fatalf("%d declarations, want %d", len(items), tt.declarations)
				}
				body := text(p.Doc)
				for _, s := range tt.states {
					wantText(t, "page", body, h.msg(lang, "hours.status."+s))
					li := query(t, p.Doc, "li.declaration-"+s)
					if li == nil {
						t.Errorf("no declaration in state %s", s)
						continue
					}
					// Where evidence is asked, the card leads to the upload page of that declaration.
					var up *html.Node
					for _, a := range queryAll(t, li, "a") {
						if strings.HasSuffix(attrOr(a, "href"), "/bewijs") {
							up = a
						}
					}
					if (up != nil) != (s == "bewijs_gevraagd" || s == "voornemen_afwijzing") {
						t.Errorf("state %s: upload link %v", s, up != nil)
					} else if up != nil {
						if p2 := get(t, b, attrOr(up, "href")); p2.Status != http.StatusOK {
							t.Errorf("state %s: %s answers %d", s, attrOr(up, "href"), p2.Status)
						}
					}
				}
				if strings.Contains(body, "[hours.") || strings.Contains(body, "<no value>") {
					t.Error("a message is missing")
				}
				if got := query(t, p.Doc, "section[aria-labelledby=agi-heading]") != nil; got != tt.agi {
					t.Errorf("AGI section shown %v, want %v", got, tt.agi)
				}
				if tt.declarations == 0 {
					wantText(t, "page", body, h.msg(lang, "hours.none"))
				} else if query(t, p.Doc, "table.stack tbody tr th[scope=row]") == nil {
					t.Error("no hours per school")
				}
				if tt.persona == "ahmad" {
					wantText(t, "page", body, h.msg(lang, "hours.forgery"))
				}
			})
		}
		// Linked from the overview.
		ov := get(t, b, "/nl/mijn")
		if query(t, ov.Doc, `main a[href="/nl/mijn/urenverklaringen"]`) == nil {
			t.Errorf("%s: the overview does not link to the hours page", tt.persona)
		}
	}
}
