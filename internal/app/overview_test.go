package app_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
)

func d(s string) *domain.Date {
	if s == "" {
		return nil
	}
	x, err := domain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &x
}

func sameDate(a, b *domain.Date) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// TestOverviewOfEveryPersona checks the figures "Mijn overzicht" shows for each demo persona on
// 29 Nov 2026, worked out by hand from domain.md (§3 term, §4 PIP, §5 loan).
func TestOverviewOfEveryPersona(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	tests := []struct {
		persona     string
		regime      domain.Regime
		state       domain.TermState
		end         string
		daysLeft    int
		pipSet      bool
		pipOverdue  int
		responsible domain.Actor
		loanApplies bool
		max, used   domain.Cents
		balance     domain.Cents
		quarterUsed domain.Cents
		warnings    []domain.ELIPWarning
		repayment   string
	}{
		{persona: "amal", regime: domain.Wi2021, state: domain.TermRunning, end: "2028-05-29", daysLeft: 547, pipSet: true, responsible: domain.ActorInburgeraar},
		{persona: "dawit", regime: domain.Wi2021, state: domain.TermRunning, end: "2029-02-28", daysLeft: 822, pipSet: true, responsible: domain.ActorInburgeraar,
			loanApplies: true, max: 650_000, used: 385_000, balance: 265_000, quarterUsed: 45_000},
		{persona: "samira", regime: domain.Wi2021, state: domain.TermNotStarted, pipOverdue: 28, responsible: domain.ActorGemeente},
		{persona: "yusuf", regime: domain.Wi2013, state: domain.TermRunning, end: "2028-09-30", daysLeft: 671, responsible: domain.ActorInburgeraar,
			loanApplies: true, max: 1_000_000, used: 965_000, balance: 35_000, warnings: []domain.ELIPWarning{domain.ELIPHigh}, repayment: "2029-04-01"},
		{persona: "olena", regime: domain.Wi2013, state: domain.TermFinalYear, end: "2027-07-31", daysLeft: 244, responsible: domain.ActorInburgeraar,
			loanApplies: true, max: 1_000_000, used: 760_000, balance: 240_000, warnings: []domain.ELIPWarning{domain.ELIPMidShortTerm}, repayment: "2028-02-01"},
		{persona: "kidane", regime: domain.Wi2013, state: domain.TermFinalYear, end: "2026-12-19", daysLeft: 20, responsible: domain.ActorInburgeraar,
			loanApplies: true, max: 1_000_000, used: 420_000, balance: 580_000, repayment: "2027-06-20"},
		{persona: "ahmad", regime: domain.Wi2013, state: domain.TermExpired, end: "2022-04-14", responsible: domain.ActorInburgeraar,
			loanApplies: true, max: 1_000_000, used: 510_000, balance: 490_000, repayment: "2022-10-15"},
		{persona: "goran", regime: domain.Wi2007, state: domain.TermExpired, end: "2016-04-30", responsible: domain.ActorGemeente},
		{persona: "lina", regime: domain.Wi2021, state: domain.TermObligationMet, end: "2027-05-29", pipSet: true, responsible: domain.ActorInburgeraar},
		{persona: "farah", regime: domain.Wi2021, state: domain.TermExempted, end: "2028-09-29", pipSet: true, responsible: domain.ActorInburgeraar},
	}
	for _, tt := range tests {
		t.Run(tt.persona, func(t *testing.T) {
			p, err := a.Service.PersonaLogin(ctx, tt.persona)
			if err != nil {
				t.Fatal(err)
			}
			o, err := a.Service.Overview(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if o.Regime != tt.regime || o.Term.State != tt.state {
				t.Errorf("regime %s state %s, want %s %s", o.Regime, o.Term.State, tt.regime, tt.state)
			}
			if !sameDate(o.Term.End, d(tt.end)) {
				t.Errorf("term end %v, want %s", o.Term.End, tt.end)
			}
			if o.Term.DaysLeft != tt.daysLeft {
				t.Errorf("days left %d, want %d", o.Term.DaysLeft, tt.daysLeft)
			}
			if (o.PIP != nil) != tt.pipSet || o.PIPStatus.DaysOverdue != tt.pipOverdue || o.PIPStatus.Responsible != tt.responsible || o.PIPApplies != (tt.regime == domain.Wi2021) {
				t.Errorf("PIP applies %v set %v overdue %d responsible %s, want %v %d %s", o.PIPApplies, o.PIP != nil, o.PIPStatus.DaysOverdue, o.PIPStatus.Responsible, tt.pipSet, tt.pipOverdue, tt.responsible)
			}
			l := o.Loan
			if l.Applies != tt.loanApplies || l.Maximum != tt.max || l.Used != tt.used || l.Balance != tt.balance || l.QuarterUsed != tt.quarterUsed {
				t.Errorf("loan applies %v max %d used %d balance %d quarter %d, want %v %d %d %d %d",
					l.Applies, l.Maximum, l.Used, l.Balance, l.QuarterUsed, tt.loanApplies, tt.max, tt.used, tt.balance, tt.quarterUsed)
			}
			if !slices.Equal(l.Warnings, tt.warnings) {
				t.Errorf("ELIP warnings %v, want %v", l.Warnings, tt.warnings)
			}
			if !sameDate(l.RepaymentStart, d(tt.repayment)) {
				t.Errorf("repayment start %v, want %q", l.RepaymentStart, tt.repayment)
			}
		})
	}
}

// TestOverviewRulesOfPersonas checks the rules of issue 6 on the personas that show them.
func TestOverviewRulesOfPersonas(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	get := func(key string) app.Overview {
		p, err := a.Service.PersonaLogin(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		o, err := a.Service.Overview(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	// Amal's PIP came 20 days after the deadline (notice 2025-02-28 + 10 weeks = 2025-05-09; PIP
	// 2025-05-29): lateness stays visible once the plan is set. Speaking is partly exempted.
	if o := get("amal"); o.PIPStatus.SetDaysLate != 20 || !slices.Equal(o.ExemptedParts, []domain.ComponentKind{domain.ComponentSpreken}) {
		t.Errorf("amal: set %d days late, exempted %v; want 20 and [spreken]", o.PIPStatus.SetDaysLate, o.ExemptedParts)
	}
	// Ahmad: 180 keurmerk hours, all parts attempted once: EUR 625, above 340 so a hearing.
	if o := get("ahmad"); o.Fine == nil || o.Fine.Amount != 625_00 || !o.Fine.HearingOffered || o.Loan.BorrowingOpen {
		t.Errorf("ahmad: fine %+v borrowing %v, want 62500 with a hearing, no borrowing", o.Fine, o.Loan.BorrowingOpen)
	}
	// Farah is exempt: no part of her plan is open any more.
	for _, c := range get("farah").PIP.Components {
		if c.Status == domain.StatusOpen || c.Status == domain.StatusBezig {
			t.Errorf("farah: %s still %s after the exemption", c.Kind, c.Status)
		}
	}
	// Goran (Wi2007): the gemeente's date, not a computed one.
	if o := get("goran"); !o.Term.SetByGemeente {
		t.Error("goran: term not marked as set by the gemeente")
	}
	if o := get("yusuf"); !o.Loan.BorrowingOpen || o.Loan.MonthlyRepayment != (965_000+119)/120 {
		t.Errorf("yusuf: borrowing %v monthly %d", o.Loan.BorrowingOpen, o.Loan.MonthlyRepayment)
	}
	if o := get("lina"); o.Loan.Applies || o.Loan.Maximum != 0 || o.Loan.Balance != 0 {
		t.Errorf("lina (gemeente pays): loan %+v, want no maximum or balance", o.Loan)
	}
}

// TestSeedIsIdempotent: seeding twice creates nothing the second time.
func TestSeedIsIdempotent(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	n, err := a.Seed(context.Background())
	if err != nil || n != 0 {
		t.Fatalf("second seed created %d (%v), want 0", n, err)
	}
	ps, err := a.Service.Personas(context.Background())
	if err != nil || len(ps) != 14 {
		t.Fatalf("%d personas (%v), want 14", len(ps), err)
	}
}

// TestStaffLookupIsAudited: every staff lookup, read or refused, writes one audit entry naming
// the staff member by stable ID, with a pseudonym or a marker as subject: never the BSN or the input.
func TestStaffLookupIsAudited(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	o, err := a.Service.StaffLookup(ctx, "demo-medewerker", "930824623")
	if err != nil {
		t.Fatal(err)
	}
	if o.Person.Name != "Yusuf Demir" {
		t.Errorf("looked up %q", o.Person.Name)
	}
	if _, err := a.Service.StaffLookup(ctx, "oidc-sub-42", "123"); domain.ErrorKind(err) != domain.KindInvalid {
		t.Errorf("short BSN: %v", err)
	}
	if _, err := a.Service.StaffLookup(ctx, "oidc-sub-42", "111222333"); domain.ErrorKind(err) != domain.KindNotFound {
		t.Errorf("unknown BSN: %v", err)
	}
	if _, err := a.Service.StaffLookup(ctx, "", "930824623"); domain.ErrorKind(err) != domain.KindForbidden {
		t.Errorf("lookup without a staff ID: %v", err)
	}
	got, err := a.Store.AuditEntries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []app.AuditEntry{
		{Actor: "demo-medewerker", Action: app.AuditOverviewRead, Subject: a.Service.Pseudonym("930824623")},
		{Actor: "oidc-sub-42", Action: app.AuditLookupRefused, Subject: app.AuditSubjectNoBSN, Details: "ongeldig_bsn"},
		{Actor: "oidc-sub-42", Action: app.AuditLookupRefused, Subject: a.Service.Pseudonym("111222333"), Details: "niet_gevonden"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d audit entries, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Actor != w.Actor || g.Action != w.Action || g.Subject != w.Subject || g.Details != w.Details || g.At.IsZero() {
			t.Errorf("entry %d = %+v, want %+v", i, g, w)
		}
		if strings.Contains(g.Subject+g.Details, "111222333") || strings.Contains(g.Subject+g.Details, "930824623") {
			t.Errorf("entry %d carries a BSN: %+v", i, g)
		}
	}
	if p := a.Service.Pseudonym("930824623"); p == "930824623" || len(p) < 10 {
		t.Errorf("pseudonym %q", p)
	}
}

func unread(t *testing.T, s *app.Service, id int64) int {
	t.Helper()
	o, err := s.Overview(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o.Unread
}

// TestPostDeliversToTheInbox: a posted message is unread, newest first, and counted.
func TestPostDeliversToTheInbox(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	a := testenv.New(t, testenv.Options{Clock: clock})
	ctx := context.Background()
	p, _ := a.Service.PersonaLogin(ctx, "amal")
	before := unread(t, a.Service, p.ID)
	clock.Advance(time.Minute)
	b, err := a.Service.Post(ctx, p.ID, domain.BerichtWelkom, nil)
	if err != nil {
		t.Fatal(err)
	}
	after := unread(t, a.Service, p.ID)
	if after != before+1 {
		t.Errorf("unread %d → %d", before, after)
	}
	page, err := a.Service.Berichten(ctx, p.ID, nil, 1)
	if err != nil || len(page.Berichten) != 1 || page.Berichten[0].ID != b.ID || page.Berichten[0].Read() {
		t.Errorf("newest message %+v (%v), want the posted one, unread", page, err)
	}
}

// TestDemoPersonasStayLawful: the seed never grows an extension with the clock, every extension
// stays within the law's caps, and no decision is dated after the day of seeding.
func TestDemoPersonasStayLawful(t *testing.T) {
	ctx := context.Background()
	later := testenv.Now.AddDate(1, 1, 0)
	seeded := map[string][][]domain.Extension{}
	for _, now := range []time.Time{testenv.Now, later} {
		a := testenv.New(t, testenv.Options{Clock: testenv.NewClock(now)})
		today := domain.Today(now)
		policy := a.Service.Policies.At(today)
		for _, key := range app.DemoPersonaKeys() {
			p, err := a.Store.InburgeraarByPersona(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			regime, err := p.Regime()
			if err != nil {
				t.Fatal(err)
			}
			ext, err := a.Store.Extensions(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range ext {
				if err := domain.ValidateExtension(e, ext[:i], regime, policy); err != nil {
					t.Errorf("%s: extension %+v outside the law: %v", key, e, err)
				}
				if e.DecisionDate.After(today) {
					t.Errorf("%s: extension decided on %s, after the seed day %s", key, e.DecisionDate, today)
				}
			}
			seeded[key] = append(seeded[key], ext)
		}
	}
	// What must never grow with the clock is the length: a persona may be seeded relative to the day
	// (its decision dates move with it), but the months granted stay the same.
	lengths := func(ext []domain.Extension) []string {
		var out []string
		for _, e := range ext {
			out = append(out, fmt.Sprintf("%s %d %s", e.Ground, e.Months, e.Reference))
		}
		return out
	}
	for key, runs := range seeded {
		if !slices.Equal(lengths(runs[0]), lengths(runs[1])) {
			t.Errorf("%s: extensions differ when seeded a year later: %v vs %v", key, runs[0], runs[1])
		}
	}
}
