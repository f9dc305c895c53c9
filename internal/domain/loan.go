package domain

import "time"

// Invoice is a school's invoice to DUO for lessons paid from the loan (§5). The inburgeraar
// accepts or rejects it before DUO pays; see invoice.go for its rules.
type Invoice struct {
	ID          int64
	School      string
	Amount      Cents
	Date        Date // the invoice date; an invoice that counts is counted in this date's quarter
	PeriodStart Date // the period of lessons the invoice covers, first and last day
	PeriodEnd   Date
	Status      InvoiceStatus
	Reason      string     // why the inburgeraar rejected it; empty otherwise
	DecidedAt   *time.Time // when the inburgeraar accepted or rejected it (UTC)
	PaidOn      *Date      // when DUO paid the school
}

// ELIPWarning is an early warning on the loan (ELIP, Wi2013, §5).
type ELIPWarning string

const (
	// ELIPHigh: EUR 9,500 or more used.
	ELIPHigh ELIPWarning = "hoog_gebruik"
	// ELIPMidShortTerm: more than EUR 7,500 used with fewer than 12 months of term left.
	ELIPMidShortTerm ELIPWarning = "gebruik_en_korte_termijn"
)

// LoanInput is what the loan overview is computed from.
type LoanInput struct {
	Regime      Regime
	TargetGroup TargetGroup
	Payer       Payer
	Maximum     *Cents // income-based maximum; nil means the policy maximum
	Invoices    []Invoice
	TermEnd     *Date
}

// Loan is the computed DUO loan overview.
type Loan struct {
	Applies        bool // false when the gemeente pays or the person pays themselves
	Maximum        Cents
	Used           Cents
	Balance        Cents // Maximum − Used, never below 0
	QuarterStart   Date
	QuarterUsed    Cents
	QuarterCap     Cents
	QuarterLeft    Cents
	Warnings       []ELIPWarning
	RepaymentStart *Date // Wi2013: RepaymentStartMonths after the term end
	RepaymentEnd   *Date // RepaymentYears after the start
	Recovered      bool  // false when the policy does not recover this group's loans
}

// ComputeLoan computes the loan on today under policy p (§5).
func ComputeLoan(in LoanInput, p Policy, today Date) Loan {
	l := Loan{Applies: in.Payer == PayerLoan, Maximum: p.LoanMaximum, QuarterCap: p.LoanQuarterCap, QuarterStart: today.Quarter(), Recovered: true}
	if in.Maximum != nil && *in.Maximum < p.LoanMaximum {
		l.Maximum = *in.Maximum
	}
	for _, inv := range in.Invoices {
		if !inv.CountsAgainstLoan() {
			continue // open and rejected invoices are not (yet) loan use
		}
		l.Used += inv.Amount
		if !inv.Date.Before(l.QuarterStart) && !inv.Date.After(today) {
			l.QuarterUsed += inv.Amount
		}
	}
	l.Balance = max(l.Maximum-l.Used, 0)
	l.QuarterLeft = max(min(l.QuarterCap-l.QuarterUsed, l.Balance), 0)
	if in.TargetGroup == Asielstatushouder && !p.AsylumLoansRecovered {
		l.Recovered = false
	}
	if in.Regime == Wi2013 {
		if l.Used >= p.ELIPHighUsed {
			l.Warnings = append(l.Warnings, ELIPHigh)
		}
		if in.TermEnd != nil && l.Used > p.ELIPMidUsed && today.After(in.TermEnd.AddDays(1).AddMonths(-p.ELIPMidMonthsLeft)) && !today.After(*in.TermEnd) {
			l.Warnings = append(l.Warnings, ELIPMidShortTerm)
		}
		if in.TermEnd != nil && l.Recovered && l.Used > 0 {
			start := in.TermEnd.AddDays(1).AddMonths(p.RepaymentStartMonths)
			end := start.AddYears(p.RepaymentYears).AddDays(-1)
			l.RepaymentStart, l.RepaymentEnd = &start, &end
		}
	}
	return l
}
