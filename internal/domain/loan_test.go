package domain

import (
	"slices"
	"testing"
)

func eur(euros int64) Cents { return Cents(euros * 100) }

func centsPtr(c Cents) *Cents { return &c }

func TestComputeLoanAmounts(t *testing.T) {
	policies := DefaultPolicies()
	inv := func(date string, amount Cents) Invoice {
		return Invoice{School: "Taalschool A", Amount: amount, Date: mustDate(t, date), Status: InvoicePaid}
	}
	tests := []struct {
		name             string
		in               LoanInput
		today            string
		wantApplies      bool
		wantMaximum      Cents
		wantUsed         Cents
		wantBalance      Cents
		wantQuarterStart string
		wantQuarterUsed  Cents
		wantQuarterLeft  Cents
	}{
		{
			name:        "no invoices",
			in:          LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan},
			today:       "2024-05-15",
			wantApplies: true, wantMaximum: eur(10_000), wantUsed: 0, wantBalance: eur(10_000),
			wantQuarterStart: "2024-04-01", wantQuarterUsed: 0, wantQuarterLeft: eur(2_000),
		},
		{
			name: "balance = maximum - used; only this quarter's invoices up to today count",
			in: LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: []Invoice{
				inv("2023-11-10", eur(1_800)),
				inv("2024-03-31", eur(1_000)), // previous quarter
				inv("2024-04-01", eur(700)),   // first day of the quarter
				inv("2024-05-15", eur(800)),   // today
			}},
			today:       "2024-05-15",
			wantApplies: true, wantMaximum: eur(10_000), wantUsed: eur(4_300), wantBalance: eur(5_700),
			wantQuarterStart: "2024-04-01", wantQuarterUsed: eur(1_500), wantQuarterLeft: eur(500),
		},
		{
			name: "invoice dated after today is not used, nor quarter use",
			in: LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: []Invoice{
				inv("2024-04-02", eur(300)),
				inv("2024-05-16", eur(400)),
			}},
			today:       "2024-05-15",
			wantApplies: true, wantMaximum: eur(10_000), wantUsed: eur(300), wantBalance: eur(9_700),
			wantQuarterStart: "2024-04-01", wantQuarterUsed: eur(300), wantQuarterLeft: eur(1_700),
		},
		{
			name: "quarter left capped by the balance",
			in: LoanInput{Regime: Wi2021, TargetGroup: OverigeMigrant, Payer: PayerLoan, Invoices: []Invoice{
				inv("2023-01-15", eur(2_000)), inv("2023-04-15", eur(2_000)), inv("2023-07-15", eur(2_000)),
				inv("2023-10-15", eur(2_000)), inv("2024-01-15", eur(1_200)),
			}},
			today:       "2024-04-10",
			wantApplies: true, wantMaximum: eur(10_000), wantUsed: eur(9_200), wantBalance: eur(800),
			wantQuarterStart: "2024-04-01", wantQuarterUsed: 0, wantQuarterLeft: eur(800),
		},
		{
			name: "quarter cap reached",
			in: LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: []Invoice{
				inv("2024-07-01", eur(1_200)), inv("2024-09-30", eur(800)),
			}},
			today:       "2024-09-30",
			wantApplies: true, wantMaximum: eur(10_000), wantUsed: eur(2_000), wantBalance: eur(8_000),
			wantQuarterStart: "2024-07-01", wantQuarterUsed: eur(2_000), wantQuarterLeft: 0,
		},
		{
			name: "quarter over the cap: left is 0, never negative",
			in: LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: []Invoice{
				inv("2024-10-01", eur(1_500)), inv("2024-11-01", eur(1_000)),
			}},
			today:       "2024-12-31",
			wantApplies: true, wantMaximum: eur(10_000), wantUsed: eur(2_500), wantBalance: eur(7_500),
			wantQuarterStart: "2024-10-01", wantQuarterUsed: eur(2_500), wantQuarterLeft: 0,
		},
		{
			name: "new quarter resets quarter use",
			in: LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: []Invoice{
				inv("2024-12-31", eur(2_000)),
			}},
			today:       "2025-01-01",
			wantApplies: true, wantMaximum: eur(10_000), wantUsed: eur(2_000), wantBalance: eur(8_000),
			wantQuarterStart: "2025-01-01", wantQuarterUsed: 0, wantQuarterLeft: eur(2_000),
		},
		{
			name: "income-based maximum below 10,000 is used",
			in: LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Maximum: centsPtr(eur(6_000)), Invoices: []Invoice{
				inv("2024-02-01", eur(1_000)),
			}},
			today:       "2024-05-15",
			wantApplies: true, wantMaximum: eur(6_000), wantUsed: eur(1_000), wantBalance: eur(5_000),
			wantQuarterStart: "2024-04-01", wantQuarterUsed: 0, wantQuarterLeft: eur(2_000),
		},
		{
			name:        "income-based maximum equal to 10,000",
			in:          LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Maximum: centsPtr(eur(10_000))},
			today:       "2024-05-15",
			wantApplies: true, wantMaximum: eur(10_000), wantBalance: eur(10_000),
			wantQuarterStart: "2024-04-01", wantQuarterLeft: eur(2_000),
		},
		{
			name:        "income-based maximum above 10,000 is capped at the policy maximum",
			in:          LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Maximum: centsPtr(eur(12_000))},
			today:       "2024-05-15",
			wantApplies: true, wantMaximum: eur(10_000), wantBalance: eur(10_000),
			wantQuarterStart: "2024-04-01", wantQuarterLeft: eur(2_000),
		},
		{
			name: "small income-based maximum caps quarter left",
			in: LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Maximum: centsPtr(eur(1_500)), Invoices: []Invoice{
				inv("2024-04-10", eur(500)),
			}},
			today:       "2024-05-15",
			wantApplies: true, wantMaximum: eur(1_500), wantUsed: eur(500), wantBalance: eur(1_000),
			wantQuarterStart: "2024-04-01", wantQuarterUsed: eur(500), wantQuarterLeft: eur(1_000),
		},
		{
			name: "used above the maximum: balance 0, never negative",
			in: LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Maximum: centsPtr(eur(3_000)), Invoices: []Invoice{
				inv("2024-01-10", eur(2_000)), inv("2024-04-10", eur(1_500)),
			}},
			today:       "2024-05-15",
			wantApplies: true, wantMaximum: eur(3_000), wantUsed: eur(3_500), wantBalance: 0,
			wantQuarterStart: "2024-04-01", wantQuarterUsed: eur(1_500), wantQuarterLeft: 0,
		},
		{
			name:        "gemeente pays: loan does not apply",
			in:          LoanInput{Regime: Wi2021, TargetGroup: Asielstatushouder, Payer: PayerGemeente},
			today:       "2024-05-15",
			wantApplies: false, wantMaximum: 0, wantBalance: 0, // no maximum or balance for a non-borrower
			wantQuarterStart: "2024-04-01", wantQuarterLeft: 0,
		},
		{
			name:        "self-paying: loan does not apply",
			in:          LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerSelf},
			today:       "2024-05-15",
			wantApplies: false, wantMaximum: 0, wantBalance: 0, // no maximum or balance for a non-borrower
			wantQuarterStart: "2024-04-01", wantQuarterLeft: 0,
		},
		{
			name:        "trafficking victim treated like asylum permit holder: payer is data",
			in:          LoanInput{Regime: Wi2021, TargetGroup: OverigeMigrant, Payer: PayerGemeente},
			today:       "2024-05-15",
			wantApplies: false, wantMaximum: 0, wantBalance: 0, // no maximum or balance for a non-borrower
			wantQuarterStart: "2024-04-01", wantQuarterLeft: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := mustDate(t, tt.today)
			got := ComputeLoan(tt.in, policies.At(today), today)
			if got.Applies != tt.wantApplies {
				t.Errorf("Applies = %v, want %v", got.Applies, tt.wantApplies)
			}
			if got.Maximum != tt.wantMaximum {
				t.Errorf("Maximum = %d, want %d", got.Maximum, tt.wantMaximum)
			}
			if got.Used != tt.wantUsed {
				t.Errorf("Used = %d, want %d", got.Used, tt.wantUsed)
			}
			if got.Balance != tt.wantBalance {
				t.Errorf("Balance = %d, want %d", got.Balance, tt.wantBalance)
			}
			if got.QuarterStart.String() != tt.wantQuarterStart {
				t.Errorf("QuarterStart = %s, want %s", got.QuarterStart, tt.wantQuarterStart)
			}
			if got.QuarterUsed != tt.wantQuarterUsed {
				t.Errorf("QuarterUsed = %d, want %d", got.QuarterUsed, tt.wantQuarterUsed)
			}
			wantCap := eur(2_000)
			if !tt.wantApplies {
				wantCap = 0
			}
			if got.QuarterCap != wantCap {
				t.Errorf("QuarterCap = %d, want %d", got.QuarterCap, wantCap)
			}
			if got.QuarterLeft != tt.wantQuarterLeft {
				t.Errorf("QuarterLeft = %d, want %d", got.QuarterLeft, tt.wantQuarterLeft)
			}
		})
	}
}

func TestComputeLoanELIP(t *testing.T) {
	policies := DefaultPolicies()
	// A Wi2013 term from 2021-06-01 ends 2024-05-31; 12 months before end + 1 is 2023-06-01.
	termEnd := datePtr(t, "2024-05-31")
	used := func(c Cents) []Invoice {
		return []Invoice{{School: "Taalschool A", Amount: c, Date: NewDate(2022, 1, 10), Status: InvoicePaid}}
	}
	tests := []struct {
		name     string
		regime   Regime
		used     Cents
		end      *Date
		today    string
		want     []ELIPWarning
		met, exm string // obligation met on, exemption on ("" = not)
	}{
		{"met: no warnings", Wi2013, eur(9_600), termEnd, "2024-01-01", nil, "2024-01-01", ""},
		{"met the day after today: still warns", Wi2013, eur(9_600), termEnd, "2024-01-01", []ELIPWarning{ELIPHigh, ELIPMidShortTerm}, "2024-01-02", ""},
		{"exempted: no warnings", Wi2013, eur(9_600), termEnd, "2024-07-01", nil, "", "2024-06-15"},
		{"high at exactly 9,500", Wi2013, eur(9_500), termEnd, "2022-06-01", []ELIPWarning{ELIPHigh}, "", ""},
		{"not high at 9,499.99", Wi2013, eur(9_500) - 1, termEnd, "2022-06-01", nil, "", ""},
		{"high at 10,000", Wi2013, eur(10_000), termEnd, "2022-06-01", []ELIPWarning{ELIPHigh}, "", ""},
		{"high without a known term end", Wi2013, eur(9_500), nil, "2022-06-01", []ELIPWarning{ELIPHigh}, "", ""},
		{"high but not Wi2021", Wi2021, eur(9_500), termEnd, "2022-06-01", nil, "", ""},
		{"high but not Wi2007", Wi2007, eur(9_500), termEnd, "2022-06-01", nil, "", ""},
		{"mid: > 7,500 and < 12 months left", Wi2013, eur(7_500) + 1, termEnd, "2023-06-02", []ELIPWarning{ELIPMidShortTerm}, "", ""},
		{"mid: 7,500.00 exactly is not more than 7,500", Wi2013, eur(7_500), termEnd, "2023-06-02", nil, "", ""},
		{"mid: exactly 12 months left is not fewer than 12", Wi2013, eur(8_000), termEnd, "2023-06-01", nil, "", ""},
		{"mid: one day under 12 months left", Wi2013, eur(8_000), termEnd, "2023-06-02", []ELIPWarning{ELIPMidShortTerm}, "", ""},
		{"mid: on the last day of the term", Wi2013, eur(8_000), termEnd, "2024-05-31", []ELIPWarning{ELIPMidShortTerm}, "", ""},
		{"mid: keeps warning the day after the term end", Wi2013, eur(8_000), termEnd, "2024-06-01", []ELIPWarning{ELIPMidShortTerm}, "", ""},
		{"mid: keeps warning years after the term end", Wi2013, eur(8_000), termEnd, "2026-06-01", []ELIPWarning{ELIPMidShortTerm}, "", ""},
		{"mid: needs a term end", Wi2013, eur(8_000), nil, "2024-01-01", nil, "", ""},
		{"mid: not under Wi2021", Wi2021, eur(8_000), termEnd, "2024-01-01", nil, "", ""},
		{"both high and mid", Wi2013, eur(9_600), termEnd, "2024-01-01", []ELIPWarning{ELIPHigh, ELIPMidShortTerm}, "", ""},
		{"high after the term end, and mid", Wi2013, eur(9_600), termEnd, "2024-07-01", []ELIPWarning{ELIPHigh, ELIPMidShortTerm}, "", ""},
		{"nothing used", Wi2013, 0, termEnd, "2024-01-01", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := mustDate(t, tt.today)
			in := LoanInput{Regime: tt.regime, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: used(tt.used), TermEnd: tt.end,
				ObligationMetOn: datePtr(t, tt.met), ExemptedOn: datePtr(t, tt.exm)}
			got := ComputeLoan(in, policies.At(today), today)
			if !slices.Equal(got.Warnings, tt.want) {
				t.Errorf("Warnings = %v, want %v", got.Warnings, tt.want)
			}
		})
	}
}

func TestComputeLoanRepayment(t *testing.T) {
	policies := DefaultPolicies()
	oneInvoice := []Invoice{{School: "Taalschool A", Amount: eur(5_000), Date: NewDate(2021, 9, 1), Status: InvoicePaid}}
	tests := []struct {
		name          string
		in            LoanInput
		today         string
		wantRecovered bool
		wantStart     string // "" means nil
		wantEnd       string
	}{
		{
			name:          "Wi2013: starts term end + 1 day + 6 months, runs 10 years",
			in:            LoanInput{Regime: Wi2013, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: oneInvoice, TermEnd: datePtr(t, "2024-05-31")},
			today:         "2024-01-01",
			wantRecovered: true, wantStart: "2024-12-01", wantEnd: "2034-11-30",
		},
		{
			name:          "Wi2013: term ending 31 Aug",
			in:            LoanInput{Regime: Wi2013, TargetGroup: OverigeMigrant, Payer: PayerLoan, Invoices: oneInvoice, TermEnd: datePtr(t, "2023-08-31")},
			today:         "2024-01-01",
			wantRecovered: true, wantStart: "2024-03-01", wantEnd: "2034-02-28",
		},
		{
			name:          "Wi2013: term ending 29 Feb",
			in:            LoanInput{Regime: Wi2013, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: oneInvoice, TermEnd: datePtr(t, "2024-02-29")},
			today:         "2024-01-01",
			wantRecovered: true, wantStart: "2024-09-01", wantEnd: "2034-08-31",
		},
		{
			name:          "Wi2013: nothing used, nothing to repay",
			in:            LoanInput{Regime: Wi2013, TargetGroup: Gezinsmigrant, Payer: PayerLoan, TermEnd: datePtr(t, "2024-05-31")},
			today:         "2024-01-01",
			wantRecovered: true,
		},
		{
			name:          "Wi2013: unknown term end",
			in:            LoanInput{Regime: Wi2013, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: oneInvoice},
			today:         "2024-01-01",
			wantRecovered: true,
		},
		{
			name:          "Wi2021: no repayment dates",
			in:            LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: oneInvoice, TermEnd: datePtr(t, "2026-03-14")},
			today:         "2024-01-01",
			wantRecovered: true,
		},
		{
			name:          "asylum permit holder under the 2022 policy: recovered",
			in:            LoanInput{Regime: Wi2013, TargetGroup: Asielstatushouder, Payer: PayerLoan, Invoices: oneInvoice, TermEnd: datePtr(t, "2024-05-31")},
			today:         "2025-02-03",
			wantRecovered: true, wantStart: "2024-12-01", wantEnd: "2034-11-30",
		},
		{
			name:          "asylum permit holder from 2025-02-04 (Keren): not recovered, no repayment dates",
			in:            LoanInput{Regime: Wi2013, TargetGroup: Asielstatushouder, Payer: PayerLoan, Invoices: oneInvoice, TermEnd: datePtr(t, "2024-05-31")},
			today:         "2025-02-04",
			wantRecovered: false,
		},
		{
			name:          "family migrant from 2025-02-04: still recovered",
			in:            LoanInput{Regime: Wi2013, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: oneInvoice, TermEnd: datePtr(t, "2024-05-31")},
			today:         "2025-02-04",
			wantRecovered: true, wantStart: "2024-12-01", wantEnd: "2034-11-30",
		},
		{
			name:          "other migrant long after Keren: still recovered",
			in:            LoanInput{Regime: Wi2013, TargetGroup: OverigeMigrant, Payer: PayerLoan, Invoices: oneInvoice, TermEnd: datePtr(t, "2024-05-31")},
			today:         "2026-06-01",
			wantRecovered: true, wantStart: "2024-12-01", wantEnd: "2034-11-30",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := mustDate(t, tt.today)
			got := ComputeLoan(tt.in, policies.At(today), today)
			if got.Recovered != tt.wantRecovered {
				t.Errorf("Recovered = %v, want %v", got.Recovered, tt.wantRecovered)
			}
			if s := dateStr(got.RepaymentStart); s != tt.wantStart {
				t.Errorf("RepaymentStart = %q, want %q", s, tt.wantStart)
			}
			if s := dateStr(got.RepaymentEnd); s != tt.wantEnd {
				t.Errorf("RepaymentEnd = %q, want %q", s, tt.wantEnd)
			}
		})
	}
}
