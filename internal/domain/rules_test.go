package domain

import (
	"errors"
	"go/parser"
	"go/token"
	"strconv"
	"testing"
	"time"
)

func intPtr(n int) *int { return &n }

func TestUsedAmountCountsOnlyInvoicesUpToToday(t *testing.T) {
	inv := []Invoice{{Status: InvoicePaid, Amount: eur(100), Date: NewDate(2024, 5, 14)}, {Status: InvoicePaid, Amount: eur(200), Date: NewDate(2024, 5, 15)}, {Status: InvoicePaid, Amount: eur(400), Date: NewDate(2024, 5, 16)}}
	tests := []struct {
		today string
		want  Cents
	}{
		{"2024-05-13", 0},
		{"2024-05-14", eur(100)},
		{"2024-05-15", eur(300)},
		{"2024-05-16", eur(700)},
	}
	for _, tt := range tests {
		if got := UsedAmount(inv, mustDate(t, tt.today)); got != tt.want {
			t.Errorf("UsedAmount on %s = %d, want %d", tt.today, got, tt.want)
		}
	}
}

func TestLoanBorrowingOpen(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2024, 1, 1))
	today := NewDate(2024, 1, 1)
	tests := []struct {
		name string
		in   LoanInput
		want bool
	}{
		{"term running", LoanInput{Payer: PayerLoan, TermState: TermRunning}, true},
		{"final year (also a boetetermijn or an extension that runs)", LoanInput{Payer: PayerLoan, TermState: TermFinalYear}, true},
		{"term expired", LoanInput{Payer: PayerLoan, TermState: TermExpired}, false},
		{"term not started", LoanInput{Payer: PayerLoan, TermState: TermNotStarted}, false},
		{"obligation met today", LoanInput{Payer: PayerLoan, TermState: TermRunning, ObligationMetOn: datePtr(t, "2024-01-01")}, false},
		{"obligation met tomorrow: still open today", LoanInput{Payer: PayerLoan, TermState: TermRunning, ObligationMetOn: datePtr(t, "2024-01-02")}, true},
		{"exempted", LoanInput{Payer: PayerLoan, TermState: TermRunning, ExemptedOn: datePtr(t, "2023-12-31")}, false},
		{"gemeente pays", LoanInput{Payer: PayerGemeente, TermState: TermRunning}, false},
		{"self-pay", LoanInput{Payer: PayerSelf, TermState: TermRunning}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ComputeLoan(tt.in, p, today).BorrowingOpen; got != tt.want {
				t.Errorf("BorrowingOpen = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLoanRepaymentWhicheverFirst(t *testing.T) {
	policies := DefaultPolicies()
	five := []Invoice{{School: "A", Status: InvoicePaid, Amount: eur(5_000), Date: NewDate(2021, 9, 1)}}
	tests := []struct {
		name        string
		met, exempt string
		today       string
		wantStart   string
		wantEnd     string
		wantMonthly Cents
	}{
		{"not met: 6 months after the term end", "", "", "2024-06-01", "2024-12-01", "2034-11-30", 4167},
		{"met during the term: 6 months after that, earlier", "2024-03-10", "", "2024-06-01", "2024-09-10", "2034-09-09", 4167},
		{"met on the term end: 6 months after it, one day earlier", "2024-05-31", "", "2024-06-01", "2024-11-30", "2034-11-29", 4167},
		{"met after the term end: the term end comes first", "2024-07-01", "", "2024-08-01", "2024-12-01", "2034-11-30", 4167},
		{"exempted during the term counts as met", "", "2024-01-15", "2024-06-01", "2024-07-15", "2034-07-14", 4167},
		{"met in the future: not yet", "2024-07-01", "", "2024-06-01", "2024-12-01", "2034-11-30", 4167},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := mustDate(t, tt.today)
			in := LoanInput{Regime: Wi2013, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: five, TermEnd: datePtr(t, "2024-05-31"),
				ObligationMetOn: datePtr(t, tt.met), ExemptedOn: datePtr(t, tt.exempt)}
			got := ComputeLoan(in, policies.At(today), today)
			if s := dateStr(got.RepaymentStart); s != tt.wantStart {
				t.Errorf("RepaymentStart = %q, want %q", s, tt.wantStart)
			}
			if s := dateStr(got.RepaymentEnd); s != tt.wantEnd {
				t.Errorf("RepaymentEnd = %q, want %q", s, tt.wantEnd)
			}
			if got.MonthlyRepayment != tt.wantMonthly {
				t.Errorf("MonthlyRepayment = %d, want %d (EUR 5,000 over 120 months, rounded up)", got.MonthlyRepayment, tt.wantMonthly)
			}
			if got.Remission != nil {
				t.Errorf("Remission = %+v for a family migrant, want none", got.Remission)
			}
		})
	}
}

func TestLoanRemission(t *testing.T) {
	policies := DefaultPolicies() // the 2022 policy recovers asylum loans, so remission matters before 2025-02-04
	five := []Invoice{{School: "A", Status: InvoicePaid, Amount: eur(5_000), Date: NewDate(2021, 9, 1)}}
	tests := []struct {
		name      string
		group     TargetGroup
		met       string
		parts     *int
		today     string
		wantPct   int
		wantAfter Cents
		wantUntil string
	}{
		{"met on the last day of the term: in full", Asielstatushouder, "2024-01-31", nil, "2024-09-01", 100, 0, ""},
		{"met within the term: in full", Asielstatushouder, "2023-06-01", nil, "2024-09-01", 100, 0, ""},
		{"one part, a day late: 90%", Asielstatushouder, "2024-02-01", intPtr(1), "2024-09-01", 90, eur(500), ""},
		{"one part, 3 months late: 90%", Asielstatushouder, "2024-04-30", intPtr(1), "2024-09-01", 90, eur(500), ""},
		{"one part, 3 months and a day late: 60%", Asielstatushouder, "2024-05-01", intPtr(1), "2024-09-01", 60, eur(2_000), ""},
		{"one part, 6 months late: 60%", Asielstatushouder, "2024-07-31", intPtr(1), "2024-09-01", 60, eur(2_000), ""},
		{"one part, 6 months and a day late: none", Asielstatushouder, "2024-08-01", intPtr(1), "2024-09-01", 0, eur(5_000), ""},
		{"two parts, 2 months late: 70%", Asielstatushouder, "2024-03-31", intPtr(2), "2024-09-01", 70, eur(1_500), ""},
		{"two parts, 5 months late: 40%", Asielstatushouder, "2024-06-30", intPtr(2), "2024-09-01", 40, eur(3_000), ""},
		{"three parts late: none", Asielstatushouder, "2024-02-01", intPtr(3), "2024-09-01", 0, eur(5_000), ""},
		{"late without the parts on record: none", Asielstatushouder, "2024-02-01", nil, "2024-09-01", 0, eur(5_000), ""},
		{"not met yet, one part open: still possible until 6 months after", Asielstatushouder, "", intPtr(1), "2024-03-01", 0, eur(5_000), "2024-07-31"},
		{"not met, on the last possible day", Asielstatushouder, "", intPtr(1), "2024-07-31", 0, eur(5_000), "2024-07-31"},
		{"not met, past the 6 months: no longer possible", Asielstatushouder, "", intPtr(1), "2024-08-01", 0, eur(5_000), ""},
		{"family migrant met on time: no remission (only asylum permit holders and family)", Gezinsmigrant, "2023-06-01", nil, "2024-09-01", 0, eur(5_000), ""},
		{"partner of an asylum permit holder met on time: in full", "familielid", "2023-06-01", nil, "2024-09-01", 100, 0, ""},
		{"partner of an asylum permit holder, one part, 4 months late: 60%", "familielid", "2024-05-15", intPtr(1), "2024-09-01", 60, eur(2_000), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := mustDate(t, tt.today)
			in := LoanInput{Regime: Wi2013, TargetGroup: tt.group, Payer: PayerLoan, Invoices: five, TermEnd: datePtr(t, "2024-01-31"),
				ObligationMetOn: datePtr(t, tt.met), OpenPartsAtTermEnd: tt.parts}
			if tt.group == "familielid" { // a family migrant who is the partner of an asylum permit holder
				in.TargetGroup, in.AsylumFamilyMember = Gezinsmigrant, true
			}
			got := ComputeLoan(in, policies.At(today), today)
			pct, after := 0, got.Used
			if r := got.Remission; r != nil {
				pct, after = r.Percent, r.After
				if r.Before != eur(5_000) || r.Before-r.Remitted != r.After {
					t.Errorf("Remission figures inconsistent: %+v", r)
				}
			}
			if pct != tt.wantPct || after != tt.wantAfter {
				t.Errorf("remission = %d%%, after %d; want %d%%, after %d", pct, after, tt.wantPct, tt.wantAfter)
			}
			if s := dateStr(got.RemissionPossibleUntil); s != tt.wantUntil {
				t.Errorf("RemissionPossibleUntil = %q, want %q", s, tt.wantUntil)
			}
			if after == 0 && (got.RepaymentStart != nil || got.MonthlyRepayment != 0) {
				t.Errorf("nothing to repay but a schedule: %v %d", dateStr(got.RepaymentStart), got.MonthlyRepayment)
			}
			if after > 0 && got.MonthlyRepayment != (after+119)/120 {
				t.Errorf("MonthlyRepayment = %d, want %d", got.MonthlyRepayment, (after+119)/120)
			}
		})
	}
}

func TestLoanWi2021DUODecides(t *testing.T) {
	today := NewDate(2026, 1, 1)
	p := DefaultPolicies().At(today)
	used := []Invoice{{Status: InvoicePaid, Amount: eur(100), Date: NewDate(2025, 1, 1)}}
	tests := []struct {
		name string
		in   LoanInput
		want bool
	}{
		{"Wi2021 borrower with a debt: DUO decides, no figure", LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: used, TermEnd: datePtr(t, "2026-06-01")}, true},
		{"Wi2021 nothing used", LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan}, false},
		{"Wi2013: the rule book gives the schedule", LoanInput{Regime: Wi2013, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: used, TermEnd: datePtr(t, "2026-06-01")}, false},
		{"Wi2021 gemeente pays", LoanInput{Regime: Wi2021, TargetGroup: Asielstatushouder, Payer: PayerGemeente, Invoices: used}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ComputeLoan(tt.in, p, today)
			if got.DUODecides != tt.want {
				t.Errorf("DUODecides = %v, want %v", got.DUODecides, tt.want)
			}
			if tt.in.Regime == Wi2021 && (got.RepaymentStart != nil || got.MonthlyRepayment != 0 || got.Remission != nil) {
				t.Error("Wi2021 loan shows an invented repayment figure")
			}
		})
	}
}

func TestComputeFineWi2013Table(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2024, 1, 1))
	tests := []struct {
		hours    int
		attempts FineAttempts
		want     Cents
		hearing  bool
	}{
		{0, AttemptsNotAll, eur(1_250), true},
		{149, AttemptsNotAll, eur(1_250), true},
		{150, AttemptsNotAll, eur(875), true},
		{299, AttemptsNotAll, eur(875), true},
		{300, AttemptsNotAll, eur(500), true},
		{149, AttemptsAllOnce, eur(1_000), true},
		{150, AttemptsAllOnce, eur(625), true},
		{300, AttemptsAllOnce, eur(250), false},
		{149, AttemptsFailedTwice, eur(750), true},
		{150, AttemptsFailedTwice, eur(375), true},
		{299, AttemptsFailedTwice, eur(375), true},
		{300, AttemptsFailedTwice, 0, false},
		{5000, AttemptsFailedTwice, 0, false},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.hours)+"h "+string(tt.attempts), func(t *testing.T) {
			got, err := ComputeFine(Wi2013, OverigeMigrant, FineFacts{KeurmerkHours: tt.hours, Attempts: tt.attempts}, p)
			if err != nil {
				t.Fatal(err)
			}
			if got.Amount != tt.want || got.HearingOffered != tt.hearing || got.IsMaximum || got.OnlyExceptional {
				t.Errorf("got %+v, want amount %d hearing %v", got, tt.want, tt.hearing)
			}
		})
	}
}

func TestComputeFineWi2021AndPolicyFlags(t *testing.T) {
	before, after := NewDate(2025, 2, 3), NewDate(2025, 2, 4)
	policies := DefaultPolicies()
	tests := []struct {
		name        string
		regime      Regime
		group       TargetGroup
		facts       FineFacts
		on          Date
		want        Cents
		hearing     bool
		exceptional bool
	}{
		{"Wi2021 learning route: at most 1,000, hearing", Wi2021, Gezinsmigrant, FineFacts{MissedLearningRoute: true}, after, eur(1_000), true, false},
		{"Wi2021 PVT only: 340, no hearing (not above 340)", Wi2021, Gezinsmigrant, FineFacts{MissedPVT: true}, after, eur(340), false, false},
		{"Wi2021 MAP only: 340", Wi2021, OverigeMigrant, FineFacts{MissedMAP: true}, after, eur(340), false, false},
		{"Wi2021 PVT and MAP: 680, hearing", Wi2021, OverigeMigrant, FineFacts{MissedPVT: true, MissedMAP: true}, after, eur(680), true, false},
		{"Wi2021 nothing missed: no fine", Wi2021, OverigeMigrant, FineFacts{}, after, 0, false, false},
		{"asylum permit holder before Keren: fined as anyone", Wi2013, Asielstatushouder, FineFacts{Attempts: AttemptsNotAll}, before, eur(1_250), true, false},
		{"asylum permit holder from Keren: only exceptional", Wi2013, Asielstatushouder, FineFacts{Attempts: AttemptsNotAll}, after, eur(1_250), true, true},
		{"family migrant from Keren: not exceptional", Wi2013, Gezinsmigrant, FineFacts{Attempts: AttemptsNotAll}, after, eur(1_250), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ComputeFine(tt.regime, tt.group, tt.facts, policies.At(tt.on))
			if err != nil {
				t.Fatal(err)
			}
			if got.Amount != tt.want || got.HearingOffered != tt.hearing || got.OnlyExceptional != tt.exceptional {
				t.Errorf("got %+v, want amount %d hearing %v exceptional %v", got, tt.want, tt.hearing, tt.exceptional)
			}
			if got.IsMaximum != (tt.regime == Wi2021) {
				t.Errorf("IsMaximum = %v", got.IsMaximum)
			}
		})
	}
}

func wantInvalid(t *testing.T, err error, messageID string) {
	t.Helper()
	var de *Error
	if !errors.As(err, &de) || de.Kind != KindInvalid {
		t.Fatalf("err = %v, want an invalid error", err)
	}
	for _, v := range de.Violations {
		if v.MessageID == messageID {
			return
		}
	}
	t.Errorf("violations %+v lack %q", de.Violations, messageID)
}

func TestComputeFineRefusesBadInput(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2024, 1, 1))
	_, err := ComputeFine(Wi2013, OverigeMigrant, FineFacts{KeurmerkHours: -1, Attempts: AttemptsAllOnce}, p)
	wantInvalid(t, err, "error.fine_hours_negative")
	_, err = ComputeFine(Wi2013, OverigeMigrant, FineFacts{Attempts: "drie_keer"}, p)
	wantInvalid(t, err, "error.fine_attempts_unknown")
	_, err = ComputeFine(Wi2007, OverigeMigrant, FineFacts{Attempts: AttemptsAllOnce}, p)
	wantInvalid(t, err, "error.fine_regime")
}

func TestValidateFineDecision(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2024, 1, 1))
	d := func(amount Cents) FineDecision {
		return FineDecision{Date: NewDate(2024, 1, 1), Amount: amount, Reference: "BB-1"}
	}
	tests := []struct {
		name   string
		regime Regime
		d      FineDecision
		wantID string // "" means valid
	}{
		{"Wi2013 table amount", Wi2013, d(eur(625)), ""},
		{"Wi2013 highest table amount", Wi2013, d(eur(1_250)), ""},
		{"Wi2013 amount not in the table", Wi2013, d(eur(626)), "error.fine_amount_not_in_table"},
		{"Wi2013 zero is no fine", Wi2013, d(0), "error.fine_amount_not_in_table"},
		{"Wi2013 above the table", Wi2013, d(eur(1_251)), "error.fine_amount_not_in_table"},
		{"Wi2021 at the sum of maxima", Wi2021, d(eur(1_680)), ""},
		{"Wi2021 a cent above", Wi2021, d(eur(1_680) + 1), "error.fine_amount_range"},
		{"Wi2021 a cent", Wi2021, d(1), ""},
		{"Wi2021 zero", Wi2021, d(0), "error.fine_amount_range"},
		{"Wi2021 negative", Wi2021, d(-1), "error.fine_amount_range"},
		{"no reference", Wi2013, FineDecision{Date: NewDate(2024, 1, 1), Amount: eur(500)}, "error.reference_required"},
		{"no date", Wi2013, FineDecision{Amount: eur(500), Reference: "BB-1"}, "error.date_invalid"},
		{"Wi2007: the gemeente's", Wi2007, d(eur(500)), "error.fine_regime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateFineDecision(tt.d, tt.regime, p)
			if tt.wantID == "" {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			wantInvalid(t, err, tt.wantID)
		})
	}
}

func TestValidateExtension(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2024, 1, 1))
	ext := func(g ExtensionGround, months int) Extension {
		return Extension{Ground: g, Months: months, DecisionDate: NewDate(2024, 1, 1), Reference: "VL-1"}
	}
	tests := []struct {
		name    string
		e       Extension
		earlier []Extension
		regime  Regime
		wantID  string
	}{
		{"literacy 24 months (Wi2013)", ext(GroundAlfabetisering, 24), nil, Wi2013, ""},
		{"literacy 25 months", ext(GroundAlfabetisering, 25), nil, Wi2013, "error.extension_months_max"},
		{"literacy 12 after 12", ext(GroundAlfabetisering, 12), []Extension{ext(GroundAlfabetisering, 12)}, Wi2013, ""},
		{"literacy 13 after 12", ext(GroundAlfabetisering, 13), []Extension{ext(GroundAlfabetisering, 12)}, Wi2013, "error.extension_months_max"},
		{"literacy 12 after 12 months of illness: other grounds do not count", ext(GroundAlfabetisering, 24), []Extension{ext(GroundZiekte, 12)}, Wi2013, ""},
		{"literacy under Wi2021", ext(GroundAlfabetisering, 6), nil, Wi2021, "error.extension_ground_regime"},
		{"childcare-benefit recovery 24 months", ext(GroundHerstelToeslagen, 24), nil, Wi2013, ""},
		{"childcare-benefit recovery 25 months", ext(GroundHerstelToeslagen, 25), nil, Wi2021, "error.extension_months_max"},
		{"late A2 marking 6 months", ext(GroundLateA2Beoordeling, 6), nil, Wi2013, ""},
		{"late A2 marking 7 months", ext(GroundLateA2Beoordeling, 7), nil, Wi2013, "error.extension_months_max"},
		{"illness: no maximum in the law", ext(GroundZiekte, 36), nil, Wi2021, ""},
		{"one month", ext(GroundPersoonlijkeOmstandigheden, 1), nil, Wi2021, ""},
		{"zero months", ext(GroundZiekte, 0), nil, Wi2021, "error.extension_months_min"},
		{"negative months", ext(GroundZiekte, -3), nil, Wi2021, "error.extension_months_min"},
		{"unknown ground", ext("vakantie", 3), nil, Wi2021, "error.extension_ground_unknown"},
		{"no reference", Extension{Ground: GroundZiekte, Months: 3, DecisionDate: NewDate(2024, 1, 1)}, nil, Wi2021, "error.reference_required"},
		{"no decision date", Extension{Ground: GroundZiekte, Months: 3, Reference: "VL-1"}, nil, Wi2021, "error.date_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateExtension(tt.e, tt.earlier, tt.regime, p)
			if tt.wantID == "" {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			wantInvalid(t, err, tt.wantID)
		})
	}
}

func TestComputeTermFineTerm(t *testing.T) {
	policies := DefaultPolicies()
	// Wi2013 from 2019-04-15: the regular term ends 2022-04-14.
	tests := []struct {
		name      string
		regime    Regime
		fines     []string
		today     string
		wantFine  bool
		wantStart string
		wantEnd   string
		wantState TermState
	}{
		{"no fine: the regular term", Wi2013, nil, "2024-01-01", false, "2019-04-15", "2022-04-14", TermExpired},
		{"fine after the term: a 2-year boetetermijn from the day after", Wi2013, []string{"2023-06-01"}, "2024-01-01", true, "2023-06-02", "2025-06-01", TermRunning},
		{"boetetermijn in its last year", Wi2013, []string{"2023-06-01"}, "2024-06-02", true, "2023-06-02", "2025-06-01", TermFinalYear},
		{"boetetermijn on its last day", Wi2013, []string{"2023-06-01"}, "2025-06-01", true, "2023-06-02", "2025-06-01", TermFinalYear},
		{"boetetermijn expired", Wi2013, []string{"2023-06-01"}, "2025-06-02", true, "2023-06-02", "2025-06-01", TermExpired},
		{"a second fine: the latest counts", Wi2013, []string{"2023-06-01", "2025-09-01"}, "2025-10-01", true, "2025-09-02", "2027-09-01", TermRunning},
		{"fine dated within the term is ignored", Wi2013, []string{"2022-04-14"}, "2024-01-01", false, "2019-04-15", "2022-04-14", TermExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fines []Date
			for _, f := range tt.fines {
				fines = append(fines, mustDate(t, f))
			}
			today := mustDate(t, tt.today)
			got := ComputeTerm(TermInput{Regime: tt.regime, ObligationStart: NewDate(2019, 4, 15), FineDates: fines}, policies.At(today), today)
			if got.FineTerm != tt.wantFine || dateStr(got.Start) != tt.wantStart || dateStr(got.End) != tt.wantEnd || got.State != tt.wantState {
				t.Errorf("got fine=%v %s–%s %s, want fine=%v %s–%s %s", got.FineTerm, dateStr(got.Start), dateStr(got.End), got.State,
					tt.wantFine, tt.wantStart, tt.wantEnd, tt.wantState)
			}
			if tt.wantFine && dateStr(got.RegularEnd) != "2022-04-14" {
				t.Errorf("RegularEnd = %s, want 2022-04-14", dateStr(got.RegularEnd))
			}
		})
	}
}

// TestTodayIsAmsterdamWithEmbeddedZoneData: near midnight the Amsterdam date differs from UTC; a
// fixed-offset fallback would get the summer case wrong, so the zone must come from real data, which
// date.go embeds with time/tzdata for machines that have none.
func TestTodayIsAmsterdamWithEmbeddedZoneData(t *testing.T) {
	if amsterdam.String() != "Europe/Amsterdam" {
		t.Fatalf("zone = %q, want Europe/Amsterdam", amsterdam)
	}
	tests := []struct {
		utc  time.Time
		want string
	}{
		{time.Date(2026, 6, 30, 21, 59, 0, 0, time.UTC), "2026-06-30"},
		{time.Date(2026, 6, 30, 22, 0, 0, 0, time.UTC), "2026-07-01"}, // CEST, +2
		{time.Date(2026, 12, 31, 22, 59, 0, 0, time.UTC), "2026-12-31"},
		{time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), "2027-01-01"}, // CET, +1
	}
	for _, tt := range tests {
		if got := Today(tt.utc).String(); got != tt.want {
			t.Errorf("Today(%s) = %s, want %s", tt.utc.Format(time.RFC3339), got, tt.want)
		}
	}
	f, err := parser.ParseFile(token.NewFileSet(), "date.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range f.Imports {
		if imp.Path.Value == `"time/tzdata"` {
			return
		}
	}
	t.Error("date.go does not embed time/tzdata")
}
