package domain

import "time"

// Medical requests (medische aanvragen) and the blocking right (blokkeringsrecht), domain.md §7.
//
// A person asks DUO for an exemption (ontheffing), a partial exemption, adjusted exam conditions or
// an extension for illness. They pay a fee, DUO's medical adviser (Argonaut) examines them, often
// after asking their treating doctor for information, and writes an advice. DUO may use that
// advice only after the person consents; they may read it first and block its use. Then DUO decides.

// MedischSoort is what a medical request asks for.
type MedischSoort string

const (
	MedischOntheffing              MedischSoort = "ontheffing"                   // full exemption
	MedischGedeeltelijkeOntheffing MedischSoort = "gedeeltelijke_ontheffing"     // exemption from some parts (Wi2021)
	MedischAangepasteVoorwaarden   MedischSoort = "aangepaste_examenvoorwaarden" // adjusted exam conditions (Wi2021)
	MedischVerlengingZiekte        MedischSoort = "verlenging_ziekte"            // extension of the term for illness
)

// MedischeSoorten lists every kind, in display order.
var MedischeSoorten = []MedischSoort{MedischOntheffing, MedischGedeeltelijkeOntheffing, MedischAangepasteVoorwaarden, MedischVerlengingZiekte}

// ParseMedischSoort parses a kind code.
func ParseMedischSoort(s string) (MedischSoort, error) {
	for _, k := range MedischeSoorten {
		if string(k) == s {
			return k, nil
		}
	}
	return "", Invalid(Violation{Field: "soort", MessageID: "error.medical_kind_unknown"})
}

// MedischeFase is a stage of a medical request, in the order they happen.
type MedischeFase string

const (
	FaseAangevraagd      MedischeFase = "aangevraagd"       // requested
	FaseBetaald          MedischeFase = "betaald"           // fee paid
	FaseOnderzoekGepland MedischeFase = "onderzoek_gepland" // examination planned
	FaseOnderzocht       MedischeFase = "onderzocht"        // examined
	FaseAdviesGereed     MedischeFase = "advies_gereed"     // advice ready
	FaseKeuze            MedischeFase = "keuze_gemaakt"     // consent given or blocked
	FaseBesloten         MedischeFase = "besloten"          // DUO decided
)

// MedischeFasen lists the stages in order.
var MedischeFasen = []MedischeFase{FaseAangevraagd, FaseBetaald, FaseOnderzoekGepland, FaseOnderzocht, FaseAdviesGereed, FaseKeuze, FaseBesloten}

// The actors of a medical request beside those of the PIP (ActorInburgeraar, ActorDUO).
const (
	ActorBehandelaar Actor = "behandelaar" // the treating doctor, asked for information by Argonaut
	ActorArgonaut    Actor = "argonaut"    // DUO's medical adviser
	ActorNiemand     Actor = "niemand"     // nobody: the request is decided
)

// ToestemmingStatus is where the blocking right stands.
type ToestemmingStatus string

const (
	ToestemmingOpen        ToestemmingStatus = "open"        // no choice made yet
	ToestemmingGegeven     ToestemmingStatus = "gegeven"     // DUO may use the advice
	ToestemmingGeblokkeerd ToestemmingStatus = "geblokkeerd" // DUO may not use the advice
	ToestemmingIngetrokken ToestemmingStatus = "ingetrokken" // consent was withdrawn: DUO may not use the advice
)

// Keuze is one choice the inburgeraar makes under the blocking right.
type Keuze string

const (
	KeuzeToestemming Keuze = "toestemming" // consent: DUO may use the advice
	KeuzeBlokkeren   Keuze = "blokkeren"   // block: DUO may not use the advice
	KeuzeIntrekken   Keuze = "intrekken"   // withdraw an earlier consent
)

// ParseKeuze parses a choice code.
func ParseKeuze(s string) (Keuze, error) {
	switch k := Keuze(s); k {
	case KeuzeToestemming, KeuzeBlokkeren, KeuzeIntrekken:
		return k, nil
	}
	return "", Invalid(Violation{Field: "keuze", MessageID: "error.consent_choice_required"})
}

// Kanaal is where a choice was made.
type Kanaal string

const (
	KanaalPortal Kanaal = "portal"
	KanaalAPI    Kanaal = "api"
)

// Uitkomst is the outcome of DUO's decision on a medical request.
type Uitkomst string

const (
	UitkomstToegekend             Uitkomst = "toegekend"              // (full) exemption granted
	UitkomstGedeeltelijk          Uitkomst = "gedeeltelijk"           // partial exemption: the parts in Onderdelen
	UitkomstAangepasteVoorwaarden Uitkomst = "aangepaste_voorwaarden" // adjusted conditions: Voorwaarden
	UitkomstAfgewezen             Uitkomst = "afgewezen"              // refused
	UitkomstVerlenging            Uitkomst = "verlenging"             // extension of the term: Maanden
)

// Uitkomsten lists every outcome, in display order.
var Uitkomsten = []Uitkomst{UitkomstToegekend, UitkomstGedeeltelijk, UitkomstAangepasteVoorwaarden, UitkomstAfgewezen, UitkomstVerlenging}

// ParseUitkomst parses an outcome code.
func ParseUitkomst(s string) (Uitkomst, error) {
	for _, u := range Uitkomsten {
		if string(u) == s {
			return u, nil
		}
	}
	return "", Invalid(Violation{Field: "uitkomst", MessageID: "error.decision_outcome_required"})
}

// Granted reports whether the outcome grants (part of) what was asked: then the fee is refunded.
func (u Uitkomst) Granted() bool { return u != UitkomstAfgewezen && u != "" }

// MaxMedicalExtensionMonths bounds the length of an extension recorded with a decision. domain.md
// names no general maximum; this only guards against typing errors [assume].
const MaxMedicalExtensionMonths = 60

// MaxMedicalTextLength bounds free texts (the advice, the adjusted conditions).
const MaxMedicalTextLength = 4000

// MedischBesluit is DUO's decision on a medical request.
type MedischBesluit struct {
	Uitkomst    Uitkomst
	Datum       Date
	Onderdelen  []ComponentKind // gedeeltelijk: the exam parts the person is exempted from
	Voorwaarden string          // aangepaste_voorwaarden: which adjustments
	Maanden     int             // verlenging: the length of the extension
	Kenmerk     string          // reference of the decision
}

// ExemptableComponents are the exam parts a partial exemption can cover.
var ExemptableComponents = []ComponentKind{ComponentLezen, ComponentLuisteren, ComponentSchrijven, ComponentSpreken, ComponentKNM, ComponentMAP}

// Validate checks a decision on its own terms: every violation, each with a message ID.
func (b MedischBesluit) Validate() error {
	var v []Violation
	switch b.Uitkomst {
	case UitkomstGedeeltelijk:
		if len(b.Onderdelen) == 0 {
			v = append(v, Violation{Field: "onderdelen", MessageID: "error.decision_parts_required"})
		}
		for _, o := range b.Onderdelen {
			ok := false
			for _, e := range ExemptableComponents {
				ok = ok || e == o
			}
			if !ok {
				v = append(v, Violation{Field: "onderdelen", MessageID: "error.decision_parts_required"})
				break
			}
		}
	case UitkomstAangepasteVoorwaarden:
		if n := len([]rune(b.Voorwaarden)); n == 0 || n > MaxMedicalTextLength {
			v = append(v, Violation{Field: "voorwaarden", MessageID: "error.decision_conditions_required"})
		}
	case UitkomstVerlenging:
		if b.Maanden < 1 || b.Maanden > MaxMedicalExtensionMonths {
			v = append(v, Violation{Field: "maanden", MessageID: "error.decision_months_range", Params: map[string]any{"Max": MaxMedicalExtensionMonths}})
		}
	case UitkomstToegekend, UitkomstAfgewezen:
	default:
		v = append(v, Violation{Field: "uitkomst", MessageID: "error.decision_outcome_required"})
	}
	if len(v) > 0 {
		return Invalid(v...)
	}
	return nil
}

// MedischeAanvraag is one medical request with every stage date that is known.
type MedischeAanvraag struct {
	ID            int64
	InburgeraarID int64
	Soort         MedischSoort
	Kenmerk       string // DUO's reference
	AangevraagdOp Date
	Leges         Cents // the fee asked
	BetaaldOp     *Date
	// WachtOpBehandelaar is set while Argonaut waits for information from the treating doctor.
	WachtOpBehandelaar bool
	OnderzoekGepland   *Date // the day the examination was planned (set when planning is known)
	OnderzochtOp       *Date
	AdviesGereedOp     *Date
	// Advies is the content of Argonaut's advice. It is personal medical data: the use cases show it
	// to staff only under CanStaffReadAdvice.
	Advies               string
	ReactieUiterlijk     *Date // the deadline to make a choice under the blocking right
	Toestemming          ToestemmingStatus
	ToestemmingGewijzigd *time.Time // when the blocking-right status last changed
	Besluit              *MedischBesluit
	// Versie grows with every change of the consent or the decision; it is the ETag of the consent resource.
	Versie int
}

// Fase is the stage the request has reached.
func (a MedischeAanvraag) Fase() MedischeFase {
	switch {
	case a.Besluit != nil:
		return FaseBesloten
	case a.AdviesGereedOp != nil && a.Toestemming != ToestemmingOpen && a.Toestemming != "":
		return FaseKeuze
	case a.AdviesGereedOp != nil:
		return FaseAdviesGereed
	case a.OnderzochtOp != nil:
		return FaseOnderzocht
	case a.OnderzoekGepland != nil:
		return FaseOnderzoekGepland
	case a.BetaaldOp != nil:
		return FaseBetaald
	}
	return FaseAangevraagd
}

// FaseStap is one stage on the tracker: done or not, and its date when known.
type FaseStap struct {
	Fase   MedischeFase
	Gedaan bool
	Datum  *Date
	Huidig bool // the stage the request is in now
}

// Stappen lists every stage with its date, for the status tracker.
func (a MedischeAanvraag) Stappen() []FaseStap {
	var keuze *Date
	if a.ToestemmingGewijzigd != nil && a.Toestemming != ToestemmingOpen {
		d := Today(*a.ToestemmingGewijzigd)
		keuze = &d
	}
	var besluit *Date
	if a.Besluit != nil {
		besluit = &a.Besluit.Datum
	}
	requested := a.AangevraagdOp
	dates := map[MedischeFase]*Date{
		FaseAangevraagd: &requested, FaseBetaald: a.BetaaldOp, FaseOnderzoekGepland: a.OnderzoekGepland,
		FaseOnderzocht: a.OnderzochtOp, FaseAdviesGereed: a.AdviesGereedOp, FaseKeuze: keuze, FaseBesloten: besluit,
	}
	now := a.Fase()
	out := make([]FaseStap, 0, len(MedischeFasen))
	reached := true
	for _, f := range MedischeFasen {
		s := FaseStap{Fase: f, Datum: dates[f], Gedaan: reached, Huidig: f == now}
		if f == now {
			reached = false
		}
		if !s.Gedaan {
			s.Datum = nil
		}
		out = append(out, s)
	}
	return out
}

// AanZet is who must act now (domain.md §7: "show who is responsible now").
func (a MedischeAanvraag) AanZet() Actor {
	switch a.Fase() {
	case FaseBesloten:
		return ActorNiemand
	case FaseKeuze:
		return ActorDUO
	case FaseAdviesGereed:
		return ActorInburgeraar
	case FaseAangevraagd:
		return ActorInburgeraar // the fee must be paid
	}
	if a.WachtOpBehandelaar {
		return ActorBehandelaar
	}
	return ActorArgonaut
}

// Doorlooptijd is how long the request has run on today (until the decision, once decided),
// in days, and the policy's average in days.
func (a MedischeAanvraag) Doorlooptijd(p Policy, today Date) (days, averageDays int) {
	end := today
	if a.Besluit != nil {
		end = a.Besluit.Datum
	}
	days = max(0, a.AangevraagdOp.DaysUntil(end))
	return days, p.MedicalAverageWeeks * 7
}

// LegesTerug reports whether the fee is to be refunded: it was paid and the request was granted.
func (a MedischeAanvraag) LegesTerug() bool {
	return a.BetaaldOp != nil && a.Besluit != nil && a.Besluit.Uitkomst.Granted()
}

// AdviceReadableByInburgeraar: the person may read the advice once it is ready.
func (a MedischeAanvraag) AdviceReadableByInburgeraar() bool { return a.AdviesGereedOp != nil }

// CanStaffReadAdvice is the blocking right: DUO staff may read the advice's content only after
// the inburgeraar consented, and while that consent stands.
func (a MedischeAanvraag) CanStaffReadAdvice() error {
	if a.AdviesGereedOp == nil {
		return Errorf(KindConflict, "error.medical_no_advice")
	}
	if a.Toestemming != ToestemmingGegeven {
		return Errorf(KindForbidden, "error.medical_advice_blocked")
	}
	return nil
}

// Choose applies a choice under the blocking right and returns the new status. It refuses, with a
// conflict, every choice that is not allowed now: before the advice, after the decision, consenting
// twice, blocking twice, withdrawing what was not given.
//
//	open        --toestemming--> gegeven      --intrekken--> ingetrokken
//	open        --blokkeren-->   geblokkeerd  --toestemming--> gegeven
//	ingetrokken --toestemming--> gegeven
func (a MedischeAanvraag) Choose(k Keuze) (ToestemmingStatus, error) {
	if a.Besluit != nil {
		return "", Errorf(KindConflict, "error.consent_after_decision")
	}
	if a.AdviesGereedOp == nil {
		return "", Errorf(KindConflict, "error.consent_not_at_advice")
	}
	cur := a.Toestemming
	if cur == "" {
		cur = ToestemmingOpen
	}
	switch k {
	case KeuzeToestemming:
		if cur == ToestemmingGegeven {
			return "", Errorf(KindConflict, "error.consent_already_given")
		}
		return ToestemmingGegeven, nil
	case KeuzeBlokkeren:
		switch cur {
		case ToestemmingOpen:
			return ToestemmingGeblokkeerd, nil
		case ToestemmingGegeven:
			// Consent is withdrawn, not blocked: the same effect, recorded under its own name.
			return "", Errorf(KindConflict, "error.consent_withdraw_instead")
		}
		return "", Errorf(KindConflict, "error.consent_already_blocked")
	case KeuzeIntrekken:
		if cur != ToestemmingGegeven {
			return "", Errorf(KindConflict, "error.consent_nothing_to_withdraw")
		}
		return ToestemmingIngetrokken, nil
	}
	return "", Invalid(Violation{Field: "keuze", MessageID: "error.consent_choice_required"})
}

// Choices lists the choices open now, in display order (none before the advice or after the decision).
func (a MedischeAanvraag) Choices() []Keuze {
	var out []Keuze
	for _, k := range []Keuze{KeuzeToestemming, KeuzeBlokkeren, KeuzeIntrekken} {
		if _, err := a.Choose(k); err == nil {
			out = append(out, k)
		}
	}
	return out
}

// CanDecide reports whether DUO may record its decision on today: the advice must be ready and the
// person must have made their choice, or let the deadline pass.
func (a MedischeAanvraag) CanDecide(today Date) error {
	if a.Besluit != nil {
		return Errorf(KindConflict, "error.medical_already_decided")
	}
	if a.AdviesGereedOp == nil {
		return Errorf(KindConflict, "error.medical_no_advice")
	}
	if (a.Toestemming == ToestemmingOpen || a.Toestemming == "") && (a.ReactieUiterlijk == nil || !today.After(*a.ReactieUiterlijk)) {
		return Errorf(KindConflict, "error.medical_awaiting_choice")
	}
	return nil
}

// ToestemmingsBewijs is the evidence of one choice: stored append-only, with the exact text shown.
type ToestemmingsBewijs struct {
	ID          int64
	AanvraagID  int64
	Keuze       Keuze
	Resultaat   ToestemmingStatus
	Op          time.Time
	Kanaal      Kanaal
	Taal        string // the language the text was shown in
	Tekstversie string // the version of the consent text
	Tekst       string // the exact explanation shown before the choice, in Taal
}

// ConsentTextVersion names the version of the texts that explain each choice (the message IDs
// medical.consequence.*). Change it whenever those texts change in any language.
const ConsentTextVersion = "2026-12-01"
