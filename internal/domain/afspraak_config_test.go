package domain

import (
	"strings"
	"testing"
	"time"
)

func TestAfspraakConfigApply(t *testing.T) {
	base := DefaultAfspraakConfig()
	ok := func() AfspraakConfigWijziging {
		return AfspraakConfigWijziging{
			Types: []AfspraakTypeWijziging{
				{Soort: SoortHoorzitting, Kanalen: []string{"kantoor", "telefoon"}, DuurMinuten: "45", Doelgroep: "vooraankondiging"},
				{Soort: SoortLening, Kanalen: []string{"video"}, DuurMinuten: "20", Doelgroep: "iedereen"},
			},
			Adressen:          map[string]string{"groningen": "  Kempkensberg 12,\n 9722 TB  Groningen "},
			WijzigtermijnUren: "48", HorizonDagen: "60",
		}
	}
	got, err := base.Apply(ok())
	if err != nil {
		t.Fatal(err)
	}
	h, _ := got.Type(SoortHoorzitting)
	l, _ := got.Type(SoortLening)
	g, _ := got.Kantoor("groningen")
	if h.Duur != 45*time.Minute || len(h.Kanalen) != 2 || h.Kanalen[0] != KanaalTelefoon || h.Kanalen[1] != KanaalKantoor ||
		l.Duur != 20*time.Minute || len(l.Kanalen) != 1 || l.Kanalen[0] != KanaalVideo || g.Adres != "Kempkensberg 12, 9722 TB Groningen" ||
		got.Wijzigtermijn != 48*time.Hour || got.HorizonDagen != 60 {
		t.Fatalf("applied: %+v", got)
	}
	if m, _ := base.Type(SoortMedisch); len(got.Types) != 3 || got.Types[2].Duur != m.Duur {
		t.Fatalf("an unmentioned type changed: %+v", got.Types)
	}
	if b, _ := base.Type(SoortHoorzitting); b.Duur != 30*time.Minute {
		t.Fatal("Apply changed the configuration it was called on")
	}

	for _, tc := range []struct {
		name  string
		edit  func(*AfspraakConfigWijziging)
		field string
		msg   string
	}{
		{"no channel", func(w *AfspraakConfigWijziging) { w.Types[0].Kanalen = nil }, "kanalen-hoorzitting", "error.afspraak_config_channels"},
		{"unknown channel", func(w *AfspraakConfigWijziging) { w.Types[1].Kanalen = []string{"video", "brief"} }, "kanalen-lening", "error.afspraak_config_channels"},
		{"duration not a number", func(w *AfspraakConfigWijziging) { w.Types[0].DuurMinuten = "half uur" }, "duur-hoorzitting", "error.afspraak_config_duration"},
		{"duration too short", func(w *AfspraakConfigWijziging) { w.Types[0].DuurMinuten = "0" }, "duur-hoorzitting", "error.afspraak_config_duration"},
		{"duration too long", func(w *AfspraakConfigWijziging) { w.Types[0].DuurMinuten = "485" }, "duur-hoorzitting", "error.afspraak_config_duration"},
		{"duration not in steps of 5", func(w *AfspraakConfigWijziging) { w.Types[0].DuurMinuten = "22" }, "duur-hoorzitting", "error.afspraak_config_duration"},
		{"audience unknown", func(w *AfspraakConfigWijziging) { w.Types[1].Doelgroep = "niemand" }, "doelgroep-lening", "error.afspraak_config_audience"},
		{"address too short", func(w *AfspraakConfigWijziging) { w.Adressen["groningen"] = " 12 " }, "adres-groningen", "error.afspraak_config_address"},
		{"address too long", func(w *AfspraakConfigWijziging) { w.Adressen["den-haag"] = strings.Repeat("x", 201) }, "adres-den-haag", "error.afspraak_config_address"},
		{"unknown office", func(w *AfspraakConfigWijziging) { w.Adressen["utrecht"] = "Stationsplein 1, Utrecht" }, "kantoor", "error.afspraak_kantoor_unknown"},
		{"unknown type", func(w *AfspraakConfigWijziging) { w.Types[0].Soort = "koffie" }, "soort", "error.afspraak_type_unknown"},
		{"cutoff negative", func(w *AfspraakConfigWijziging) { w.WijzigtermijnUren = "-1" }, "wijzigtermijn", "error.afspraak_config_cutoff"},
		{"cutoff over a week", func(w *AfspraakConfigWijziging) { w.WijzigtermijnUren = "169" }, "wijzigtermijn", "error.afspraak_config_cutoff"},
		{"horizon too short", func(w *AfspraakConfigWijziging) { w.HorizonDagen = "6" }, "horizon", "error.afspraak_config_horizon"},
		{"horizon too long", func(w *AfspraakConfigWijziging) { w.HorizonDagen = "181" }, "horizon", "error.afspraak_config_horizon"},
	} {
		w := ok()
		tc.edit(&w)
		out, err := base.Apply(w)
		e, isErr := err.(*Error)
		if !isErr || e.Kind != KindInvalid || len(e.Violations) != 1 || e.Violations[0].Field != tc.field || e.Violations[0].MessageID != tc.msg {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if h, _ := out.Type(SoortHoorzitting); h.Duur != 30*time.Minute || out.Wijzigtermijn != base.Wijzigtermijn {
			t.Errorf("%s: a refused change changed something: %+v", tc.name, out)
		}
	}
	// Bounds that are allowed.
	w := ok()
	w.Types[0].DuurMinuten, w.WijzigtermijnUren, w.HorizonDagen = "480", "0", "7"
	if _, err := base.Apply(w); err != nil {
		t.Errorf("bounds: %v", err)
	}
}
