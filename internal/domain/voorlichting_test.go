package domain

import (
	"errors"
	"slices"
	"testing"
)

func ptrDate(d Date) *Date { return &d }

// TestCheckEveryGround covers every exemption ground of §9 (and §2 for the obligation in the
// Netherlands), the Turkish case where the IND decides, and the people no ground exempts.
func TestCheckEveryGround(t *testing.T) {
	today := NewDate(2026, 12, 1)
	v := DefaultVoorlichting().At(today)
	adult := ptrDate(NewDate(1995, 6, 15))
	tests := []struct {
		name       string
		a          CheckAntwoorden
		wantExamen Checkantwoord
		wantPlicht Checkantwoord
		wantGround []Grond
		wantNext   Vraag // "" when complete
	}{
		{"Dutch national", CheckAntwoorden{Nationaliteit: "NL"}, CheckNee, CheckNee, []Grond{GrondNederlander}, ""},
		{"EU national (Poland)", CheckAntwoorden{Nationaliteit: "PL"}, CheckNee, CheckNee, []Grond{GrondEUEER}, ""},
		{"EEA national (Norway)", CheckAntwoorden{Nationaliteit: "NO"}, CheckNee, CheckNee, []Grond{GrondEUEER}, ""},
		{"Swiss national", CheckAntwoorden{Nationaliteit: "CH"}, CheckNee, CheckNee, []Grond{GrondEUEER}, ""},
		{"United Kingdom: exempt abroad, asked on", CheckAntwoorden{Nationaliteit: "GB"}, CheckNee, CheckJa, []Grond{GrondNationaliteit}, VraagGeboortedatum},
		{"United States, adult, partner Dutch: must integrate in NL only", CheckAntwoorden{Nationaliteit: "US", Geboortedatum: adult, Verblijfsdoel: DoelGezin, Partnerstatus: PartnerNederlander, Opleiding: OpleidingGeen}, CheckNee, CheckJa, []Grond{GrondNationaliteit}, ""},
		{"Monaco", CheckAntwoorden{Nationaliteit: "MC"}, CheckNee, CheckJa, []Grond{GrondNationaliteit}, VraagGeboortedatum},
		{"Australia", CheckAntwoorden{Nationaliteit: "AU"}, CheckNee, CheckJa, []Grond{GrondNationaliteit}, VraagGeboortedatum},
		{"Canada", CheckAntwoorden{Nationaliteit: "CA"}, CheckNee, CheckJa, []Grond{GrondNationaliteit}, VraagGeboortedatum},
		{"Japan", CheckAntwoorden{Nationaliteit: "JP"}, CheckNee, CheckJa, []Grond{GrondNationaliteit}, VraagGeboortedatum},
		{"New Zealand", CheckAntwoorden{Nationaliteit: "NZ"}, CheckNee, CheckJa, []Grond{GrondNationaliteit}, VraagGeboortedatum},
		{"Vatican City", CheckAntwoorden{Nationaliteit: "VA"}, CheckNee, CheckJa, []Grond{GrondNationaliteit}, VraagGeboortedatum},
		{"South Korea", CheckAntwoorden{Nationaliteit: "KR"}, CheckNee, CheckJa, []Grond{GrondNationaliteit}, VraagGeboortedatum},
		{"US national under 18: not obliged either", CheckAntwoorden{Nationaliteit: "US", Geboortedatum: ptrDate(NewDate(2010, 1, 1))}, CheckNee, CheckNee, []Grond{GrondNationaliteit, GrondJongerDan18}, ""},
		{"Turkish national, no other ground: the IND decides", CheckAntwoorden{Nationaliteit: "TR", Geboortedatum: adult, Verblijfsdoel: DoelGezin, Partnerstatus: PartnerNederlander, Opleiding: OpleidingGeen}, CheckINDBeslist, CheckINDBeslist, []Grond{GrondTurks}, ""},
		{"Turkish national under 18: exempt anyway", CheckAntwoorden{Nationaliteit: "TR", Geboortedatum: ptrDate(NewDate(2012, 3, 3))}, CheckNee, CheckNee, []Grond{GrondTurks, GrondJongerDan18}, ""},
		{"younger than 18: one day before the birthday", CheckAntwoorden{Nationaliteit: "SY", Geboortedatum: ptrDate(NewDate(2008, 12, 2))}, CheckNee, CheckNee, []Grond{GrondJongerDan18}, ""},
		{"18 today: no age ground", CheckAntwoorden{Nationaliteit: "SY", Geboortedatum: ptrDate(NewDate(2008, 12, 1))}, CheckJa, CheckJa, nil, VraagVerblijfsdoel},
		{"state pension age reached today", CheckAntwoorden{Nationaliteit: "MA", Geboortedatum: ptrDate(NewDate(1959, 12, 1))}, CheckNee, CheckNee, []Grond{GrondAOWLeeftijd}, ""},
		{"one day short of state pension age", CheckAntwoorden{Nationaliteit: "MA", Geboortedatum: ptrDate(NewDate(1959, 12, 2))}, CheckJa, CheckJa, nil, VraagVerblijfsdoel},
		{"temporary: study", CheckAntwoorden{Nationaliteit: "IN", Geboortedatum: adult, Verblijfsdoel: DoelStudie}, CheckNee, CheckNee, []Grond{GrondTijdelijk}, ""},
		{"temporary: work", CheckAntwoorden{Nationaliteit: "IN", Geboortedatum: adult, Verblijfsdoel: DoelWerk}, CheckNee, CheckNee, []Grond{GrondTijdelijk}, ""},
		{"temporary: au pair", CheckAntwoorden{Nationaliteit: "PH", Geboortedatum: adult, Verblijfsdoel: DoelAuPair}, CheckNee, CheckNee, []Grond{GrondTijdelijk}, ""},
		{"temporary: exchange", CheckAntwoorden{Nationaliteit: "BR", Geboortedatum: adult, Verblijfsdoel: DoelUitwisseling}, CheckNee, CheckNee, []Grond{GrondTijdelijk}, ""},
		{"temporary: medical treatment", CheckAntwoorden{Nationaliteit: "NG", Geboortedatum: adult, Verblijfsdoel: DoelMedisch}, CheckNee, CheckNee, []Grond{GrondTijdelijk}, ""},
		{"holds a Dutch permit, changes its purpose", CheckAntwoorden{Nationaliteit: "CN", Geboortedatum: adult, Verblijfsdoel: DoelWijziging}, CheckNee, CheckINDBeslist, []Grond{GrondWijziging}, VraagOpleiding},
		{"family of an EU citizen who moved freely", CheckAntwoorden{Nationaliteit: "UA", Geboortedatum: adult, Verblijfsdoel: DoelGezin, Partnerstatus: PartnerEUBurger}, CheckNee, CheckNee, []Grond{GrondGezinEUBurger}, ""},
		{"family of an asylum permit holder: exempt abroad, obliged in NL", CheckAntwoorden{Nationaliteit: "ER", Geboortedatum: adult, Verblijfsdoel: DoelGezin, Partnerstatus: PartnerAsielstatushouder, Opleiding: OpleidingGeen}, CheckNee, CheckJa, []Grond{GrondGezinAsiel}, ""},
		{"family of someone staying temporarily", CheckAntwoorden{Nationaliteit: "IN", Geboortedatum: adult, Verblijfsdoel: DoelGezin, Partnerstatus: PartnerTijdelijk}, CheckNee, CheckNee, []Grond{GrondGezinTijdelijk}, ""},
		{"Surinamese with primary education in Dutch", CheckAntwoorden{Nationaliteit: "SR", Geboortedatum: adult, Verblijfsdoel: DoelGezin, Partnerstatus: PartnerNederlander, Opleiding: OpleidingSuriname}, CheckNee, CheckJa, []Grond{GrondSuriname}, ""},
		{"8 years at school in NL at compulsory-school age", CheckAntwoorden{Nationaliteit: "MA", Geboortedatum: adult, Verblijfsdoel: DoelGezin, Partnerstatus: PartnerNederlander, Opleiding: OpleidingAchtJaarNL}, CheckNee, CheckNee, []Grond{GrondAchtJaarLeerplicht}, ""},
		{"no ground: partner Dutch", CheckAntwoorden{Nationaliteit: "SY", Geboortedatum: adult, Verblijfsdoel: DoelGezin, Partnerstatus: PartnerNederlander, Opleiding: OpleidingGeen}, CheckJa, CheckJa, nil, ""},
		{"no ground: partner with a lasting permit", CheckAntwoorden{Nationaliteit: "AF", Geboortedatum: adult, Verblijfsdoel: DoelGezin, Partnerstatus: PartnerVerblijfsvergunning, Opleiding: OpleidingGeen}, CheckJa, CheckJa, nil, ""},
		{"another lasting purpose: no partner question", CheckAntwoorden{Nationaliteit: "SO", Geboortedatum: adult, Verblijfsdoel: DoelAnders, Opleiding: OpleidingGeen}, CheckJa, CheckJa, nil, ""},
		{"family purpose asks the partner", CheckAntwoorden{Nationaliteit: "SO", Geboortedatum: adult, Verblijfsdoel: DoelGezin}, CheckJa, CheckJa, nil, VraagPartnerstatus},
		{"nothing answered", CheckAntwoorden{}, CheckJa, CheckJa, nil, VraagNationaliteit},
		{"Surinamese option from a non-Surinamese is no ground", CheckAntwoorden{Nationaliteit: "GY", Geboortedatum: adult, Verblijfsdoel: DoelAnders, Opleiding: OpleidingSuriname}, CheckJa, CheckJa, nil, ""},
	}
	covered := map[Grond]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(tt.a, today, v)
			if got.BasisexamenBuitenland != tt.wantExamen || got.Inburgeringsplicht != tt.wantPlicht {
				t.Errorf("exam abroad %s, obliged %s; want %s, %s", got.BasisexamenBuitenland, got.Inburgeringsplicht, tt.wantExamen, tt.wantPlicht)
			}
			var grounds []Grond
			for _, r := range got.Regels {
				grounds = append(grounds, r.Grond)
				covered[r.Grond] = true
				if r.Bron == "" || r.Zekerheid == "" {
					t.Errorf("ground %s has no source", r.Grond)
				}
			}
			if !slices.Equal(grounds, tt.wantGround) {
				t.Errorf("grounds %v, want %v", grounds, tt.wantGround)
			}
			if got.Volgende != tt.wantNext || got.Compleet != (tt.wantNext == "") {
				t.Errorf("next %q complete %v, want next %q", got.Volgende, got.Compleet, tt.wantNext)
			}
		})
	}
	for g := range Regels {
		if !covered[g] {
			t.Errorf("no test case covers ground %s", g)
		}
	}
}

func TestParseCheckAnswers(t *testing.T) {
	today := NewDate(2026, 12, 1)
	v := DefaultVoorlichting().At(today)
	dates := []struct {
		y, m, d int
		wantID  string
	}{
		{1990, 2, 28, ""},
		{2000, 2, 29, ""},
		{2001, 2, 29, "nn.error.date_invalid"},
		{1990, 13, 1, "nn.error.date_invalid"},
		{1990, 0, 1, "nn.error.date_invalid"},
		{1990, 4, 31, "nn.error.date_invalid"},
		{0, 1, 1, "nn.error.date_invalid"},
		{2026, 12, 1, ""},
		{2026, 12, 2, "nn.error.date_future"},
		{2090, 1, 1, "nn.error.date_future"},
		{1895, 12, 2, ""}, // 130, 131 tomorrow
		{1895, 12, 1, "nn.error.date_too_old"},
	}
	for _, tt := range dates {
		_, err := ParseGeboortedatum(tt.y, tt.m, tt.d, today, v)
		if got := violationID(err); got != tt.wantID {
			t.Errorf("%04d-%02d-%02d: %q, want %q", tt.y, tt.m, tt.d, got, tt.wantID)
		}
	}
	for in, want := range map[string]string{"sy": "SY", " ER ": "ER", "XK": "XK", "XX": "", "": "", "SYR": "", "aq": ""} {
		got, err := ParseNationaliteit(in)
		if string(got) != want || (want == "") != (err != nil) {
			t.Errorf("ParseNationaliteit(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseVerblijfsdoel("vakantie"); violationID(err) != "nn.error.choose" {
		t.Errorf("unknown purpose: %v", err)
	}
	if _, err := ParsePartnerstatus(""); violationID(err) != "nn.error.choose" {
		t.Errorf("empty partner status: %v", err)
	}
	if _, err := ParseOpleiding("suriname_basisonderwijs", "MA"); violationID(err) != "nn.error.choose" {
		t.Errorf("Surinamese option for a Moroccan national: %v", err)
	}
	if o, err := ParseOpleiding("suriname_basisonderwijs", "SR"); err != nil || o != OpleidingSuriname {
		t.Errorf("Surinamese option for a Surinamese national: %v", err)
	}
}

func violationID(err error) string {
	if err == nil {
		return ""
	}
	var de *Error
	if !errors.As(err, &de) || len(de.Violations) == 0 {
		return "not a violation: " + err.Error()
	}
	return de.Violations[0].MessageID
}

func TestRaming(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2026, 12, 1))
	v := DefaultVoorlichting().At(NewDate(2026, 12, 1))
	c := func(euro int64) *int64 { return &euro }
	upTo := Cents(30_000_00)
	banded := v
	banded.LoanByIncome = []IncomeBand{{UpTo: &upTo, Maximum: 10_000_00}, {Maximum: 4_000_00}}
	tests := []struct {
		name                                      string
		v                                         VoorlichtingPolicy
		income                                    int64
		course                                    *int64
		attempts, retakes                         int
		wantAbroad, wantCourse, wantNL, wantTotal Cents
		wantLoanMax, wantBorrow, wantSelf         Cents
		wantAssumed                               bool
	}{
		{"defaults: assumed course", v, 25_000, nil, 1, 0, 150_00, 6_000_00, 250_00, 6_400_00, 10_000_00, 6_250_00, 150_00, true},
		{"own course price, two attempts abroad, two retakes", v, 0, c(8_000), 2, 2, 300_00, 8_000_00, 350_00, 8_650_00, 10_000_00, 8_350_00, 300_00, false},
		{"course above the loan maximum", v, 40_000, c(12_000), 1, 0, 150_00, 12_000_00, 250_00, 12_400_00, 10_000_00, 10_000_00, 2_400_00, false},
		{"income band: at the limit", banded, 30_000, c(8_000), 1, 0, 150_00, 8_000_00, 250_00, 8_400_00, 10_000_00, 8_250_00, 150_00, false},
		{"income band: above the limit", banded, 30_001, c(8_000), 1, 0, 150_00, 8_000_00, 250_00, 8_400_00, 4_000_00, 4_000_00, 4_400_00, false},
		{"free course", v, 10, c(0), 1, 0, 150_00, 0, 250_00, 400_00, 10_000_00, 250_00, 150_00, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := NewKostenInvoer(tt.income, tt.course, tt.attempts, tt.retakes)
			if err != nil {
				t.Fatal(err)
			}
			r := Raming(in, p, tt.v)
			got := []Cents{r.ExamenBuitenland, r.Cursus, r.ExamensNL, r.Totaal, r.LeningMaximum, r.Leenbaar, r.ZelfBetalen}
			want := []Cents{tt.wantAbroad, tt.wantCourse, tt.wantNL, tt.wantTotal, tt.wantLoanMax, tt.wantBorrow, tt.wantSelf}
			if !slices.Equal(got, want) || r.CursusAanname != tt.wantAssumed {
				t.Errorf("got %v assumed=%v, want %v assumed=%v", got, r.CursusAanname, want, tt.wantAssumed)
			}
		})
	}
}

func TestNewKostenInvoerListsEveryViolation(t *testing.T) {
	neg := int64(-1)
	_, err := NewKostenInvoer(-5, &neg, 0, 51)
	var de *Error
	if !errors.As(err, &de) {
		t.Fatalf("want a domain error, got %v", err)
	}
	var got []string
	for _, v := range de.Violations {
		got = append(got, v.Field+":"+v.MessageID)
	}
	want := []string{"inkomen:nn.error.amount_negative", "cursusprijs:nn.error.amount_negative", "pogingen:nn.error.count_range", "herexamens:nn.error.count_range"}
	if !slices.Equal(got, want) {
		t.Errorf("violations %v, want %v", got, want)
	}
	if _, err := NewKostenInvoer(10_000_001, nil, 1, 0); violationID(err) != "nn.error.amount_too_large" {
		t.Errorf("income too large: %v", err)
	}
}

func TestCijfersHaveSources(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Cijfers(DefaultPolicies(), DefaultVoorlichting(), NewDate(2026, 12, 1)) {
		if seen[f.Naam] {
			t.Errorf("figure %s twice", f.Naam)
		}
		seen[f.Naam] = true
		if f.Bron == "" || f.Zekerheid == "" || f.GeldigVanaf.IsZero() || f.Waarde <= 0 {
			t.Errorf("figure %s: incomplete %+v", f.Naam, f)
		}
	}
	if !seen["lening_maximum"] || !seen["examen_buitenland_kosten"] {
		t.Error("figures missing")
	}
}

// TestCijfersValidFrom: a figure is valid from the first version of the unbroken run that holds
// its present value, not from the latest version of the whole table.
func TestCijfersValidFrom(t *testing.T) {
	pt := DefaultPolicies() // 2022-01-01, and 2025-02-04 (Keren) with the same loan maximum
	raised := pt[1]
	raised.ValidFrom = NewDate(2026, 7, 1)
	raised.LoanMaximum = 12_000_00
	pt = append(pt, raised)
	get := func(on Date, name string) Figuur {
		for _, f := range Cijfers(pt, DefaultVoorlichting(), on) {
			if f.Naam == name {
				return f
			}
		}
		t.Fatalf("no figure %s", name)
		return Figuur{}
	}
	tests := []struct {
		on, name, wantFrom string
		want               int64
	}{
		{"2026-06-30", "lening_maximum", "2022-01-01", 10_000_00},
		{"2026-07-01", "lening_maximum", "2026-07-01", 12_000_00},
		{"2026-12-01", "pip_weken", "2022-01-01", 10},
		{"2026-12-01", "examen_buitenland_kosten", "2024-01-01", 150_00},
		{"2021-01-01", "lening_maximum", "2022-01-01", 10_000_00},
	}
	for _, tt := range tests {
		f := get(mustDate(t, tt.on), tt.name)
		if f.Waarde != tt.want || f.GeldigVanaf.String() != tt.wantFrom {
			t.Errorf("%s on %s: %d from %s, want %d from %s", tt.name, tt.on, f.Waarde, f.GeldigVanaf, tt.want, tt.wantFrom)
		}
	}
}

// FuzzParseGeboortedatum: any three numbers give either a real date on or before today, no older
// than the bound, or a violation of the birth-date question; never a panic.
func FuzzParseGeboortedatum(f *testing.F) {
	for _, s := range [][3]int{{1990, 2, 28}, {2000, 2, 29}, {2001, 2, 29}, {0, 0, 0}, {-1, 13, 32}, {9999, 12, 31}, {1 << 40, 1, 1}} {
		f.Add(s[0], s[1], s[2])
	}
	today := NewDate(2026, 12, 1)
	v := DefaultVoorlichting().At(today)
	f.Fuzz(func(t *testing.T, y, m, d int) {
		got, err := ParseGeboortedatum(y, m, d, today, v)
		if err != nil {
			var de *Error
			if !errors.As(err, &de) || len(de.Violations) != 1 || de.Violations[0].Field != string(VraagGeboortedatum) {
				t.Fatalf("(%d,%d,%d): %v", y, m, d, err)
			}
			return
		}
		if got.Year != y || int(got.Month) != m || got.Day != d || got.After(today) || AgeOn(got, today) > v.MaxAgeYears {
			t.Fatalf("(%d,%d,%d) accepted as %s", y, m, d, got)
		}
	})
}
