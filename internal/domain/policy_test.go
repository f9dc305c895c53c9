package domain

import (
	"reflect"
	"testing"
)

func TestPolicyTableAt(t *testing.T) {
	def := DefaultPolicies()
	reversed := PolicyTable{def[1], def[0]}
	tests := []struct {
		name           string
		table          PolicyTable
		on             string
		wantValidFrom  string
		wantRecovered  bool
		wantFinesExcep bool
	}{
		{"before the first version: earliest", def, "2021-06-01", "2022-01-01", true, false},
		{"first version's first day", def, "2022-01-01", "2022-01-01", true, false},
		{"day before Keren", def, "2025-02-03", "2022-01-01", true, false},
		{"Keren ruling day", def, "2025-02-04", "2025-02-04", false, true},
		{"day after Keren", def, "2025-02-05", "2025-02-04", false, true},
		{"far future", def, "2030-01-01", "2025-02-04", false, true},
		{"reversed: day before Keren", reversed, "2025-02-03", "2022-01-01", true, false},
		{"reversed: Keren ruling day", reversed, "2025-02-04", "2025-02-04", false, true},
		{"reversed: day after Keren", reversed, "2025-02-05", "2025-02-04", false, true},
		{"reversed: first version", reversed, "2023-01-01", "2022-01-01", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := append(PolicyTable(nil), tt.table...)
			got := tt.table.At(mustDate(t, tt.on))
			if got.ValidFrom.String() != tt.wantValidFrom {
				t.Errorf("At(%s).ValidFrom = %s, want %s", tt.on, got.ValidFrom, tt.wantValidFrom)
			}
			if got.AsylumLoansRecovered != tt.wantRecovered {
				t.Errorf("At(%s).AsylumLoansRecovered = %v, want %v", tt.on, got.AsylumLoansRecovered, tt.wantRecovered)
			}
			if got.AsylumFinesOnlyExceptional != tt.wantFinesExcep {
				t.Errorf("At(%s).AsylumFinesOnlyExceptional = %v, want %v", tt.on, got.AsylumFinesOnlyExceptional, tt.wantFinesExcep)
			}
			if !reflect.DeepEqual(before, tt.table) {
				t.Errorf("At reordered the caller's table")
			}
		})
	}
}

func TestPolicyTableAtShuffled(t *testing.T) {
	mk := func(y int, tag int) Policy { return Policy{ValidFrom: NewDate(y, 1, 1), PVTMinimumHours: tag} }
	table := PolicyTable{mk(2024, 24), mk(2020, 20), mk(2026, 26), mk(2022, 22)}
	tests := []struct {
		on   string
		want int
	}{
		{"2019-12-31", 20},
		{"2020-01-01", 20},
		{"2021-12-31", 20},
		{"2022-01-01", 22},
		{"2023-12-31", 22},
		{"2024-01-01", 24},
		{"2025-12-31", 24},
		{"2026-01-01", 26},
		{"2099-01-01", 26},
	}
	for _, tt := range tests {
		t.Run(tt.on, func(t *testing.T) {
			if got := table.At(mustDate(t, tt.on)).PVTMinimumHours; got != tt.want {
				t.Errorf("At(%s) picked version %d, want %d", tt.on, got, tt.want)
			}
		})
	}
}

func TestPolicyTableAtEmptyPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("At on an empty table did not panic")
		}
	}()
	PolicyTable{}.At(NewDate(2024, 1, 1))
}

// TestDefaultPolicies checks every figure domain.md gives, in every version of the table.
func TestDefaultPolicies(t *testing.T) {
	table := DefaultPolicies()
	if len(table) == 0 {
		t.Fatal("empty default policy table")
	}
	for _, p := range table {
		t.Run(p.ValidFrom.String(), func(t *testing.T) {
			tests := []struct {
				name string
				got  int64
				want int64
			}{
				{"TermYearsWi2021 (3 years, §3)", int64(p.TermYearsWi2021), 3},
				{"TermYearsWi2013 (3 years, §3)", int64(p.TermYearsWi2013), 3},
				{"ExamRegistrationToSittingDays (6 weeks, §3)", int64(p.ExamRegistrationToSittingDays), 42},
				{"ExamResultDays (8 weeks, §3)", int64(p.ExamResultDays), 56},
				{"PIPDeadlineWeeks (10 weeks, §4)", int64(p.PIPDeadlineWeeks), 10},
				{"ZRouteCourseHours (800 h, §4)", int64(p.ZRouteCourseHours), 800},
				{"ZRouteParticipationHours (800 h, §4)", int64(p.ZRouteParticipationHours), 800},
				{"PVTMinimumHours (12 h, §4)", int64(p.PVTMinimumHours), 12},
				{"RouteChangeWindowMonths (18 months, §4)", int64(p.RouteChangeWindowMonths), 18},
				{"LoanMaximum (EUR 10,000, §5)", int64(p.LoanMaximum), 1_000_000},
				{"LoanQuarterCap (EUR 2,000, §5)", int64(p.LoanQuarterCap), 200_000},
				{"ELIPHighUsed (EUR 9,500, §5)", int64(p.ELIPHighUsed), 950_000},
				{"ELIPMidUsed (EUR 7,500, §5)", int64(p.ELIPMidUsed), 750_000},
				{"ELIPMidMonthsLeft (12 months, §5)", int64(p.ELIPMidMonthsLeft), 12},
				{"RepaymentStartMonths (6 months, §5)", int64(p.RepaymentStartMonths), 6},
				{"RepaymentYears (10 years, §5)", int64(p.RepaymentYears), 10},
				{"PIPThirdPartyWeeks (2 weeks, §4)", int64(p.PIPThirdPartyWeeks), 2},
				{"FineTermYears (2 years, §3)", int64(p.FineTermYears), 2},
				{"ExtensionMaxMonths literacy (2 years, §3)", int64(p.ExtensionMaxMonths[GroundAlfabetisering]), 24},
				{"ExtensionMaxMonths childcare-benefit recovery (2 years, §3)", int64(p.ExtensionMaxMonths[GroundHerstelToeslagen]), 24},
				{"ExtensionMaxMonths late A2 marking (6 months, §3)", int64(p.ExtensionMaxMonths[GroundLateA2Beoordeling]), 6},
				{"RemissionMaxLateParts (2, §5)", int64(p.RemissionMaxLateParts), 2},
				{"RemissionLateMonths (0–3, §5)", int64(p.RemissionLateMonths[0]), 3},
				{"RemissionLateMonths (3–6, §5)", int64(p.RemissionLateMonths[1]), 6},
				{"RemissionPercent one part 0–3 months (90 %, §5)", int64(p.RemissionPercent[0][0]), 90},
				{"RemissionPercent one part 3–6 months (60 %, §5)", int64(p.RemissionPercent[0][1]), 60},
				{"RemissionPercent two parts 0–3 months (70 %, §5)", int64(p.RemissionPercent[1][0]), 70},
				{"RemissionPercent two parts 3–6 months (40 %, §5)", int64(p.RemissionPercent[1][1]), 40},
				{"Wi2013FineTable not all attempted, < 150 h (EUR 1,250, §6)", int64(p.Wi2013FineTable[0][0]), 125_000},
				{"Wi2013FineTable not all attempted, 150–300 h (EUR 875, §6)", int64(p.Wi2013FineTable[0][1]), 87_500},
				{"Wi2013FineTable not all attempted, >= 300 h (EUR 500, §6)", int64(p.Wi2013FineTable[0][2]), 50_000},
				{"Wi2013FineTable all once, < 150 h (EUR 1,000, §6)", int64(p.Wi2013FineTable[1][0]), 100_000},
				{"Wi2013FineTable all once, 150–300 h (EUR 625, §6)", int64(p.Wi2013FineTable[1][1]), 62_500},
				{"Wi2013FineTable all once, >= 300 h (EUR 250, §6)", int64(p.Wi2013FineTable[1][2]), 25_000},
				{"Wi2013FineTable failed twice, < 150 h (EUR 750, §6)", int64(p.Wi2013FineTable[2][0]), 75_000},
				{"Wi2013FineTable failed twice, 150–300 h (EUR 375, §6)", int64(p.Wi2013FineTable[2][1]), 37_500},
				{"FineHoursLow (150 h, §6)", int64(p.FineHoursLow), 150},
				{"FineHoursHigh (300 h, §6)", int64(p.FineHoursHigh), 300},
				{"Wi2021FineMaxLearningRoute (EUR 1,000, §6)", int64(p.Wi2021FineMaxLearningRoute), 100_000},
				{"Wi2021FineMaxPVT (EUR 340, §6)", int64(p.Wi2021FineMaxPVT), 34_000},
				{"Wi2021FineMaxMAP (EUR 340, §6)", int64(p.Wi2021FineMaxMAP), 34_000},
				{"HearingAbove (EUR 340, §6)", int64(p.HearingAbove), 34_000},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					if tt.got == 0 {
						t.Errorf("is zero")
					}
					if tt.got != tt.want {
						t.Errorf("= %d, want %d", tt.got, tt.want)
					}
				})
			}
		})
	}
}

// TestDefaultPoliciesNoZeroNumbers guards against a new numeric Policy field left unset in a version.
func TestDefaultPoliciesNoZeroNumbers(t *testing.T) {
	for _, p := range DefaultPolicies() {
		v := reflect.ValueOf(p)
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			name := v.Type().Field(i).Name
			switch f.Kind() {
			case reflect.Int, reflect.Int64:
				if f.Int() == 0 {
					t.Errorf("version %s: %s is zero", p.ValidFrom, name)
				}
			case reflect.Struct:
				if name == "ValidFrom" && p.ValidFrom.IsZero() {
					t.Errorf("a version has a zero ValidFrom")
				}
			}
		}
	}
}

func TestDefaultPoliciesKerenFlags(t *testing.T) {
	tests := []struct {
		name           string
		on             string
		wantRecovered  bool
		wantFinesExcep bool
	}{
		{"2022 policy recovers asylum loans", "2024-12-31", true, false},
		{"Keren policy does not", "2025-02-04", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultPolicies().At(mustDate(t, tt.on))
			if p.AsylumLoansRecovered != tt.wantRecovered || p.AsylumFinesOnlyExceptional != tt.wantFinesExcep {
				t.Errorf("flags = %v/%v, want %v/%v", p.AsylumLoansRecovered, p.AsylumFinesOnlyExceptional, tt.wantRecovered, tt.wantFinesExcep)
			}
		})
	}
}
