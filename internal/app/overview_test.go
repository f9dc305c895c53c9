package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

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
		{persona: "amal", regime: domain.Wi2021, state: domain.TermRunning, end: "2028-05-29", daysLeft: 547, pipSet: true, responsible: domain.ActorInburgeraar, max: 1_000_000, balance: 1_000_000},
		{persona: "dawit", regime: domain.Wi2021, state: domain.TermRunning, end: "2029-02-28", daysLeft: 822, pipSet: true, responsible: domain.ActorInburgeraar,
			loanApplies: true, max: 650_000, used: 385_000, balance: 265_000, quarterUsed: 45_000},
		{persona: "samira", regime: domain.Wi2021, state: domain.TermNotStarted, pipOverdue: 28, responsible: domain.ActorGemeente, max: 1_000_000, balance: 1_000_000},
		{persona: "yusuf", regime: domain.Wi2013, state: domain.TermRunning, end: "2028-07-31", daysLeft: 610,
			loanApplies: true, max: 1_000_000, used: 965_000, balance: 35_000, warnings: []domain.ELIPWarning{domain.ELIPHigh}, repayment: "2029-02-01"},
		{persona: "olena", regime: domain.Wi2013, state: domain.TermFinalYear, end: "2027-07-31", daysLeft: 244,
			loanApplies: true, max: 1_000_000, used: 760_000, balance: 240_000, warnings: []domain.ELIPWarning{domain.ELIPMidShortTerm}, repayment: "2028-02-01"},
		{persona: "kidane", regime: domain.Wi2013, state: domain.TermFinalYear, end: "2026-12-19", daysLeft: 20,
			loanApplies: true, max: 1_000_000, used: 420_000, balance: 580_000, repayment: "2027-06-20"},
		{persona: "ahmad", regime: domain.Wi2013, state: domain.TermExpired, end: "2022-04-14",
			loanApplies: true, max: 1_000_000, used: 510_000, balance: 490_000, repayment: "2022-10-15"},
		{persona: "goran", regime: domain.Wi2007, state: domain.TermExpired, end: "2014-04-30", max: 1_000_000, balance: 1_000_000},
		{persona: "lina", regime: domain.Wi2021, state: domain.TermObligationMet, end: "2027-05-29", pipSet: true, responsible: domain.ActorInburgeraar, max: 1_000_000, balance: 1_000_000},
		{persona: "farah", regime: domain.Wi2021, state: domain.TermExempted, end: "2028-09-29", pipSet: true, responsible: domain.ActorInburgeraar, max: 1_000_000, balance: 1_000_000},
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
			if tt.regime == domain.Wi2021 {
				if (o.PIP != nil) != tt.pipSet || o.PIPStatus.DaysOverdue != tt.pipOverdue || o.PIPStatus.Responsible != tt.responsible {
					t.Errorf("PIP set %v overdue %d responsible %s, want %v %d %s", o.PIP != nil, o.PIPStatus.DaysOverdue, o.PIPStatus.Responsible, tt.pipSet, tt.pipOverdue, tt.responsible)
				}
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

// TestSeedIsIdempotent: seeding twice creates nothing the second time.
func TestSeedIsIdempotent(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	n, err := a.Seed(context.Background())
	if err != nil || n != 0 {
		t.Fatalf("second seed created %d (%v), want 0", n, err)
	}
	ps, err := a.Service.Repo.Personas(context.Background())
	if err != nil || len(ps) != 14 {
		t.Fatalf("%d personas (%v), want 14", len(ps), err)
	}
}

// TestStaffLookupIsAudited: a staff read writes one audit entry with a pseudonym, never the BSN.
func TestStaffLookupIsAudited(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	o, err := a.Service.StaffLookup(ctx, "demo-staff", "930824623")
	if err != nil {
		t.Fatal(err)
	}
	if o.Person.Name != "Yusuf Demir" {
		t.Errorf("looked up %q", o.Person.Name)
	}
	if n, _ := a.Store.AuditCount(ctx); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
	if _, err := a.Service.StaffLookup(ctx, "demo-staff", "123"); domain.ErrorKind(err) != domain.KindInvalid {
		t.Errorf("short BSN: %v", err)
	}
	if _, err := a.Service.StaffLookup(ctx, "demo-staff", "111222333"); domain.ErrorKind(err) != domain.KindNotFound {
		t.Errorf("unknown BSN: %v", err)
	}
	if n, _ := a.Store.AuditCount(ctx); n != 1 {
		t.Errorf("failed lookups wrote audit entries: %d", n)
	}
	if p := a.Service.Pseudonym("930824623"); p == "930824623" || len(p) < 10 {
		t.Errorf("pseudonym %q", p)
	}
}

// TestPostDeliversToTheInbox: a posted message is unread, newest first, and counted.
func TestPostDeliversToTheInbox(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	a := testenv.New(t, testenv.Options{Clock: clock})
	ctx := context.Background()
	p, _ := a.Service.PersonaLogin(ctx, "amal")
	before, _ := a.Service.Repo.UnreadCount(ctx, p.ID)
	clock.Advance(time.Minute)
	b, err := a.Service.Post(ctx, nil, p.ID, domain.BerichtWelkom, nil)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := a.Service.Repo.UnreadCount(ctx, p.ID)
	if after != before+1 {
		t.Errorf("unread %d → %d", before, after)
	}
	page, err := a.Service.Berichten(ctx, p.ID, nil, 1)
	if err != nil || len(page.Berichten) != 1 || page.Berichten[0].ID != b.ID || page.Berichten[0].Read() {
		t.Errorf("newest message %+v (%v), want the posted one, unread", page, err)
	}
}
