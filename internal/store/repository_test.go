package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/store"
	"github.com/inburgering/portal/internal/testenv"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(testenv.DatabaseURL(t), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

func person(bsn string) *domain.Inburgeraar {
	return &domain.Inburgeraar{BSN: domain.BSN(bsn), Name: "Test Persoon", TargetGroup: domain.Gezinsmigrant,
		ObligationStart: domain.NewDate(2023, 5, 1), Payer: domain.PayerLoan, PreferredLanguage: "nl"}
}

// TestMigrateIsIdempotent: applying the migrations twice changes nothing and leaves the schema current.
func TestMigrateIsIdempotent(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.Ready(ctx); err != nil {
		t.Fatalf("ready after migrate: %v", err)
	}
}

// TestSchemaConstraints: the schema itself refuses bad rows, whatever the Go code does.
func TestSchemaConstraints(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := person("111222333")
	if err := st.CreateInburgeraar(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	neg := domain.Cents(-1)
	tests := []struct {
		name string
		do   func() error
		kind domain.Kind
	}{
		{"duplicate BSN", func() error { return st.CreateInburgeraar(ctx, person("111222333"), "") }, domain.KindConflict},
		{"BSN not nine characters", func() error { return st.CreateInburgeraar(ctx, person("12345"), "") }, domain.KindInternal},
		{"negative loan maximum", func() error { q := person("123456782"); q.LoanMaximum = &neg; return st.CreateInburgeraar(ctx, q, "") }, domain.KindInternal},
		{"unknown target group", func() error {
			q := person("123456782")
			q.TargetGroup = "toerist"
			return st.CreateInburgeraar(ctx, q, "")
		}, domain.KindInternal},
		{"zero invoice", func() error {
			return st.AddInvoice(ctx, p.ID, domain.Invoice{School: "X", Amount: 0, Date: domain.NewDate(2024, 1, 1)})
		}, domain.KindInternal},
		{"invoice for nobody", func() error {
			return st.AddInvoice(ctx, 999999, domain.Invoice{School: "X", Amount: 100, Date: domain.NewDate(2024, 1, 1)})
		}, domain.KindConflict},
		{"duplicate persona", func() error {
			if err := st.CreateInburgeraar(ctx, person("123456782"), "dubbel"); err != nil {
				return nil
			}
			return st.CreateInburgeraar(ctx, person("230166131"), "dubbel")
		}, domain.KindConflict},
		{"BSN of nine characters, not all digits", func() error { return st.CreateInburgeraar(ctx, person("12345678a"), "") }, domain.KindInternal},
		{"extension of zero months", func() error {
			return st.AddExtension(ctx, p.ID, domain.Extension{Ground: domain.GroundZiekte, Months: 0, DecisionDate: domain.NewDate(2024, 1, 1), Reference: "A"})
		}, domain.KindInternal},
		{"unknown extension ground", func() error {
			return st.AddExtension(ctx, p.ID, domain.Extension{Ground: "zomaar", Months: 3, DecisionDate: domain.NewDate(2024, 1, 1), Reference: "B"})
		}, domain.KindInternal},
		{"unknown PIP route", func() error {
			return st.AddPIP(ctx, p.ID, domain.PIP{Date: domain.NewDate(2024, 1, 1), Gemeente: "X", Route: "a2"})
		}, domain.KindInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if err == nil {
				t.Fatal("the database accepted it")
			}
			if got := domain.ErrorKind(err); got != tt.kind {
				t.Errorf("kind %s, want %s (%v)", got, tt.kind, err)
			}
		})
	}
}

// TestTransactionRollsBackEverything: an error halfway leaves nothing behind.
func TestTransactionRollsBackEverything(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	err := st.InTx(ctx, func(ctx context.Context) error {
		p := person("111222333")
		if err := st.CreateInburgeraar(ctx, p, "tx"); err != nil {
			return err
		}
		return st.AddInvoice(ctx, p.ID, domain.Invoice{School: "X", Amount: -5, Date: domain.NewDate(2024, 1, 1)})
	})
	if err == nil {
		t.Fatal("expected the invoice to be refused")
	}
	if _, err := st.InburgeraarByBSN(ctx, "111222333"); domain.ErrorKind(err) != domain.KindNotFound {
		t.Fatalf("the person of a failed transaction exists: %v", err)
	}
}

// TestAuditLogIsAppendOnly: rows can be added, never changed or removed.
func TestAuditLogIsAppendOnly(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	if err := st.AppendAudit(ctx, app.AuditEntry{At: time.Now(), Actor: "a", Action: "overzicht_ingezien", Subject: "p-1"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Exec(ctx, "UPDATE auditlog SET actor = 'b'"); err == nil {
		t.Error("update of the audit log succeeded")
	}
	if err := st.Exec(ctx, "DELETE FROM auditlog"); err == nil {
		t.Error("delete from the audit log succeeded")
	}
	n, err := st.AuditCount(ctx)
	if err != nil || n != 1 {
		t.Errorf("audit rows %d (%v), want 1", n, err)
	}
}

// TestRoundTrip: what is written reads back the same, dates as calendar dates on both databases.
func TestRoundTrip(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := person("111222333")
	notice := domain.NewDate(2023, 12, 31)
	max := domain.Cents(650000)
	p.NoticeDate, p.LoanMaximum = &notice, &max
	if err := st.CreateInburgeraar(ctx, p, "demo-x"); err != nil {
		t.Fatal(err)
	}
	got, err := st.InburgeraarByPersona(ctx, "demo-x")
	if err != nil {
		t.Fatal(err)
	}
	if got.ObligationStart != p.ObligationStart || *got.NoticeDate != notice || *got.LoanMaximum != max || got.BSN != p.BSN {
		t.Errorf("read back %+v, wrote %+v", got, p)
	}
	pip := domain.PIP{Date: domain.NewDate(2024, 2, 29), Gemeente: "Utrecht", Route: domain.RouteZ,
		Components: domain.RequiredComponents(domain.RouteZ, domain.Asielstatushouder, domain.DefaultPolicies().At(notice))}
	if err := st.AddPIP(ctx, p.ID, pip); err != nil {
		t.Fatal(err)
	}
	pips, err := st.PIPs(ctx, p.ID)
	if err != nil || len(pips) != 1 {
		t.Fatalf("pips %v %v", pips, err)
	}
	if pips[0].Date != pip.Date || len(pips[0].Components) != len(pip.Components) || pips[0].Components[0].HoursRequired != 800 {
		t.Errorf("pip read back %+v", pips[0])
	}
	if _, err := st.InburgeraarByPersona(ctx, "nobody"); domain.ErrorKind(err) != domain.KindNotFound {
		t.Errorf("unknown persona: %v", err)
	}
}

// TestBerichtenPagination: newest first, keyset cursor, no duplicates or gaps, equal timestamps too.
func TestBerichtenPagination(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := person("111222333")
	if err := st.CreateInburgeraar(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 1, 1, 12, 0, 0, 123456789, time.UTC)
	for i := 0; i < 7; i++ {
		at := base.Add(time.Duration(i/2) * time.Minute) // pairs share a timestamp
		if err := st.AddBericht(ctx, &domain.Bericht{InburgeraarID: p.ID, Kind: domain.BerichtWelkom, CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	svc := app.NewService(st, []byte("k"))
	var seen []int64
	var after *app.BerichtCursor
	for {
		page, err := svc.Berichten(ctx, p.ID, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range page.Berichten {
			seen = append(seen, b.ID)
		}
		if page.Next == nil {
			break
		}
		cur, err := app.ParseCursor(page.Next.String())
		if err != nil {
			t.Fatal(err)
		}
		after = &cur
	}
	if len(seen) != 7 {
		t.Fatalf("saw %v, want 7 messages", seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] >= seen[i-1] {
			t.Fatalf("not newest first: %v", seen)
		}
	}
}

// TestUnknownCodesAreRefusedOnRead: a row holding a code this binary does not know (written by
// hand, or by a newer version) is an error when read, not a person computed with a guess.
func TestUnknownCodesAreRefusedOnRead(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := person("111222333")
	if err := st.CreateInburgeraar(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	// Switch the schema's own guard off, as a hand-written fix or an older schema would be.
	off := "PRAGMA ignore_check_constraints = ON"
	if st.Dialect() == store.Postgres {
		off = "ALTER TABLE inburgeraars DROP CONSTRAINT inburgeraars_doelgroep_check"
	}
	if err := st.Exec(ctx, off); err != nil {
		t.Fatal(err)
	}
	if err := st.Exec(ctx, "UPDATE inburgeraars SET doelgroep = 'toerist' WHERE id = ?", p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Inburgeraar(ctx, p.ID); domain.ErrorKind(err) != domain.KindInternal {
		t.Fatalf("reading an unknown target group: %v, want an internal error", err)
	}
}
