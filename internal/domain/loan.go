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

// UsedAmount is what the invoices take from the loan on today: invoices dated after today do not
// count yet.
func UsedAmount(invoices []Invoice, today Date) Cents {
	return usedBetween(invoices, Date{}, today)
}

// usedBetween sums the invoices that count, dated from from up to today. It is the one place that
// decides which invoices count, for the loan and the quarter cap alike: only accepted (or paid)
// invoices, and none dated after today.
func usedBetween(invoices []Invoice, from, today Date) Cents {
	var sum Cents
	for _, inv := range invoices {
		if !inv.CountsAgainstLoan() {
			continue // open and rejected invoices are not (yet) loan use
		}
		if !inv.Date.Before(from) && !inv.Date.After(today) {
			sum += inv.Amount
		}
	}
	return sum
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
	// TermEnd is the end of the term the loan was for (before any boetetermijn).
	TermEnd *Date
	// TermState is the state of the current term (a boetetermijn counts): borrowing is possible only
	// while it runs.
	TermState       TermState
	ObligationMetOn *Date
	ExemptedOn      *Date
	// OpenPartsAtTermEnd is the number of exam parts not yet passed when the term ended (Wi2013
	// partial remission); nil when not known.
	OpenPartsAtTermEnd *int
	// AsylumFamilyMember: partner, parent or child of an asylum permit holder (Wi2013 remission).
	AsylumFamilyMember bool
}

// Remission is the part of a Wi2013 loan that is not to be repaid (kwijtschelding, §5).
type Remission struct {
	Percent  int
	Before   Cents // the debt before remission
	Remitted Cents
	After    Cents // what remains to be repaid
}

// Loan is the computed DUO loan overview. When Applies is false (the gemeente pays or the person pays
// themselves) there is no maximum, balance or quarter room: those figures are zero and mean nothing.
type Loan struct {
	Applies bool
	// BorrowingOpen: new courses can be paid from the loan: only while the term (with its extensions)
	// or a boetetermijn runs, and not once the obligation is met or an exemption is granted.
	BorrowingOpen bool
	Maximum       Cents
	Used          Cents
	Balance       Cents // Maximum − Used, never below 0
	QuarterStart  Date
	QuarterUsed   Cents
	QuarterCap    Cents
	QuarterLeft   Cents
	Warnings      []ELIPWarning
	// Wi2013 repayment: from RepaymentStartMonths after the term end or after the obligation is met,
	// whichever comes first, over RepaymentYears in equal monthly amounts (before interest).
	RepaymentStart   *Date
	RepaymentEnd     *Date
	MonthlyRepayment Cents
	Remission        *Remission // Wi2013 remission that applies; nil when none does
	// RemissionPossibleUntil: the obligation is not met yet but partial remission is still possible
	// when it is met by this date.
	RemissionPossibleUntil *Date
	// DUODecides: the rule book does not say how this loan is repaid (Wi2021): DUO decides, the
	// portal shows no figure.
	DUODecides bool
	Recovered  bool // false when the policy does not recover this group's loans
}

func settledOn(met, exempted *Date, today Date) *Date {
	var d *Date
	for _, x := range []*Date{met, exempted} {
		if x != nil && !x.After(today) && (d == nil || x.Before(*d)) {
			d = x
		}
	}
	return d
}

// ComputeLoan computes the loan on today under policy p (§5).
func ComputeLoan(in LoanInput, p Policy, today Date) Loan {
	l := Loan{Applies: in.Payer == PayerLoan, QuarterStart: today.Quarter(), Recovered: true}
	l.Used = UsedAmount(in.Invoices, today)
	l.QuarterUsed = usedBetween(in.Invoices, l.QuarterStart, today)
	if in.TargetGroup == Asielstatushouder && !p.AsylumLoansRecovered {
		l.Recovered = false
	}
	if !l.Applies {
		return l
	}
	l.Maximum, l.QuarterCap = p.LoanMaximum, p.LoanQuarterCap
	if in.Maximum != nil && *in.Maximum < p.LoanMaximum {
		l.Maximum = *in.Maximum
	}
	l.Balance = max(l.Maximum-l.Used, 0)
	l.QuarterLeft = max(min(l.QuarterCap-l.QuarterUsed, l.Balance), 0)
	settled := settledOn(in.ObligationMetOn, in.ExemptedOn, today)
	l.BorrowingOpen = settled == nil && (in.TermState == TermRunning || in.TermState == TermFinalYear)
	switch in.Regime {
	case Wi2021:
		l.DUODecides = l.Recovered && l.Used > 0
	case Wi2013:
		if settled == nil {
			if l.Used >= p.ELIPHighUsed {
				l.Warnings = append(l.Warnings, ELIPHigh)
			}
			// Fewer than 12 months left, and so also once the term has expired.
			if in.TermEnd != nil && l.Used > p.ELIPMidUsed && today.After(in.TermEnd.AddDays(1).AddMonths(-p.ELIPMidMonthsLeft)) {
				l.Warnings = append(l.Warnings, ELIPMidShortTerm)
			}
		}
		if in.TermEnd != nil && l.Recovered && l.Used > 0 {
			l.repayment(in, settled, p, today)
		}
	}
	return l
}

func (l *Loan) repayment(in LoanInput, settled *Date, p Policy, today Date) {
	end := *in.TermEnd
	start := end.AddDays(1).AddMonths(p.RepaymentStartMonths)
	if settled != nil {
		if s := settled.AddMonths(p.RepaymentStartMonths); s.Before(start) {
			start = s
		}
	}
	last := start.AddYears(p.RepaymentYears).AddDays(-1)
	l.RepaymentStart, l.RepaymentEnd = &start, &last
	debt := l.Used
	if in.TargetGroup == Asielstatushouder || in.AsylumFamilyMember {
		if pct := remissionPercent(end, settled, in.OpenPartsAtTermEnd, p); pct > 0 {
			r := Remission{Percent: pct, Before: debt, Remitted: debt * Cents(pct) / 100}
			r.After = debt - r.Remitted
			l.Remission, debt = &r, r.After
		} else if settled == nil && in.OpenPartsAtTermEnd != nil && *in.OpenPartsAtTermEnd >= 1 &&
			*in.OpenPartsAtTermEnd <= p.RemissionMaxLateParts {
			if until := end.AddMonths(p.RemissionLateMonths[1]); !today.After(until) {
				l.RemissionPossibleUntil = &until
			}
		}
	}
	if debt == 0 {
		l.RepaymentStart, l.RepaymentEnd = nil, nil
		return
	}
	months := Cents(12 * p.RepaymentYears)
	l.MonthlyRepayment = (debt + months - 1) / months
}

// remissionPercent is the Wi2013 remission for an asylum permit holder or a partner, parent or child of
// one: 100 when
// the obligation was met (or exempted) within the term; partial when at most RemissionMaxLateParts exam
// parts were open at the term end and the obligation was met within RemissionLateMonths after it.
func remissionPercent(termEnd Date, settled *Date, openParts *int, p Policy) int {
	if settled == nil {
		return 0
	}
	if !settled.After(termEnd) {
		return 100
	}
	if openParts == nil || *openParts < 1 || *openParts > p.RemissionMaxLateParts || *openParts > len(p.RemissionPercent) {
		return 0
	}
	for i, months := range p.RemissionLateMonths {
		if !settled.After(termEnd.AddMonths(months)) {
			return p.RemissionPercent[*openParts-1][i]
		}
	}
	return 0
}
