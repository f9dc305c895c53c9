package store_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/store"
)

// separateReads reads the overview's records the way every other caller does: one port method per
// table, in one read-only transaction.
func separateReads(ctx context.Context, st *store.Store, id int64) (app.OverviewRecords, error) {
	var r app.OverviewRecords
	err := st.InReadTx(ctx, func(ctx context.Context) error {
		var err error
		if r.Person, err = st.Inburgeraar(ctx, id); err != nil {
			return err
		}
		if r.Extensions, err = st.Extensions(ctx, id); err != nil {
			return err
		}
		if r.PIPs, err = st.PIPs(ctx, id); err != nil {
			return err
		}
		if r.Invoices, err = st.Invoices(ctx, id); err != nil {
			return err
		}
		if r.Unread, err = st.UnreadCount(ctx, id); err != nil {
			return err
		}
		if r.Facts, err = st.RuleFacts(ctx, id); err != nil {
			return err
		}
		r.Fines, err = st.FineDecisions(ctx, id)
		return err
	})
	return r, err
}

func sameRecords(t *testing.T, ctx context.Context, st *store.Store, id int64, what string) app.OverviewRecords {
	t.Helper()
	want, err := separateReads(ctx, st, id)
	if err != nil {
		t.Fatalf("%s: separate reads: %v", what, err)
	}
	got, err := st.OverviewRecords(ctx, id)
	if err != nil {
		t.Fatalf("%s: one statement: %v", what, err)
	}
	diffRecords(t, what, got, want)
	// Inside an open transaction it reads there, and gives the same.
	err = st.InTx(ctx, func(ctx context.Context) error {
		in, err := st.OverviewRecords(ctx, id)
		if err == nil {
			diffRecords(t, what+" (in a transaction)", in, want)
		}
		return err
	})
	if err != nil {
		t.Fatalf("%s: in a transaction: %v", what, err)
	}
	return got
}

// diffRecords reports each field in which the one-statement read differs from the separate reads.
func diffRecords(t *testing.T, what string, got, want app.OverviewRecords) {
	t.Helper()
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range g.NumField() {
		if !reflect.DeepEqual(g.Field(i).Interface(), w.Field(i).Interface()) {
			t.Errorf("%s: %s differs from the separate reads\n got %#v\nwant %#v", what, g.Type().Field(i).Name, g.Field(i).Interface(), w.Field(i).Interface())
		}
	}
}

// TestOverviewRecordsEqualSeparateReads: the overview's one statement gives exactly what the
// separate reads give, for every demo persona and for persons with no rows, many rows, NULL
// fields and dates at the edges, on SQLite and on PostgreSQL.
func TestOverviewRecordsEqualSeparateReads(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	svc := app.NewService(st, []byte("k"))
	if _, err := svc.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	personas, err := st.Personas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(personas) < 10 {
		t.Fatalf("%d personas", len(personas))
	}
	for _, p := range personas {
		sameRecords(t, ctx, st, p.InburgeraarID, "persona "+p.Key)
	}

	// A person with nothing but the person row: every list empty, every fact zero, NULL dates.
	bare := person("100000001")
	if err := st.CreateInburgeraar(ctx, bare, ""); err != nil {
		t.Fatal(err)
	}
	got := sameRecords(t, ctx, st, bare.ID, "bare person")
	if got.Extensions == nil || got.PIPs == nil || got.Invoices == nil || got.Fines == nil || got.Unread != 0 ||
		got.Person.NoticeDate != nil || got.Person.LoanMaximum != nil || got.Facts != (domain.RuleFacts{}) {
		t.Errorf("bare person: %+v", got)
	}

	// Rule facts present but every nullable fact NULL.
	if err := st.SetRuleFacts(ctx, bare.ID, domain.RuleFacts{KeurmerkHours: 0}); err != nil {
		t.Fatal(err)
	}
	sameRecords(t, ctx, st, bare.ID, "facts with NULLs")

	// Many rows in every list, every field set, dates at the edges (leap day, year ends, far past
	// and future), a decision time with microseconds.
	full := person("100000002")
	notice, met, exempt := domain.NewDate(1900, 1, 1), domain.NewDate(2024, 2, 29), domain.NewDate(9999, 12, 31)
	full.NoticeDate, full.ObligationMetOn, full.ExemptedOn = &notice, &met, &exempt
	maximum := domain.Cents(0)
	full.LoanMaximum = &maximum
	full.ObligationStart = domain.NewDate(2000, 12, 31)
	if err := st.CreateInburgeraar(ctx, full, ""); err != nil {
		t.Fatal(err)
	}
	grounds := []domain.ExtensionGround{domain.GroundZiekte, domain.GroundPersoonlijkeOmstandigheden, domain.GroundAlfabetisering, domain.GroundGeenCursusaanbod, domain.GroundHerstelToeslagen, domain.GroundLateA2Beoordeling}
	for i, g := range grounds {
		// Two on one date: the order falls back on the id.
		if err := st.AddExtension(ctx, full.ID, domain.Extension{Ground: g, Months: i + 1, DecisionDate: domain.NewDate(2024, 12, 31-i/2*30), Reference: fmt.Sprintf("V-%02d \"é\" ✓", i)}); err != nil {
			t.Fatal(err)
		}
	}
	kinds := []domain.ComponentKind{domain.ComponentLezen, domain.ComponentLuisteren, domain.ComponentSchrijven, domain.ComponentSpreken, domain.ComponentKNM, domain.ComponentMAP, domain.ComponentPVT}
	statuses := []domain.ComponentStatus{domain.StatusOpen, domain.StatusBezig, domain.StatusBehaald, domain.StatusOntheffing}
	for i, route := range []domain.LearningRoute{domain.RouteB1, domain.RouteOnderwijs, domain.RouteZ, domain.RouteB1} {
		pip := domain.PIP{Date: domain.NewDate(2024, 1, 1+i/2), Gemeente: "'s-Hertogenbosch", Route: route}
		for j, k := range kinds[:1+2*i] {
			pip.Components = append(pip.Components, domain.Component{Kind: k, Status: statuses[(i+j)%4], HoursDone: j * 7, HoursRequired: 100 * j})
		}
		if i == 3 {
			pip.Components = nil // a plan without parts
		}
		if err := st.AddPIP(ctx, full.ID, pip); err != nil {
			t.Fatal(err)
		}
	}
	decided := time.Date(2025, 12, 31, 23, 59, 59, 999999000, time.UTC)
	paid := domain.NewDate(2026, 1, 1)
	for i := range 40 {
		inv := domain.Invoice{School: fmt.Sprintf("School %d & Zn", i%3), Amount: domain.Cents(1 + i*1000), Date: domain.NewDate(2025, time.Month(1+i%12), 1+i%28),
			PeriodStart: domain.NewDate(2025, 1, 1), PeriodEnd: domain.NewDate(2025, 12, 31)}
		switch i % 4 {
		case 1:
			inv.Status, inv.DecidedAt = domain.InvoiceAccepted, &decided
		case 2:
			inv.Status, inv.DecidedAt, inv.Reason = domain.InvoiceRejected, &decided, "Niet gevolgd: \"les\" \\ ✗ \n tweede regel"
		case 3:
			inv.Status, inv.DecidedAt, inv.PaidOn = domain.InvoicePaid, &decided, &paid
		}
		if err := st.AddInvoice(ctx, full.ID, inv); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		var read *time.Time
		if i%2 == 0 {
			r := decided
			read = &r
		}
		if err := st.AddBericht(ctx, &domain.Bericht{InburgeraarID: full.ID, Kind: domain.BerichtWelkom, CreatedAt: decided.Add(time.Duration(i) * time.Second), ReadAt: read}); err != nil {
			t.Fatal(err)
		}
	}
	brp, gemEnd := domain.NewDate(2023, 2, 28), domain.NewDate(2030, 1, 1)
	open := 9
	if err := st.SetRuleFacts(ctx, full.ID, domain.RuleFacts{BRPRegistration: &brp, ThirdPartyAwaited: true, GemeenteTermEnd: &gemEnd, KeurmerkHours: 600,
		Attempts: domain.AttemptsFailedTwice, OpenPartsAtTermEnd: &open, AsylumFamilyMember: true}); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if err := st.AddFineDecision(ctx, full.ID, domain.FineDecision{Date: domain.NewDate(2022, 6, 30+i/2), Amount: domain.Cents(34000 + i), Reference: fmt.Sprintf("B-%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	got = sameRecords(t, ctx, st, full.ID, "many rows")
	if len(got.Extensions) != 6 || len(got.PIPs) != 4 || len(got.Invoices) != 40 || len(got.Fines) != 4 || got.Unread != 2 ||
		len(got.PIPs[2].Components) != 5 || got.PIPs[3].Components != nil || !got.Facts.AsylumFamilyMember {
		t.Errorf("many rows: %+v", got)
	}

	// Dates written by hand as plain text ('2006-01-02'), not in the driver's own format.
	for _, q := range []string{
		"UPDATE inburgeraars SET kennisgevingsdatum = '1999-12-31', startdatum_plicht = '2024-02-29' WHERE id = ?",
		"UPDATE facturen SET factuurdatum = '2025-03-01', betaald_op = '2025-12-31' WHERE inburgeraar_id = ? AND status = 'betaald'",
		"UPDATE boetes SET besluitdatum = '2020-01-01' WHERE inburgeraar_id = ?",
	} {
		if err := st.Exec(ctx, q, full.ID); err != nil {
			t.Fatal(err)
		}
	}
	sameRecords(t, ctx, st, full.ID, "dates written as text")

	// An unknown person is not found, as with the separate reads.
	if _, err := st.OverviewRecords(ctx, 1<<40); domain.ErrorKind(err) != domain.KindNotFound {
		t.Errorf("unknown person: %v, want not found", err)
	}
}

// TestOverviewRecordsIsOneReadStatement: the overview's records are one SELECT, and the
// statement observers see it as they see gorm's.
func TestOverviewRecordsIsOneReadStatement(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := person("100000003")
	if err := st.CreateInburgeraar(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		stmts []string
	)
	if err := st.OnStatement(func(sql string) { mu.Lock(); stmts = append(stmts, sql); mu.Unlock() }); err != nil {
		t.Fatal(err)
	}
	for range 3 { // the second and third run the prepared statement on SQLite
		stmts = nil
		if _, err := st.OverviewRecords(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if len(stmts) != 1 || !strings.HasPrefix(strings.TrimSpace(stmts[0]), "SELECT") {
			t.Fatalf("%d statements: %q", len(stmts), stmts)
		}
	}
	if st.Dialect() == store.SQLite {
		// The reader connections refuse writes; the statement runs there.
		if _, err := st.OverviewRecords(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
	}
}
