package domain

// ExtensionGround is the reason an integration term was extended (verlenging, §3).
type ExtensionGround string

const (
	GroundZiekte                     ExtensionGround = "ziekte"                      // illness of self or close family > 3 months
	GroundPersoonlijkeOmstandigheden ExtensionGround = "persoonlijke_omstandigheden" // other circumstances >= 3 months
	GroundAlfabetisering             ExtensionGround = "alfabetisering"              // literacy course (Wi2013)
	GroundGeenCursusaanbod           ExtensionGround = "geen_cursusaanbod"           // no course on offer in time
	GroundHerstelToeslagen           ExtensionGround = "hersteloperatie_toeslagen"   // childcare-benefit affair, ex officio
	GroundLateA2Beoordeling          ExtensionGround = "late_a2_beoordeling"         // late A2 marking
)

// Extension is one granted extension of the term.
type Extension struct {
	Ground       ExtensionGround
	Months       int
	DecisionDate Date
	Reference    string
}

// ParseExtensionGround parses an extension ground code.
func ParseExtensionGround(s string) (ExtensionGround, error) {
	switch g := ExtensionGround(s); g {
	case GroundZiekte, GroundPersoonlijkeOmstandigheden, GroundAlfabetisering, GroundGeenCursusaanbod, GroundHerstelToeslagen, GroundLateA2Beoordeling:
		return g, nil
	}
	return "", Invalid(Violation{Field: "grond", MessageID: "error.extension_ground_unknown"})
}

// ValidateExtension refuses an extension outside the law's bounds (§3): no ground, length or
// reference; a literacy extension outside Wi2013; or a length that, with the earlier extensions on
// the same ground, exceeds the ground's maximum in the policy.
func ValidateExtension(e Extension, earlier []Extension, regime Regime, p Policy) error {
	var vs []Violation
	if _, err := ParseExtensionGround(string(e.Ground)); err != nil {
		vs = append(vs, Violation{Field: "grond", MessageID: "error.extension_ground_unknown"})
	}
	if e.Ground == GroundAlfabetisering && regime != Wi2013 {
		vs = append(vs, Violation{Field: "grond", MessageID: "error.extension_ground_regime"})
	}
	if e.Months < 1 {
		vs = append(vs, Violation{Field: "maanden", MessageID: "error.extension_months_min"})
	}
	if max, ok := p.ExtensionMaxMonths[e.Ground]; ok && e.Months >= 1 {
		total := e.Months
		for _, x := range earlier {
			if x.Ground == e.Ground {
				total += x.Months
			}
		}
		if total > max {
			vs = append(vs, Violation{Field: "maanden", MessageID: "error.extension_months_max"})
		}
	}
	if e.DecisionDate.IsZero() {
		vs = append(vs, Violation{Field: "besluitdatum", MessageID: "error.date_invalid"})
	}
	if e.Reference == "" {
		vs = append(vs, Violation{Field: "kenmerk", MessageID: "error.reference_required"})
	}
	if len(vs) > 0 {
		return Invalid(vs...)
	}
	return nil
}

// TermState is where an inburgeraar stands in the term.
type TermState string

const (
	TermNotStarted    TermState = "niet_gestart" // Wi2021 without a first PIP
	TermRunning       TermState = "lopend"       // more than a year left
	TermFinalYear     TermState = "laatste_jaar" // in the last year of the term
	TermExpired       TermState = "verlopen"     // the end date has passed
	TermObligationMet TermState = "voldaan"      // obligation met
	TermExempted      TermState = "ontheffing"   // exemption granted
	TermUnknown       TermState = "onbekend"     // Wi2007 without the gemeente's end date on record
)

// TermInput is what the term is computed from.
type TermInput struct {
	Regime          Regime
	ObligationStart Date
	FirstPIPDate    *Date // the date (dagtekening) of the first PIP (Wi2021)
	Extensions      []Extension
	ObligationMetOn *Date
	ExemptedOn      *Date
	// GemeenteEnd is the end date the gemeente set (Wi2007): the term is whatever the gemeente decided.
	GemeenteEnd *Date
	// FineDates are the dates of Wi2013 fine decisions; after a fine a new term (boetetermijn) starts.
	FineDates []Date
}

// Term is the computed integration term (inburgeringstermijn).
type Term struct {
	State   TermState
	Start   *Date // nil while not started
	BaseEnd *Date // start + term length − 1 day, before extensions
	End     *Date // BaseEnd plus every extension
	// ExtensionMonths is the total of all granted extensions.
	ExtensionMonths int
	// DaysLeft counts the days from today until End (0 on the last day and after it).
	DaysLeft int
	// LastSafeExamRegistration is the last date to register for an exam and still have the result before End.
	LastSafeExamRegistration *Date
	// SetByGemeente: End is the date the gemeente set (Wi2007), not computed here.
	SetByGemeente bool
	// FineTerm: Start and End are the boetetermijn that began after a Wi2013 fine; RegularEnd is the
	// end of the term before it.
	FineTerm   bool
	RegularEnd *Date
}

// ComputeTerm computes the term on today under policy p (§3):
// Wi2021 starts the day after the first PIP's date and does not move when the PIP changes;
// Wi2013 and Wi2007 start on the obligation start. End = start + length − 1 day + extensions.
func ComputeTerm(in TermInput, p Policy, today Date) Term {
	var t Term
	var start Date
	years := p.TermYearsWi2013
	switch in.Regime {
	case Wi2021:
		years = p.TermYearsWi2021
		if in.FirstPIPDate == nil {
			t.State = TermNotStarted
			break
		}
		start = in.FirstPIPDate.AddDays(1)
	case Wi2007:
		// The gemeente set the term: show its date as theirs; without it the end is unknown here.
		start = in.ObligationStart
		t.Start = &start
		t.State = TermUnknown
		if in.GemeenteEnd != nil {
			end := *in.GemeenteEnd
			t.BaseEnd, t.End, t.SetByGemeente = &end, &end, true
			t.setState(today, p)
		}
		return t.settle(in, today)
	default:
		start = in.ObligationStart
	}
	if t.State != TermNotStarted {
		for _, e := range in.Extensions {
			t.ExtensionMonths += e.Months
		}
		base := periodEnd(start, 12*years)
		end := periodEnd(start, 12*years+t.ExtensionMonths)
		t.Start, t.BaseEnd, t.End = &start, &base, &end
		if in.Regime == Wi2013 {
			t.fineTerm(in.FineDates, p)
		}
		t.setState(today, p)
	}
	return t.settle(in, today)
}

// fineTerm replaces the term by the boetetermijn of the latest fine decided after the regular end:
// FineTermYears from the day after the decision.
func (t *Term) fineTerm(fines []Date, p Policy) {
	var latest *Date
	for i := range fines {
		if fines[i].After(*t.End) && (latest == nil || fines[i].After(*latest)) {
			latest = &fines[i]
		}
	}
	if latest == nil {
		return
	}
	regular := *t.End
	start := latest.AddDays(1)
	end := periodEnd(start, 12*p.FineTermYears)
	t.FineTerm, t.RegularEnd = true, &regular
	t.Start, t.BaseEnd, t.End = &start, &end, &end
}

// setState sets the days left, the last safe exam date and the state from End.
func (t *Term) setState(today Date, p Policy) {
	end := *t.End
	if left := today.DaysUntil(end); left > 0 {
		t.DaysLeft = left
	}
	safe := end.AddDays(-(p.ExamRegistrationToSittingDays + p.ExamResultDays))
	t.LastSafeExamRegistration = &safe
	switch {
	case today.After(end):
		t.State = TermExpired
	case !today.Before(end.AddDays(1).AddYears(-1)):
		t.State = TermFinalYear
	default:
		t.State = TermRunning
	}
}

// settle: a met obligation or an exemption ends the matter whatever the dates say.
func (t Term) settle(in TermInput, today Date) Term {
	switch {
	case in.ObligationMetOn != nil && !in.ObligationMetOn.After(today):
		t.State = TermObligationMet
		t.DaysLeft = 0
	case in.ExemptedOn != nil && !in.ExemptedOn.After(today):
		t.State = TermExempted
		t.DaysLeft = 0
	}
	return t
}

// periodEnd is the last day of a period of n months that begins on start: the day before the
// corresponding date n months later, or, where that date does not exist (29 Feb, the 31st),
// the last day of that month. So a term from 29 Feb 2024 ends on 28 Feb 2027, and one from
// 31 Aug 2018 with 6 months added ends on 28 Feb 2022.
func periodEnd(start Date, months int) Date {
	target := start.AddMonths(months)
	if target.Day != start.Day {
		return target
	}
	return target.AddDays(-1)
}
