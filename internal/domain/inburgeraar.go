package domain

// BSN is a citizen service number (burgerservicenummer): nine digits passing the eleven-test (§12).
// It is personal data: never log it or put it in a URL.
type BSN string

// ParseBSN parses s as a BSN. It accepts exactly nine ASCII digits that pass the eleven-test:
// 9·d1 + 8·d2 + … + 2·d8 − 1·d9 must be a multiple of 11 and not zero.
func ParseBSN(s string) (BSN, error) {
	if len(s) != 9 {
		return "", Invalid(Violation{Field: "bsn", MessageID: "error.bsn_length"})
	}
	sum := 0
	for i := 0; i < 9; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return "", Invalid(Violation{Field: "bsn", MessageID: "error.bsn_digits"})
		}
		w := 9 - i
		if i == 8 {
			w = -1
		}
		sum += w * int(c-'0')
	}
	if sum == 0 || sum%11 != 0 {
		return "", Invalid(Violation{Field: "bsn", MessageID: "error.bsn_elfproef"})
	}
	return BSN(s), nil
}

// Masked returns the BSN with all but the last three digits hidden, for display.
func (b BSN) Masked() string {
	if len(b) != 9 {
		return "*********"
	}
	return "******" + string(b[6:])
}

// TargetGroup is the group an inburgeraar belongs to (§2).
type TargetGroup string

const (
	Asielstatushouder TargetGroup = "asielstatushouder"
	Gezinsmigrant     TargetGroup = "gezinsmigrant"
	OverigeMigrant    TargetGroup = "overige_migrant"
)

// ParseTargetGroup parses a target group code.
func ParseTargetGroup(s string) (TargetGroup, error) {
	switch g := TargetGroup(s); g {
	case Asielstatushouder, Gezinsmigrant, OverigeMigrant:
		return g, nil
	}
	return "", Invalid(Violation{Field: "doelgroep", MessageID: "error.target_group_unknown"})
}

// Regime is the law an inburgeraar's obligation falls under (§2).
type Regime string

const (
	Wi2007 Regime = "wi2007"
	Wi2013 Regime = "wi2013"
	Wi2021 Regime = "wi2021"
)

// RegimeFor derives the regime from the date the obligation started (§2):
// Wi2007 from 1 Jan 2007, Wi2013 from 1 Jan 2013, Wi2021 from 1 Jan 2022.
func RegimeFor(obligationStart Date) (Regime, error) {
	switch {
	case obligationStart.Before(NewDate(2007, 1, 1)):
		return "", Invalid(Violation{Field: "startInburgeringsplicht", MessageID: "error.obligation_before_2007"})
	case obligationStart.Before(NewDate(2013, 1, 1)):
		return Wi2007, nil
	case obligationStart.Before(NewDate(2022, 1, 1)):
		return Wi2013, nil
	default:
		return Wi2021, nil
	}
}

// Payer says who pays the courses (§5). It is data, not derived from the target group:
// trafficking victims are treated like asylum permit holders.
type Payer string

const (
	PayerGemeente Payer = "gemeente"
	PayerLoan     Payer = "loan"
	PayerSelf     Payer = "self"
)

// ParsePayer parses a payer code.
func ParsePayer(s string) (Payer, error) {
	switch p := Payer(s); p {
	case PayerGemeente, PayerLoan, PayerSelf:
		return p, nil
	}
	return "", Invalid(Violation{Field: "betaler", MessageID: "error.payer_unknown"})
}

// Inburgeraar is a person with the integration obligation.
type Inburgeraar struct {
	ID                int64
	BSN               BSN
	Name              string
	TargetGroup       TargetGroup
	ObligationStart   Date // the date the obligation started (announced by IND)
	Payer             Payer
	PreferredLanguage string // a BCP 47 tag, e.g. "nl", "ar"
	Gemeente          string
	NoticeDate        *Date  // DUO's notice (kennisgeving) to the gemeente, Wi2021
	ObligationMetOn   *Date  // all parts passed (obligation met)
	ExemptedOn        *Date  // ontheffing granted
	LoanMaximum       *Cents // income-based maximum; nil means the policy maximum
}

// Regime derives the inburgeraar's regime from the obligation start.
func (i Inburgeraar) Regime() (Regime, error) { return RegimeFor(i.ObligationStart) }
