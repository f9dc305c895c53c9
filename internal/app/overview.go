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
	// Facts are the stored facts the rules need beyond the person (BRP date, Wi2007 date, fine data).
	Facts domain.RuleFacts
	// Fines are the fines DUO imposed, oldest first.
	Fines []domain.FineDecision
	// Fine is the fine that applies by law once the term has expired without the obligation met,
	// computed from the rules and the person's data; nil when none applies or the data are missing.
	Fine *domain.Fine
	// ExemptedParts are the PIP parts a partial exemption covers (Wi2021 art. 5); the rest stays.
	ExemptedParts []domain.ComponentKind
}

// Overview computes the personal overview of inburgeraar id on today's date under the policy in force.
// Its records come from one statement (OverviewRecords): one consistent snapshot, with no
// transaction around it.
func (s *Service) Overview(ctx context.Context, id int64) (Overview, error) {
	rec, err := s.overview.OverviewRecords(ctx, id)
	if err != nil {
		return Overview{}, err
	}
	return s.computeOverview(rec)
}

// computeOverview computes the overview from its records on today's date.
func (s *Service) computeOverview(rec OverviewRecords) (Overview, error) {
	person, ext, pips, invoices, facts, fines := rec.Person, rec.Extensions, rec.PIPs, rec.Invoices, rec.Facts, rec.Fines
	regime, err := person.Regime()
	if err != nil {
		return Overview{}, err
	}
	today := s.Today()
	policy := s.Policies.At(today)

	o := Overview{Person: person, Regime: regime, Today: today, Extensions: ext, Invoices: invoices, Unread: rec.Unread, Facts: facts, Fines: fines}
	var firstPIPDate *domain.Date
	if len(pips) > 0 {
		// The term starts from the first PIP and does not move when it is replaced (art. 11(2)-(3));
		// the current plan is the newest.
		d := pips[0].Date
		firstPIPDate = &d
		current := pips[len(pips)-1]
		o.PIP = &current
	}
	var fineDates []domain.Date
	for _, f := range fines {
		fineDates = append(fineDates, f.Date)
	}
	o.Term = domain.ComputeTerm(domain.TermInput{
		Regime: regime, ObligationStart: person.ObligationStart, FirstPIPDate: firstPIPDate,
		Extensions: ext, ObligationMetOn: person.ObligationMetOn, ExemptedOn: person.ExemptedOn,
		GemeenteEnd: facts.GemeenteTermEnd, FineDates: fineDates,
	}, policy, today)
	o.PIPApplies = domain.PIPApplies(regime)
	o.PIPStatus = domain.PIPStatusUnder(regime, domain.PIPDeadlineInput{
		Notice: person.NoticeDate, BRPRegistration: facts.BRPRegistration,
		ThirdPartyAwaited: facts.ThirdPartyAwaited, FirstPIPDate: firstPIPDate,
	}, policy, today)
	if o.PIP != nil {
		if o.Term.State == domain.TermExempted {
			// Once exempt, no part of the plan is open any more.
			o.PIP.Components = domain.WithExemption(o.PIP.Components)
		} else {
			o.ExemptedParts = domain.ExemptedParts(o.PIP.Components)
		}
	}
	// The loan was for the regular term; a boetetermijn reopens borrowing but does not move repayment.
	loanTermEnd := o.Term.End
	if o.Term.FineTerm {
		loanTermEnd = o.Term.RegularEnd
	}
	o.Loan = domain.ComputeLoan(domain.LoanInput{
		Regime: regime, TargetGroup: person.TargetGroup, Payer: person.Payer,
		Maximum: person.LoanMaximum, Invoices: invoices, TermEnd: loanTermEnd, TermState: o.Term.State,
		ObligationMetOn: person.ObligationMetOn, ExemptedOn: person.ExemptedOn, OpenPartsAtTermEnd: facts.OpenPartsAtTermEnd,
		AsylumFamilyMember: facts.AsylumFamilyMember,
	}, policy, today)
	o.Fine = applicableFine(regime, person.TargetGroup, o.Term, o.PIP, facts, policy)
	return o, nil
}

// applicableFine is the fine the law attaches to an expired term without the obligation met (§6),
// from the person's data: Wi2013 needs the hours and attempts on record; Wi2021 counts the parts of
// the plan not done. Wi2007 fines are the gemeente's and are not computed.
func applicableFine(regime domain.Regime, group domain.TargetGroup, t domain.Term, pip *domain.PIP, facts domain.RuleFacts, p domain.Policy) *domain.Fine {
	if t.State != domain.TermExpired {
		return nil
	}
	in := domain.FineFacts{KeurmerkHours: facts.KeurmerkHours, Attempts: facts.Attempts}
	switch regime {
	case domain.Wi2013:
		if facts.Attempts == "" {
			return nil
		}
	case domain.Wi2021:
		if pip == nil {
			return nil
		}
		for _, c := range pip.Components {
			if c.Status == domain.StatusBehaald || c.Status == domain.StatusOntheffing {
				continue
			}
			switch c.Kind {
			case domain.ComponentPVT:
				in.MissedPVT = true
			case domain.ComponentMAP:
				in.MissedMAP = true
			default:
				in.MissedLearningRoute = true
			}
		}
	default:
		return nil
	}
	f, err := domain.ComputeFine(regime, group, in, p)
	if err != nil || f.Amount == 0 {
		return nil
	}
	return &f
}
