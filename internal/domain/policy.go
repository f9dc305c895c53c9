package domain

import (
	"sort"
)

// Cents is an amount of money in euro cents.
type Cents int64

// Policy is one version of every amount, period and threshold the rules use (domain.md: "every amount,
// period and threshold belongs in one policy table, versioned, with a valid-from date").
// Fields marked [assume] are not verified against the law; they are configuration for that reason.
type Policy struct {
	ValidFrom Date

	// §3 term
	TermYearsWi2021 int // Wet inburgering 2021 art. 11(1) [law]
	TermYearsWi2013 int // [law]
	TermYearsWi2007 int // set by the gemeente in Wi2007; this is a default only [assume]
	// §3 last safe date to register for an exam: registration to sitting (> 6 weeks) plus results (up to 8 weeks).
	ExamRegistrationToSittingDays int
	ExamResultDays                int

	// §4 PIP
	PIPDeadlineWeeks         int // after DUO's notice (kennisgeving) [law]
	ZRouteCourseHours        int // [law][3p]
	ZRouteParticipationHours int // asylum permit holders only [law][3p]
	PVTMinimumHours          int // [3p]
	RouteChangeWindowMonths  int // [3p]

	// §5 loan
	LoanMaximum                Cents // [law]
	LoanQuarterCap             Cents // per person across all schools [law]
	ELIPHighUsed               Cents // warning when used >= this [letter]
	ELIPMidUsed                Cents // warning when used > this and ...
	ELIPMidMonthsLeft          int   // ... fewer than this many months of term are left [letter]
	RepaymentStartMonths       int   // Wi2013: repayment starts this many months after the term [law]
	RepaymentYears             int   // [law]
	AsylumLoansRecovered       bool  // false since C-158/23 Keren (4 Feb 2025) and Raad van State 2025/2026 [law]
	AsylumFinesOnlyExceptional bool  // same rulings [law]

	// §7 medical requests
	MedicalFee          Cents // fee of a medical request, refunded when granted [3p]
	MedicalAverageWeeks int   // current average lead time of a medical assessment [letter]
	ConsentReplyDays    int   // days to choose under the blocking right after the advice is ready [assume]
}

// PolicyTable is every policy version, each valid from its ValidFrom until the next one.
type PolicyTable []Policy

// At returns the policy in force on d. It panics on an empty table: that is a wiring error.
func (t PolicyTable) At(d Date) Policy {
	if len(t) == 0 {
		panic("domain: empty policy table")
	}
	sorted := append(PolicyTable(nil), t...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ValidFrom.Before(sorted[j].ValidFrom) })
	p := sorted[0]
	for _, v := range sorted {
		if v.ValidFrom.After(d) {
			break
		}
		p = v
	}
	return p
}

// DefaultPolicies is the policy table the service ships with, sourced from ../shared/domain.md.
func DefaultPolicies() PolicyTable {
	base := Policy{
		ValidFrom:                     NewDate(2022, 1, 1),
		TermYearsWi2021:               3,
		TermYearsWi2013:               3,
		TermYearsWi2007:               3,
		ExamRegistrationToSittingDays: 6 * 7,
		ExamResultDays:                8 * 7,
		PIPDeadlineWeeks:              10,
		ZRouteCourseHours:             800,
		ZRouteParticipationHours:      800,
		PVTMinimumHours:               12,
		RouteChangeWindowMonths:       18,
		LoanMaximum:                   10_000_00,
		LoanQuarterCap:                2_000_00,
		ELIPHighUsed:                  9_500_00,
		ELIPMidUsed:                   7_500_00,
		ELIPMidMonthsLeft:             12,
		RepaymentStartMonths:          6,
		RepaymentYears:                10,
		AsylumLoansRecovered:          true,
		AsylumFinesOnlyExceptional:    false,
		MedicalFee:                    225_00,
		MedicalAverageWeeks:           27,
		ConsentReplyDays:              14,
	}
	keren := base
	keren.ValidFrom = NewDate(2025, 2, 4)
	keren.AsylumLoansRecovered = false
	keren.AsylumFinesOnlyExceptional = true
	return PolicyTable{base, keren}
}
