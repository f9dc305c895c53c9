package domain

import (
	"testing"
	"time"
)

func medDate(d Date) *Date { return &d }

// atStage builds a request that has reached stage f, with its dates filled in.
func atStage(f MedischeFase, consent ToestemmingStatus) MedischeAanvraag {
	a := MedischeAanvraag{AangevraagdOp: NewDate(2026, 3, 2), Leges: 225_00, Toestemming: ToestemmingOpen}
	steps := map[MedischeFase]func(){
		FaseBetaald:          func() { a.BetaaldOp = medDate(NewDate(2026, 3, 9)) },
		FaseOnderzoekGepland: func() { a.OnderzoekGepland = medDate(NewDate(2026, 5, 4)) },
		FaseOnderzocht:       func() { a.OnderzochtOp = medDate(NewDate(2026, 7, 1)) },
		FaseAdviesGereed: func() {
			a.AdviesGereedOp, a.ReactieUiterlijk, a.Advies = medDate(NewDate(2026, 9, 1)), medDate(NewDate(2026, 9, 15)), "advies"
		},
		FaseKeuze: func() {
			at := time.Date(2026, 9, 3, 10, 0, 0, 0, time.UTC)
			a.Toestemming, a.ToestemmingGewijzigd = consent, &at
		},
		FaseBesloten: func() { a.Besluit = &MedischBesluit{Uitkomst: UitkomstToegekend, Datum: NewDate(2026, 10, 1)} },
	}
	for _, s := range MedischeFasen[1:] {
		if f == FaseAangevraagd {
			break
		}
		steps[s]()
		if s == f {
			break
		}
	}
	return a
}

func TestMedischeFaseAndAanZet(t *testing.T) {
	waiting := atStage(FaseOnderzoekGepland, "")
	waiting.WachtOpBehandelaar = true
	for _, tc := range []struct {
		name  string
		a     MedischeAanvraag
		fase  MedischeFase
		actor Actor
	}{
		{"requested: the fee is due", atStage(FaseAangevraagd, ""), FaseAangevraagd, ActorInburgeraar},
		{"paid: Argonaut plans", atStage(FaseBetaald, ""), FaseBetaald, ActorArgonaut},
		{"waiting for the treating doctor", waiting, FaseOnderzoekGepland, ActorBehandelaar},
		{"examined: Argonaut writes the advice", atStage(FaseOnderzocht, ""), FaseOnderzocht, ActorArgonaut},
		{"advice ready: the person chooses", atStage(FaseAdviesGereed, ""), FaseAdviesGereed, ActorInburgeraar},
		{"consented: DUO decides", atStage(FaseKeuze, ToestemmingGegeven), FaseKeuze, ActorDUO},
		{"blocked: DUO decides without the advice", atStage(FaseKeuze, ToestemmingGeblokkeerd), FaseKeuze, ActorDUO},
		{"decided: nobody", atStage(FaseBesloten, ToestemmingGegeven), FaseBesloten, ActorNiemand},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.Fase(); got != tc.fase {
				t.Errorf("Fase = %s, want %s", got, tc.fase)
			}
			if got := tc.a.AanZet(); got != tc.actor {
				t.Errorf("AanZet = %s, want %s", got, tc.actor)
			}
		})
	}
}

func TestMedischeStappen(t *testing.T) {
	a := atStage(FaseOnderzocht, "")
	steps := a.Stappen()
	if len(steps) != len(MedischeFasen) {
		t.Fatalf("%d steps", len(steps))
	}
	for i, s := range steps {
		done := i <= 3
		if s.Gedaan != done || s.Huidig != (i == 3) || (s.Datum != nil) != done {
			t.Errorf("step %s: %+v", s.Fase, s)
		}
	}
	if *steps[3].Datum != NewDate(2026, 7, 1) {
		t.Errorf("examined on %v", steps[3].Datum)
	}
	decided := atStage(FaseBesloten, ToestemmingGegeven)
	last := decided.Stappen()
	if k := last[5]; k.Datum == nil || *k.Datum != NewDate(2026, 9, 3) || !k.Gedaan {
		t.Errorf("choice step %+v", k)
	}
	if b := last[6]; !b.Huidig || b.Datum == nil || *b.Datum != NewDate(2026, 10, 1) {
		t.Errorf("decision step %+v", b)
	}
}

// The blocking right as a state machine: every state × every choice.
func TestBlokkeringsrechtChoose(t *testing.T) {
	type want struct {
		to  ToestemmingStatus
		err string
	}
	for _, tc := range []struct {
		name string
		a    MedischeAanvraag
		k    Keuze
		want want
	}{
		{"consent before the advice", atStage(FaseOnderzocht, ""), KeuzeToestemming, want{err: "error.consent_not_at_advice"}},
		{"block before the advice", atStage(FaseBetaald, ""), KeuzeBlokkeren, want{err: "error.consent_not_at_advice"}},
		{"open → consent", atStage(FaseAdviesGereed, ""), KeuzeToestemming, want{to: ToestemmingGegeven}},
		{"open → block", atStage(FaseAdviesGereed, ""), KeuzeBlokkeren, want{to: ToestemmingGeblokkeerd}},
		{"open → withdraw: nothing to withdraw", atStage(FaseAdviesGereed, ""), KeuzeIntrekken, want{err: "error.consent_nothing_to_withdraw"}},
		{"consenting twice", atStage(FaseKeuze, ToestemmingGegeven), KeuzeToestemming, want{err: "error.consent_already_given"}},
		{"consent → withdraw", atStage(FaseKeuze, ToestemmingGegeven), KeuzeIntrekken, want{to: ToestemmingIngetrokken}},
		{"consent → block: withdraw instead", atStage(FaseKeuze, ToestemmingGegeven), KeuzeBlokkeren, want{err: "error.consent_withdraw_instead"}},
		{"block → consent", atStage(FaseKeuze, ToestemmingGeblokkeerd), KeuzeToestemming, want{to: ToestemmingGegeven}},
		{"blocking twice", atStage(FaseKeuze, ToestemmingGeblokkeerd), KeuzeBlokkeren, want{err: "error.consent_already_blocked"}},
		{"block → withdraw", atStage(FaseKeuze, ToestemmingGeblokkeerd), KeuzeIntrekken, want{err: "error.consent_nothing_to_withdraw"}},
		{"withdrawn → consent again", atStage(FaseKeuze, ToestemmingIngetrokken), KeuzeToestemming, want{to: ToestemmingGegeven}},
		{"withdrawn → block", atStage(FaseKeuze, ToestemmingIngetrokken), KeuzeBlokkeren, want{err: "error.consent_already_blocked"}},
		{"consent after the decision", atStage(FaseBesloten, ToestemmingGeblokkeerd), KeuzeToestemming, want{err: "error.consent_after_decision"}},
		{"withdraw after the decision", atStage(FaseBesloten, ToestemmingGegeven), KeuzeIntrekken, want{err: "error.consent_after_decision"}},
		{"unknown choice", atStage(FaseAdviesGereed, ""), Keuze("misschien"), want{err: "error.consent_choice_required"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.a.Choose(tc.k)
			if tc.want.err != "" {
				var de *Error
				if err == nil || !asError(err, &de) || de.MessageID != tc.want.err {
					t.Fatalf("Choose(%s) = %s, %v; want error %s", tc.k, got, err, tc.want.err)
				}
				return
			}
			if err != nil || got != tc.want.to {
				t.Fatalf("Choose(%s) = %s, %v; want %s", tc.k, got, err, tc.want.to)
			}
		})
	}
}

func errorsAs(err error, de **Error) bool {
	e, ok := err.(*Error)
	*de = e
	return ok
}

// asError unwraps err; a KindInvalid error stands for the message of its first violation.
func asError(err error, de **Error) bool {
	e, ok := err.(*Error)
	if ok && e.Kind == KindInvalid && len(e.Violations) > 0 {
		e = &Error{Kind: e.Kind, MessageID: e.Violations[0].MessageID}
	}
	*de = e
	return ok
}

func TestChoicesOffered(t *testing.T) {
	for _, tc := range []struct {
		a    MedischeAanvraag
		want []Keuze
	}{
		{atStage(FaseOnderzocht, ""), nil},
		{atStage(FaseAdviesGereed, ""), []Keuze{KeuzeToestemming, KeuzeBlokkeren}},
		{atStage(FaseKeuze, ToestemmingGegeven), []Keuze{KeuzeIntrekken}},
		{atStage(FaseKeuze, ToestemmingGeblokkeerd), []Keuze{KeuzeToestemming}},
		{atStage(FaseBesloten, ToestemmingGegeven), nil},
	} {
		got := tc.a.Choices()
		if len(got) != len(tc.want) {
			t.Errorf("%s/%s: %v, want %v", tc.a.Fase(), tc.a.Toestemming, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s/%s: %v, want %v", tc.a.Fase(), tc.a.Toestemming, got, tc.want)
			}
		}
	}
}

func TestStaffAdviceOnlyAfterConsent(t *testing.T) {
	for _, tc := range []struct {
		a    MedischeAanvraag
		kind Kind
	}{
		{atStage(FaseOnderzocht, ""), KindConflict},
		{atStage(FaseAdviesGereed, ""), KindForbidden},
		{atStage(FaseKeuze, ToestemmingGeblokkeerd), KindForbidden},
		{atStage(FaseKeuze, ToestemmingIngetrokken), KindForbidden},
		{atStage(FaseKeuze, ToestemmingGegeven), ""},
		{atStage(FaseBesloten, ToestemmingGegeven), ""},
		{atStage(FaseBesloten, ToestemmingGeblokkeerd), KindForbidden},
	} {
		err := tc.a.CanStaffReadAdvice()
		if tc.kind == "" && err != nil || tc.kind != "" && ErrorKind(err) != tc.kind {
			t.Errorf("%s/%s: %v, want kind %q", tc.a.Fase(), tc.a.Toestemming, err, tc.kind)
		}
	}
}

func TestCanDecide(t *testing.T) {
	open := atStage(FaseAdviesGereed, "") // deadline 15 Sep 2026
	for _, tc := range []struct {
		name  string
		a     MedischeAanvraag
		today Date
		err   string
	}{
		{"before the advice", atStage(FaseOnderzocht, ""), NewDate(2026, 9, 1), "error.medical_no_advice"},
		{"no choice, deadline not passed", open, NewDate(2026, 9, 15), "error.medical_awaiting_choice"},
		{"no choice, deadline passed", open, NewDate(2026, 9, 16), ""},
		{"consented", atStage(FaseKeuze, ToestemmingGegeven), NewDate(2026, 9, 4), ""},
		{"blocked", atStage(FaseKeuze, ToestemmingGeblokkeerd), NewDate(2026, 9, 4), ""},
		{"decided twice", atStage(FaseBesloten, ToestemmingGegeven), NewDate(2026, 10, 2), "error.medical_already_decided"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.a.CanDecide(tc.today)
			var de *Error
			if tc.err == "" && err != nil || tc.err != "" && (!asError(err, &de) || de.MessageID != tc.err) {
				t.Fatalf("CanDecide = %v, want %q", err, tc.err)
			}
		})
	}
}

func TestBesluitValidate(t *testing.T) {
	for _, tc := range []struct {
		b     MedischBesluit
		field string
	}{
		{MedischBesluit{Uitkomst: UitkomstToegekend}, ""},
		{MedischBesluit{Uitkomst: UitkomstAfgewezen}, ""},
		{MedischBesluit{Uitkomst: ""}, "uitkomst"},
		{MedischBesluit{Uitkomst: UitkomstGedeeltelijk}, "onderdelen"},
		{MedischBesluit{Uitkomst: UitkomstGedeeltelijk, Onderdelen: []ComponentKind{ComponentPVT}}, "onderdelen"},
		{MedischBesluit{Uitkomst: UitkomstGedeeltelijk, Onderdelen: []ComponentKind{ComponentSpreken, ComponentSchrijven}}, ""},
		{MedischBesluit{Uitkomst: UitkomstAangepasteVoorwaarden}, "voorwaarden"},
		{MedischBesluit{Uitkomst: UitkomstAangepasteVoorwaarden, Voorwaarden: "extra tijd"}, ""},
		{MedischBesluit{Uitkomst: UitkomstVerlenging, Maanden: 0}, "maanden"},
		{MedischBesluit{Uitkomst: UitkomstVerlenging, Maanden: 61}, "maanden"},
		{MedischBesluit{Uitkomst: UitkomstVerlenging, Maanden: 6}, ""},
	} {
		err := tc.b.Validate()
		var de *Error
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%+v: %v", tc.b, err)
		case tc.field != "" && (!errorsAs(err, &de) || len(de.Violations) == 0 || de.Violations[0].Field != tc.field):
			t.Errorf("%+v: %v, want a violation of %s", tc.b, err, tc.field)
		}
	}
}

func TestDoorlooptijdAndFee(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2026, 11, 29))
	a := atStage(FaseOnderzocht, "")
	days, avg := a.Doorlooptijd(p, NewDate(2026, 11, 29))
	if days != 272 || avg != 27*7 {
		t.Errorf("Doorlooptijd = %d, %d; want 272, 189", days, avg)
	}
	if p.MedicalFee != 225_00 {
		t.Errorf("fee %d", p.MedicalFee)
	}
	decided := atStage(FaseBesloten, ToestemmingGegeven)
	if days, _ := decided.Doorlooptijd(p, NewDate(2026, 11, 29)); days != 213 {
		t.Errorf("decided request runs until the decision: %d days", days)
	}
	if !decided.LegesTerug() {
		t.Error("granted and paid: fee refunded")
	}
	decided.Besluit.Uitkomst = UitkomstAfgewezen
	if decided.LegesTerug() {
		t.Error("refused: no refund")
	}
	if atStage(FaseAangevraagd, "").LegesTerug() {
		t.Error("not paid: nothing to refund")
	}
}
