package app

import (
	"context"

	"github.com/inburgering/portal/internal/domain"
)

// Overview is everything "Mijn overzicht" shows: term, PIP and loan, computed once for both faces.
type Overview struct {
	Person     domain.Inburgeraar
	Regime     domain.Regime
	Today      domain.Date
	Term       domain.Term
	Extensions []domain.Extension
	PIP        *domain.PIP // the current PIP (the newest); nil when none is set
	PIPApplies bool        // only Wi2021 knows a PIP
	PIPStatus  domain.PIPStatus
	Loan       domain.Loan
	Invoices   []domain.Invoice
	Unread     int
}

// Overview computes the personal overview of inburgeraar id on today's date under the policy in force.
func (s *Service) Overview(ctx context.Context, id int64) (Overview, error) {
	person, err := s.people.Inburgeraar(ctx, id)
	if err != nil {
		return Overview{}, err
	}
	regime, err := person.Regime()
	if err != nil {
		return Overview{}, err
	}
	ext, err := s.overview.Extensions(ctx, id)
	if err != nil {
		return Overview{}, err
	}
	pips, err := s.overview.PIPs(ctx, id)
	if err != nil {
		return Overview{}, err
	}
	invoices, err := s.overview.Invoices(ctx, id)
	if err != nil {
		return Overview{}, err
	}
	unread, err := s.messages.UnreadCount(ctx, id)
	if err != nil {
		return Overview{}, err
	}
	today := s.Today()
	policy := s.Policies.At(today)

	o := Overview{Person: person, Regime: regime, Today: today, Extensions: ext, Invoices: invoices, Unread: unread}
	var firstPIPDate *domain.Date
	if len(pips) > 0 {
		// The term starts from the first PIP and does not move when it is replaced (art. 11(2)-(3));
		// the current plan is the newest.
		d := pips[0].Date
		firstPIPDate = &d
		current := pips[len(pips)-1]
		o.PIP = &current
	}
	o.Term = domain.ComputeTerm(domain.TermInput{
		Regime: regime, ObligationStart: person.ObligationStart, FirstPIPDate: firstPIPDate,
		Extensions: ext, ObligationMetOn: person.ObligationMetOn, ExemptedOn: person.ExemptedOn,
	}, policy, today)
	o.PIPApplies = domain.PIPApplies(regime)
	o.PIPStatus = domain.PIPStatusUnder(regime, person.NoticeDate, o.PIP, policy, today)
	o.Loan = domain.ComputeLoan(domain.LoanInput{
		Regime: regime, TargetGroup: person.TargetGroup, Payer: person.Payer,
		Maximum: person.LoanMaximum, Invoices: invoices, TermEnd: o.Term.End,
	}, policy, today)
	return o, nil
}
