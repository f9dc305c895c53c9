package domain

import "testing"

func TestComputeTerm(t *testing.T) {
	policies := DefaultPolicies()
	ext := func(g ExtensionGround, months int) Extension {
		return Extension{Ground: g, Months: months, DecisionDate: NewDate(2024, 1, 10), Reference: "TEST-" + string(g)}
	}
	tests := []struct {
		name  string
		in    TermInput
		today string

		wantState     TermState
		wantStart     string // "" means nil
		wantBaseEnd   string
		wantEnd       string
		wantExtMonths int
		wantDaysLeft  int
		wantLastSafe  string
	}{
		{
			name:      "Wi2021 starts the day after the first PIP",
			in:        TermInput{Regime: Wi2021, ObligationStart: mustDate(t, "2022-10-01"), FirstPIPDate: datePtr(t, "2023-03-14")},
			today:     "2024-01-01",
			wantState: TermRunning, wantStart: "2023-03-15", wantBaseEnd: "2026-03-14", wantEnd: "2026-03-14",
			wantDaysLeft: 803, wantLastSafe: "2025-12-06",
		},
		{
			name:      "Wi2021 start ignores the obligation start",
			in:        TermInput{Regime: Wi2021, ObligationStart: mustDate(t, "2022-01-01"), FirstPIPDate: datePtr(t, "2022-12-31")},
			today:     "2023-01-01",
			wantState: TermRunning, wantStart: "2023-01-01", wantBaseEnd: "2025-12-31", wantEnd: "2025-12-31",
			wantDaysLeft: 1095, wantLastSafe: "2025-09-24",
		},
		{
			name:      "Wi2021 not started without a PIP",
			in:        TermInput{Regime: Wi2021, ObligationStart: mustDate(t, "2023-01-01")},
			today:     "2024-06-01",
			wantState: TermNotStarted,
		},
		{
			name:      "Wi2021 without a PIP but exempted",
			in:        TermInput{Regime: Wi2021, ObligationStart: mustDate(t, "2023-01-01"), ExemptedOn: datePtr(t, "2024-05-01")},
			today:     "2024-06-01",
			wantState: TermExempted,
		},
		{
			name:      "Wi2013 starts on the obligation start, end = start + 3y - 1d",
			in:        TermInput{Regime: Wi2013, ObligationStart: mustDate(t, "2019-05-10")},
			today:     "2020-01-01",
			wantState: TermRunning, wantStart: "2019-05-10", wantBaseEnd: "2022-05-09", wantEnd: "2022-05-09",
			wantDaysLeft: 859, wantLastSafe: "2022-01-31",
		},
		{
			name:      "Wi2013 first day of the regime",
			in:        TermInput{Regime: Wi2013, ObligationStart: mustDate(t, "2013-01-01")},
			today:     "2013-01-01",
			wantState: TermRunning, wantStart: "2013-01-01", wantBaseEnd: "2015-12-31", wantEnd: "2015-12-31",
			wantDaysLeft: 1094, wantLastSafe: "2015-09-24",
		},
		{
			name:      "Wi2007: the end is the date the gemeente set, not computed",
			in:        TermInput{Regime: Wi2007, ObligationStart: mustDate(t, "2010-09-01"), GemeenteEnd: datePtr(t, "2015-02-28")},
			today:     "2024-01-01",
			wantState: TermExpired, wantStart: "2010-09-01", wantBaseEnd: "2015-02-28", wantEnd: "2015-02-28",
			wantDaysLeft: 0, wantLastSafe: "2014-11-22",
		},
		{
			name:      "Wi2007 gemeente date still running",
			in:        TermInput{Regime: Wi2007, ObligationStart: mustDate(t, "2010-09-01"), GemeenteEnd: datePtr(t, "2025-06-30")},
			today:     "2024-01-01",
			wantState: TermRunning, wantStart: "2010-09-01", wantBaseEnd: "2025-06-30", wantEnd: "2025-06-30",
			wantDaysLeft: 546, wantLastSafe: "2025-03-24",
		},
		{
			name:      "Wi2007 without the gemeente's date: unknown, nothing computed",
			in:        TermInput{Regime: Wi2007, ObligationStart: mustDate(t, "2010-09-01")},
			today:     "2024-01-01",
			wantState: TermUnknown, wantStart: "2010-09-01",
		},
		{
			name:      "24 months childcare-benefit extension",
			in:        TermInput{Regime: Wi2013, ObligationStart: mustDate(t, "2021-06-01"), Extensions: []Extension{ext(GroundHerstelToeslagen, 24)}},
			today:     "2024-06-01",
			wantState: TermRunning, wantStart: "2021-06-01", wantBaseEnd: "2024-05-31", wantEnd: "2026-05-31", wantExtMonths: 24,
			wantDaysLeft: 729, wantLastSafe: "2026-02-22",
		},
		{
			name: "two extensions sum",
			in: TermInput{Regime: Wi2013, ObligationStart: mustDate(t, "2021-06-01"),
				Extensions: []Extension{ext(GroundZiekte, 6), ext(GroundHerstelToeslagen, 24)}},
			today:     "2024-06-01",
			wantState: TermRunning, wantStart: "2021-06-01", wantBaseEnd: "2024-05-31", wantEnd: "2026-11-30", wantExtMonths: 30,
			wantDaysLeft: 912, wantLastSafe: "2026-08-24",
		},
		{
			name: "Wi2021 extension: late A2 marking + 6 months",
			in: TermInput{Regime: Wi2021, ObligationStart: mustDate(t, "2022-10-01"), FirstPIPDate: datePtr(t, "2023-03-14"),
				Extensions: []Extension{ext(GroundLateA2Beoordeling, 6)}},
			today:     "2026-03-15",
			wantState: TermFinalYear, wantStart: "2023-03-15", wantBaseEnd: "2026-03-14", wantEnd: "2026-09-14", wantExtMonths: 6,
			wantDaysLeft: 183, wantLastSafe: "2026-06-08",
		},
		{
			name:      "running: one day before the final year",
			in:        TermInput{Regime: Wi2021, FirstPIPDate: datePtr(t, "2023-03-14")},
			today:     "2025-03-14",
			wantState: TermRunning, wantStart: "2023-03-15", wantBaseEnd: "2026-03-14", wantEnd: "2026-03-14",
			wantDaysLeft: 365, wantLastSafe: "2025-12-06",
		},
		{
			name:      "final year: exactly one year before end + 1",
			in:        TermInput{Regime: Wi2021, FirstPIPDate: datePtr(t, "2023-03-14")},
			today:     "2025-03-15",
			wantState: TermFinalYear, wantStart: "2023-03-15", wantBaseEnd: "2026-03-14", wantEnd: "2026-03-14",
			wantDaysLeft: 364, wantLastSafe: "2025-12-06",
		},
		{
			name:      "final year: the last day of the term, 0 days left",
			in:        TermInput{Regime: Wi2021, FirstPIPDate: datePtr(t, "2023-03-14")},
			today:     "2026-03-14",
			wantState: TermFinalYear, wantStart: "2023-03-15", wantBaseEnd: "2026-03-14", wantEnd: "2026-03-14",
			wantDaysLeft: 0, wantLastSafe: "2025-12-06",
		},
		{
			name:      "expired: the day after the end",
			in:        TermInput{Regime: Wi2021, FirstPIPDate: datePtr(t, "2023-03-14")},
			today:     "2026-03-15",
			wantState: TermExpired, wantStart: "2023-03-15", wantBaseEnd: "2026-03-14", wantEnd: "2026-03-14",
			wantDaysLeft: 0, wantLastSafe: "2025-12-06",
		},
		{
			name:      "obligation met ends the matter, even after expiry",
			in:        TermInput{Regime: Wi2021, FirstPIPDate: datePtr(t, "2023-03-14"), ObligationMetOn: datePtr(t, "2025-06-01")},
			today:     "2027-01-01",
			wantState: TermObligationMet, wantStart: "2023-03-15", wantBaseEnd: "2026-03-14", wantEnd: "2026-03-14",
			wantDaysLeft: 0, wantLastSafe: "2025-12-06",
		},
		{
			name:      "obligation met on today",
			in:        TermInput{Regime: Wi2021, FirstPIPDate: datePtr(t, "2023-03-14"), ObligationMetOn: datePtr(t, "2025-06-01")},
			today:     "2025-06-01",
			wantState: TermObligationMet, wantStart: "2023-03-15", wantBaseEnd: "2026-03-14", wantEnd: "2026-03-14",
			wantDaysLeft: 0, wantLastSafe: "2025-12-06",
		},
		{
			name:      "obligation met in the future does not count yet",
			in:        TermInput{Regime: Wi2021, FirstPIPDate: datePtr(t, "2023-03-14"), ObligationMetOn: datePtr(t, "2025-06-02")},
			today:     "2025-06-01",
			wantState: TermFinalYear, wantStart: "2023-03-15", wantBaseEnd: "2026-03-14", wantEnd: "2026-03-14",
			wantDaysLeft: 286, wantLastSafe: "2025-12-06",
		},
		{
			name:      "exempted",
			in:        TermInput{Regime: Wi2013, ObligationStart: mustDate(t, "2020-01-15"), ExemptedOn: datePtr(t, "2021-02-01")},
			today:     "2021-03-01",
			wantState: TermExempted, wantStart: "2020-01-15", wantBaseEnd: "2023-01-14", wantEnd: "2023-01-14",
			wantDaysLeft: 0, wantLastSafe: "2022-10-08",
		},
		{
			name:      "exemption in the future does not count yet",
			in:        TermInput{Regime: Wi2013, ObligationStart: mustDate(t, "2020-01-15"), ExemptedOn: datePtr(t, "2021-03-02")},
			today:     "2021-03-01",
			wantState: TermRunning, wantStart: "2020-01-15", wantBaseEnd: "2023-01-14", wantEnd: "2023-01-14",
			wantDaysLeft: 684, wantLastSafe: "2022-10-08",
		},
		{
			name: "obligation met wins over exemption",
			in: TermInput{Regime: Wi2013, ObligationStart: mustDate(t, "2020-01-15"),
				ObligationMetOn: datePtr(t, "2021-01-01"), ExemptedOn: datePtr(t, "2021-02-01")},
			today:     "2021-03-01",
			wantState: TermObligationMet, wantStart: "2020-01-15", wantBaseEnd: "2023-01-14", wantEnd: "2023-01-14",
			wantDaysLeft: 0, wantLastSafe: "2022-10-08",
		},
		{
			name:      "under the Keren policy version the term is the same",
			in:        TermInput{Regime: Wi2021, FirstPIPDate: datePtr(t, "2025-02-03")},
			today:     "2025-02-04",
			wantState: TermRunning, wantStart: "2025-02-04", wantBaseEnd: "2028-02-03", wantEnd: "2028-02-03",
			wantDaysLeft: 1094, wantLastSafe: "2027-10-28",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := mustDate(t, tt.today)
			got := ComputeTerm(tt.in, policies.At(today), today)
			if got.State != tt.wantState {
				t.Errorf("State = %q, want %q", got.State, tt.wantState)
			}
			if s := dateStr(got.Start); s != tt.wantStart {
				t.Errorf("Start = %q, want %q", s, tt.wantStart)
			}
			if s := dateStr(got.BaseEnd); s != tt.wantBaseEnd {
				t.Errorf("BaseEnd = %q, want %q", s, tt.wantBaseEnd)
			}
			if s := dateStr(got.End); s != tt.wantEnd {
				t.Errorf("End = %q, want %q", s, tt.wantEnd)
			}
			if got.ExtensionMonths != tt.wantExtMonths {
				t.Errorf("ExtensionMonths = %d, want %d", got.ExtensionMonths, tt.wantExtMonths)
			}
			if got.DaysLeft != tt.wantDaysLeft {
				t.Errorf("DaysLeft = %d, want %d", got.DaysLeft, tt.wantDaysLeft)
			}
			if s := dateStr(got.LastSafeExamRegistration); s != tt.wantLastSafe {
				t.Errorf("LastSafeExamRegistration = %q, want %q", s, tt.wantLastSafe)
			}
			// Invariants whenever the term has started.
			if got.End != nil {
				if d := got.LastSafeExamRegistration.DaysUntil(*got.End); d != 98 {
					t.Errorf("LastSafeExamRegistration is %d days before End, want 98 (6 + 8 weeks)", d)
				}
				if got.Start.After(*got.BaseEnd) || got.BaseEnd.After(*got.End) {
					t.Errorf("dates out of order: start %s, base end %s, end %s", got.Start, got.BaseEnd, got.End)
				}
			}
		})
	}
}

// TestComputeTermUsesPolicyLength checks that the term length comes from the policy, per regime.
func TestComputeTermUsesPolicyLength(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2024, 1, 1))
	p.TermYearsWi2021, p.TermYearsWi2013 = 4, 5
	tests := []struct {
		name    string
		in      TermInput
		wantEnd string
	}{
		{"Wi2021 uses TermYearsWi2021", TermInput{Regime: Wi2021, FirstPIPDate: datePtr(t, "2023-03-14")}, "2027-03-14"},
		{"Wi2013 uses TermYearsWi2013", TermInput{Regime: Wi2013, ObligationStart: mustDate(t, "2019-05-10")}, "2024-05-09"},
		{"Wi2007 ignores the policy: the gemeente's date", TermInput{Regime: Wi2007, ObligationStart: mustDate(t, "2010-09-01"), GemeenteEnd: datePtr(t, "2014-02-28")}, "2014-02-28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ComputeTerm(tt.in, p, NewDate(2024, 1, 1))
			if s := dateStr(got.End); s != tt.wantEnd {
				t.Errorf("End = %q, want %q", s, tt.wantEnd)
			}
		})
	}
}

// TestComputeTermMonthEndEdges pins how the term behaves when the start or end falls on a day that
// does not exist in the target month. domain.md says "End = start + 3 years − 1 day" without saying
// how to treat 29 Feb; these cases pin the reading that counts the period from the PIP date
// (period law: a period whose corresponding end date does not exist ends with the last day of that month).
func TestComputeTermMonthEndEdges(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2025, 1, 1))
	tests := []struct {
		name    string
		in      TermInput
		wantEnd string
	}{
		{"PIP 27 Feb 2024, start 28 Feb", TermInput{Regime: Wi2021, FirstPIPDate: datePtr(t, "2024-02-27")}, "2027-02-27"},
		{"PIP 29 Feb 2024, start 1 Mar", TermInput{Regime: Wi2021, FirstPIPDate: datePtr(t, "2024-02-29")}, "2027-02-28"},
		{"term ending 30 Apr + 1 month extension ends 31 May", TermInput{Regime: Wi2013, ObligationStart: mustDate(t, "2018-05-01"),
			Extensions: []Extension{{Ground: GroundZiekte, Months: 1}}}, "2021-05-31"},
		{
			name:    "PIP 28 Feb 2024, start 29 Feb: term ends 28 Feb 2027",
			in:      TermInput{Regime: Wi2021, FirstPIPDate: datePtr(t, "2024-02-28")},
			wantEnd: "2027-02-28",
		},
		{
			name: "Wi2013 term ending 30 Aug 2021 + 6 month extension ends 28 Feb 2022",
			in: TermInput{Regime: Wi2013, ObligationStart: mustDate(t, "2018-08-31"),
				Extensions: []Extension{{Ground: GroundZiekte, Months: 6}}},
			wantEnd: "2022-02-28",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ComputeTerm(tt.in, p, NewDate(2025, 1, 1))
			if s := dateStr(got.End); s != tt.wantEnd {
				t.Errorf("End = %q, want %q", s, tt.wantEnd)
			}
		})
	}
}
