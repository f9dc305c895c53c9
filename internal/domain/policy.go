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
	// ExtensionMaxMonths caps one ground's extensions in total, in months; a ground that is absent
	// has no maximum in the law (domain.md §3: "No general maximum found").
	// Literacy (Wi2013) and the childcare-benefit recovery operation: at most 2 years [law][letter];
	// late A2 marking: 6 months [3p].
	ExtensionMaxMonths map[ExtensionGround]int
	// FineTermYears is the new term that starts after a Wi2013 fine (boetetermijn) [law].
	FineTermYears int
	// §3 last safe date to register for an exam: registration to sitting (> 6 weeks) plus results (up to 8 weeks).
	ExamRegistrationToSittingDays int
	ExamResultDays                int

	// §4 PIP
	PIPDeadlineWeeks         int // after DUO's notice (kennisgeving), or BRP registration when later [law]
	PIPThirdPartyWeeks       int // added while information from a third party is awaited [law]
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
	// Remission (kwijtschelding, Wi2013, asylum permit holders and their family) [law]: in full when the
	// obligation is met within the term; partly when at most RemissionMaxLateParts exam parts were still
	// open at the term end and the obligation is met at most RemissionLateMonths[1] months late.
	// RemissionPercent[parts-1][0] applies up to RemissionLateMonths[0] months late, [1] up to [1].
	RemissionMaxLateParts int
	RemissionLateMonths   [2]int
	RemissionPercent      [2][2]int

	// §6 fines
	// Wi2013FineTable[attempts][hours band] in cents: rows FineAttempts (none/all once/failed twice),
	// columns < FineHoursLow, FineHoursLow up to FineHoursHigh, >= FineHoursHigh [law].
	Wi2013FineTable [3][3]Cents
	FineHoursLow    int
	FineHoursHigh   int
	// Wi2021 maxima per missed part [3p].
	Wi2021FineMaxLearningRoute Cents
	Wi2021FineMaxPVT           Cents
	Wi2021FineMaxMAP           Cents
	// HearingAbove: a hearing is offered when the fine exceeds this amount [law].
	HearingAbove Cents

	// §7 medical requests
	MedicalFee          Cents // fee of a medical request, refunded when granted [3p]
	MedicalAverageWeeks int   // current average lead time of a medical assessment [letter]
	ConsentReplyDays    int   // days to choose under the blocking right after the advice is ready [assume]

	// §8 Wi2013 exemption for demonstrable effort (AGI): classroom hours at keurmerk schools, the
	// time the term must have run, and the attempts at each exam part [law] (domain.md §8).
	AGIHours           int
	AGITermMonths      int
	AGIAttemptsPerExam int
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
		ExamRegistrationToSittingDays: 6 * 7,
		ExamResultDays:                8 * 7,
		PIPDeadlineWeeks:              10,
		PIPThirdPartyWeeks:            2,
		ExtensionMaxMonths: map[ExtensionGround]int{
			GroundAlfabetisering:    24,
			GroundHerstelToeslagen:  24,
			GroundLateA2Beoordeling: 6,
		},
		FineTermYears:              2,
		ZRouteCourseHours:          800,
		ZRouteParticipationHours:   800,
		PVTMinimumHours:            12,
		RouteChangeWindowMonths:    18,
		LoanMaximum:                10_000_00,
		LoanQuarterCap:             2_000_00,
		ELIPHighUsed:               9_500_00,
		ELIPMidUsed:                7_500_00,
		ELIPMidMonthsLeft:          12,
		RepaymentStartMonths:       6,
		RepaymentYears:             10,
		AsylumLoansRecovered:       true,
		AsylumFinesOnlyExceptional: false,
		RemissionMaxLateParts:      2,
		RemissionLateMonths:        [2]int{3, 6},
		RemissionPercent:           [2][2]int{{90, 60}, {70, 40}},
		Wi2013FineTable: [3][3]Cents{
			{1_250_00, 875_00, 500_00},
			{1_000_00, 625_00, 250_00},
			{750_00, 375_00, 0},
		},
		FineHoursLow:               150,
		FineHoursHigh:              300,
		Wi2021FineMaxLearningRoute: 1_000_00,
		Wi2021FineMaxPVT:           340_00,
		Wi2021FineMaxMAP:           340_00,
		HearingAbove:               340_00,
		MedicalFee:                 225_00,
		MedicalAverageWeeks:        27,
		ConsentReplyDays:           14,
		AGIHours:                   600,
		AGITermMonths:              30,
		AGIAttemptsPerExam:         4,
	}
	keren := base
	keren.ValidFrom = NewDate(2025, 2, 4)
	keren.AsylumLoansRecovered = false
	keren.AsylumFinesOnlyExceptional = true
	return PolicyTable{base, keren}
}
