package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/portal"
)

// configForm is the settings form as the page fills it, from cfg.
func configForm(cfg domain.AfspraakConfig) url.Values {
	f := url.Values{"wijzigtermijn": {"24"}, "horizon": {"42"}}
	for _, t := range cfg.Types {
		s := string(t.Soort)
		for _, k := range t.Kanalen {
			f.Add("kanalen-"+s, string(k))
		}
		f.Set("duur-"+s, "30")
		f.Set("doelgroep-"+s, string(t.Doelgroep))
	}
	for _, k := range cfg.Kantoren {
		f.Set("adres-"+k.Code, k.Adres)
	}
	return f
}

// TestStaffAppointmentConfig: staff change a type's channels, duration and who may book it, an
// office's address, the cutoff and the horizon; the journey then offers what they set. Bad input
// gets the error summary, in every language, and changes nothing.
func TestStaffAppointmentConfig(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	s := h.app.Service
	for _, lang := range h.languages() {
		t.Run(lang, func(t *testing.T) {
			staff := h.login(lang, portal.StaffPersona)
			path := "/" + lang + "/medewerker/afspraken/instellingen"
			p := get(t, staff, path)
			wantStatus(t, p, http.StatusOK)
			h.checkPage(t, p, lang)
			mustQuery(t, p.Doc, `input#kanalen-lening[type=checkbox][value=telefoon][checked]`)
			mustQuery(t, p.Doc, `input#duur-hoorzitting[value="30"]`)

			bad := configForm(s.AfspraakConfig(ctx))
			bad.Del("kanalen-lening")
			bad.Set("duur-hoorzitting", "22")
			bad.Set("adres-groningen", "x")
			bad.Set("horizon", "999")
			p = submit(t, staff, path, bad)
			wantStatus(t, p, http.StatusBadRequest)
			h.checkPage(t, p, lang)
			wantErrorSummary(t, p, "kanalen-lening", h.msg(lang, "error.afspraak_config_channels"))
			wantErrorSummary(t, p, "duur-hoorzitting", h.msg(lang, "error.afspraak_config_duration", "Min", 5, "Max", 480))
			wantErrorSummary(t, p, "adres-groningen", h.msg(lang, "error.afspraak_config_address", "Max", 200))
			wantErrorSummary(t, p, "horizon", h.msg(lang, "error.afspraak_config_horizon", "Min", 7, "Max", 180))
			if cfg := s.AfspraakConfig(ctx); cfg.HorizonDagen != 42 {
				t.Fatalf("a refused change was stored: %+v", cfg)
			}
		})
	}

	staff := h.login("nl", portal.StaffPersona)
	path := "/nl/medewerker/afspraken/instellingen"
	good := configForm(s.AfspraakConfig(ctx))
	good["kanalen-lening"] = []string{"video"}
	good.Set("duur-lening", "20")
	good.Set("doelgroep-medische_aanvraag", "vooraankondiging")
	good.Set("adres-den-haag", "Rijnstraat 8, 2515 XP Den Haag")
	good.Set("wijzigtermijn", "48")
	good.Set("horizon", "30")
	wantRedirect(t, submit(t, staff, path, good), path+"?klaar=opgeslagen")
	p := get(t, staff, path+"?klaar=opgeslagen")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p.Path, norm(p.main(t)), norm(h.msg("nl", "staff_afspraak.config_saved")))

	cfg := s.AfspraakConfig(ctx)
	l, _ := cfg.Type(domain.SoortLening)
	m, _ := cfg.Type(domain.SoortMedisch)
	o, _ := cfg.Kantoor("den-haag")
	if len(l.Kanalen) != 1 || l.Kanalen[0] != domain.KanaalVideo || l.Duur != 20*time.Minute || m.Doelgroep != domain.DoelgroepVooraankondiging ||
		o.Adres != "Rijnstraat 8, 2515 XP Den Haag" || cfg.Wijzigtermijn != 48*time.Hour || cfg.HorizonDagen != 30 {
		t.Fatalf("stored: %+v", cfg)
	}
	// The journey follows: dawit (no pre-announcement) is offered only the loan question now,
	// over video only.
	b := h.login("nl", "dawit")
	p = get(t, b, "/nl/mijn/afspraken/nieuw")
	if got := radios(t, p, "soort"); len(got) != 1 || got[0] != "lening" {
		t.Fatalf("types offered: %v", got)
	}
	wantRedirect(t, submit(t, b, "/nl/mijn/afspraken/nieuw", url.Values{"soort": {"lening"}}), "/nl/mijn/afspraken/nieuw/kanaal")
	if got := radios(t, get(t, b, "/nl/mijn/afspraken/nieuw/kanaal"), "kanaal"); len(got) != 1 || got[0] != "video" {
		t.Fatalf("channels offered: %v", got)
	}
	// A person cannot open the settings.
	if p := get(t, b, path); p.Status == http.StatusOK {
		t.Fatalf("an inburgeraar opened the staff settings: %d", p.Status)
	}
}
