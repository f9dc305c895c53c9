package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/testenv"
)

// The inburgeraar's hours overview over the seeded demo declarations: every state with its
// explanation, the hours per school (only accepted hours count) and the AGI progress on Wi2013.
func TestUrenoverzicht(t *testing.T) {
	c := newClient(t, testenv.Options{DemoDeclarations: true})
	get := func(persona, language string) api.Urenoverzicht {
		t.Helper()
		_, body := c.get(c.token(persona), "/v2/mijn/urenoverzicht", http.StatusOK, lang(language))
		var o api.Urenoverzicht
		mustJSON(t, body, &o)
		return o
	}
	statuses := map[api.EigenUrenverklaringStatus]bool{}
	tests := []struct {
		persona   string
		accepted  int
		schools   int
		agi       bool
		hoursMet  bool
		hoursLeft int
		forgery   bool
	}{
		{"yusuf", 420, 2, true, false, 180, false},
		{"olena", 60, 1, true, false, 540, false},
		{"ahmad", 620, 2, true, true, 0, true},
		{"samira", 40, 2, false, false, 0, false},
		{"amal", 0, 0, false, false, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.persona, func(t *testing.T) {
			o := get(tt.persona, "en")
			if o.GeaccepteerdeUren != tt.accepted || len(o.PerSchool) != tt.schools {
				t.Errorf("accepted %d over %d schools, want %d over %d", o.GeaccepteerdeUren, len(o.PerSchool), tt.accepted, tt.schools)
			}
			sum := 0
			for _, s := range o.PerSchool {
				sum += s.GeaccepteerdeUren
				if !strings.Contains(s.School, "(demo)") {
					t.Errorf("school name %q", s.School)
				}
			}
			if sum != tt.accepted {
				t.Errorf("per school adds up to %d, want %d", sum, tt.accepted)
			}
			if (o.Agi != nil) != tt.agi {
				t.Fatalf("AGI %+v, want present %v", o.Agi, tt.agi)
			}
			if o.Agi != nil {
				if o.Agi.VereisteUren != 600 || o.Agi.Uren != tt.accepted || o.Agi.UrenVoldaan != tt.hoursMet ||
					o.Agi.ResterendeUren != tt.hoursLeft || o.Agi.PogingenPerExamenonderdeel != 4 || o.Agi.TermijnVoldaanVanaf == nil {
					t.Errorf("AGI %+v", *o.Agi)
				}
			}
			forgery := false
			for _, d := range o.Urenverklaringen {
				statuses[d.Status] = true
				forgery = forgery || d.Vervalsing
				if d.Toelichting == "" || strings.Contains(d.Toelichting, "[hours.") || strings.Contains(d.Toelichting, "<no value>") {
					t.Errorf("declaration %d (%s): explanation %q", d.ID, d.Status, d.Toelichting)
				}
				if (d.TermijnTot != nil) != strings.Contains(d.Toelichting, "202") {
					t.Errorf("declaration %d (%s): deadline %v, explanation %q", d.ID, d.Status, d.TermijnTot, d.Toelichting)
				}
			}
			if forgery != tt.forgery {
				t.Errorf("forgery flag %v, want %v", forgery, tt.forgery)
			}
		})
	}
	// Every state of the verification is among the demo declarations.
	for _, s := range []api.EigenUrenverklaringStatus{api.EigenUrenverklaringStatusGeaccepteerd, api.EigenUrenverklaringStatusVerificatieSchool,
		api.EigenUrenverklaringStatusBewijsGevraagd, api.EigenUrenverklaringStatusBewijsOntvangen, api.EigenUrenverklaringStatusVoornemenAfwijzing,
		api.EigenUrenverklaringStatusAfgewezen} {
		if !statuses[s] {
			t.Errorf("no demo declaration in state %s", s)
		}
	}
	// The explanation follows Accept-Language.
	nl, ar := get("yusuf", "nl"), get("yusuf", "ar")
	if nl.Urenverklaringen[0].Toelichting == ar.Urenverklaringen[0].Toelichting {
		t.Error("the explanation is the same in Dutch and Arabic")
	}
	// Seeding again adds nothing.
	if n, err := c.a.Service.SeedDemoDeclarations(context.Background()); err != nil || n != 0 {
		t.Errorf("second seed: %d %v", n, err)
	}
	// A school's token does not reach the inburgeraar's own data.
	res, body := c.do(newRequest(http.MethodGet, "/v2/mijn/urenoverzicht", "", bearer(c.schoolToken("demo-taalschool-noord", "", testenv.Now).AccessToken)))
	if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusUnauthorized {
		t.Errorf("school token on /v2/mijn/urenoverzicht: %d %s", res.StatusCode, body)
	}
}
