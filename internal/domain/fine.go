package domain

// FineAttempts is how far a Wi2013 inburgeraar went with the exam parts: the rows of the fine table (§6).
type FineAttempts string

const (
	AttemptsNotAll      FineAttempts = "niet_alle_onderdelen"        // not every part attempted
	AttemptsAllOnce     FineAttempts = "alle_onderdelen_eenmaal"     // every part attempted at least once
	AttemptsFailedTwice FineAttempts = "gezakte_onderdelen_tweemaal" // every failed part attempted twice
)

func (a FineAttempts) row() (int, bool) {
	switch a {
	case AttemptsNotAll:
		return 0, true
	case AttemptsAllOnce:
		return 1, true
	case AttemptsFailedTwice:
		return 2, true
	}
	return 0, false
}

// FineFacts are the data a fine is computed from: never an amount typed by hand (§6).
type FineFacts struct {
	// Wi2013: classroom hours at keurmerk schools and how far the exam attempts went.
	KeurmerkHours int
	Attempts      FineAttempts
	// Wi2021: the parts not met in time.
	MissedLearningRoute bool
	MissedPVT           bool
	MissedMAP           bool
}

// Fine is the fine that applies to an inburgeraar who overran the term.
type Fine struct {
	// Amount is the fine in cents: the Wi2013 table amount, or under Wi2021 the sum of the maxima of
	// the missed parts (DUO may set less).
	Amount Cents
	// IsMaximum: Amount is a legal maximum (Wi2021), not the amount itself.
	IsMaximum bool
	// OnlyExceptional: an asylum permit holder is fined only in exceptional cases (C-158/23 Keren and the
	// Raad van State rulings), so no fine is to be expected as a rule.
	OnlyExceptional bool
	// HearingOffered: the amount is above the threshold where the law requires a hearing.
	HearingOffered bool
}

// ComputeFine computes the fine from the rules and the person's data (§6). Wi2007 fines are the
// gemeente's and are not computed here; inputs outside the law's bounds are refused.
func ComputeFine(regime Regime, group TargetGroup, f FineFacts, p Policy) (Fine, error) {
	var out Fine
	switch regime {
	case Wi2013:
		if f.KeurmerkHours < 0 {
			return Fine{}, Invalid(Violation{Field: "keurmerkUren", MessageID: "error.fine_hours_negative"})
		}
		row, ok := f.Attempts.row()
		if !ok {
			return Fine{}, Invalid(Violation{Field: "examenpogingen", MessageID: "error.fine_attempts_unknown"})
		}
		col := 0
		switch {
		case f.KeurmerkHours >= p.FineHoursHigh:
			col = 2
		case f.KeurmerkHours >= p.FineHoursLow:
			col = 1
		}
		out.Amount = p.Wi2013FineTable[row][col]
	case Wi2021:
		out.IsMaximum = true
		if f.MissedLearningRoute {
			out.Amount += p.Wi2021FineMaxLearningRoute
		}
		if f.MissedPVT {
			out.Amount += p.Wi2021FineMaxPVT
		}
		if f.MissedMAP {
			out.Amount += p.Wi2021FineMaxMAP
		}
	default:
		return Fine{}, Invalid(Violation{Field: "regime", MessageID: "error.fine_regime"})
	}
	out.OnlyExceptional = group == Asielstatushouder && p.AsylumFinesOnlyExceptional
	out.HearingOffered = out.Amount > p.HearingAbove
	return out, nil
}

// FineDecision is a fine DUO imposed (boetebesluit).
type FineDecision struct {
	Date      Date
	Amount    Cents
	Reference string
}

// ValidateFineDecision refuses a decision the law does not allow: outside the regime's range, without a
// date or a reference, or (Wi2013) an amount that is not in the fine table.
func ValidateFineDecision(d FineDecision, regime Regime, p Policy) error {
	var vs []Violation
	if d.Date.IsZero() {
		vs = append(vs, Violation{Field: "besluitdatum", MessageID: "error.date_invalid"})
	}
	if d.Reference == "" {
		vs = append(vs, Violation{Field: "kenmerk", MessageID: "error.reference_required"})
	}
	switch regime {
	case Wi2013:
		ok := false
		for _, row := range p.Wi2013FineTable {
			for _, a := range row {
				ok = ok || (a == d.Amount && a > 0)
			}
		}
		if !ok {
			vs = append(vs, Violation{Field: "bedrag", MessageID: "error.fine_amount_not_in_table"})
		}
	case Wi2021:
		if max := p.Wi2021FineMaxLearningRoute + p.Wi2021FineMaxPVT + p.Wi2021FineMaxMAP; d.Amount <= 0 || d.Amount > max {
			vs = append(vs, Violation{Field: "bedrag", MessageID: "error.fine_amount_range"})
		}
	default:
		vs = append(vs, Violation{Field: "regime", MessageID: "error.fine_regime"})
	}
	if len(vs) > 0 {
		return Invalid(vs...)
	}
	return nil
}
