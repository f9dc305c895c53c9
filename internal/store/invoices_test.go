package store_test

import (
	"context"
	"database/sql"
	"io/fs"
	"strings"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite"  // database/sql driver "sqlite", for the migration test
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/pressly/goose/v3"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/store"
	"github.com/inburgering/portal/internal/store/migrations"
	"github.com/inburgering/portal/internal/testenv"
)

// TestInvoiceConstraints: the schema refuses invoices whose status, reason, decision and payment
// dates or period do not fit together, whatever the Go code does.
func TestInvoiceConstraints(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := person("111222333")
	if err := st.CreateInburgeraar(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	d := domain.NewDate(2026, 10, 1)
	at := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)
	ok := domain.Invoice{School: "Taalschool A", Amount: 500_00, Date: d, PeriodStart: d.AddMonths(-1), PeriodEnd: d.AddDays(-1)}
	with := func(f func(*domain.Invoice)) domain.Invoice { inv := ok; f(&inv); return inv }
	tests := []struct {
		name string
		inv  domain.Invoice
	}{
		{"unknown status", with(func(i *domain.Invoice) { i.Status = "misschien" })},
		{"empty school", with(func(i *domain.Invoice) { i.School = "" })},
		{"school over 200 characters", with(func(i *domain.Invoice) { i.School = strings.Repeat("s", 201) })},
		{"period ends before it starts", with(func(i *domain.Invoice) { i.PeriodStart, i.PeriodEnd = d, d.AddDays(-1) })},
		{"rejected without a reason", with(func(i *domain.Invoice) { i.Status, i.DecidedAt = domain.InvoiceRejected, &at })},
		{"reason shorter than 10", with(func(i *domain.Invoice) { i.Status, i.DecidedAt, i.Reason = domain.InvoiceRejected, &at, "te kort" })},
		{"reason over 500 characters", with(func(i *domain.Invoice) {
			i.Status, i.DecidedAt, i.Reason = domain.InvoiceRejected, &at, strings.Repeat("ش", 501)
		})},
		{"accepted with a reason", with(func(i *domain.Invoice) {
			i.Status, i.DecidedAt, i.Reason = domain.InvoiceAccepted, &at, "een reden hier"
		})},
		{"accepted without a decision time", with(func(i *domain.Invoice) { i.Status = domain.InvoiceAccepted })},
		{"open with a decision time", with(func(i *domain.Invoice) { i.DecidedAt = &at })},
		{"paid without a payment date", with(func(i *domain.Invoice) { i.Status = domain.InvoicePaid })},
		{"accepted with a payment date", with(func(i *domain.Invoice) { i.Status, i.DecidedAt, i.PaidOn = domain.InvoiceAccepted, &at, &d })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := st.AddInvoice(ctx, p.ID, tt.inv)
			if err == nil {
				t.Fatal("the database accepted it")
			}
			if got := domain.ErrorKind(err); got != domain.KindInternal {
				t.Errorf("kind %s (%v)", got, err)
			}
		})
	}
	valid := []domain.Invoice{
		ok,
		with(func(i *domain.Invoice) { i.Status, i.DecidedAt = domain.InvoiceAccepted, &at }),
		with(func(i *domain.Invoice) {
			i.Status, i.DecidedAt, i.Reason = domain.InvoiceRejected, &at, strings.Repeat("ش", 500)
		}),
		with(func(i *domain.Invoice) { i.Status, i.DecidedAt, i.PaidOn = domain.InvoicePaid, &at, &d }),
		with(func(i *domain.Invoice) { i.Status, i.PaidOn = domain.InvoicePaid, &d }), // paid before decisions were recorded
	}
	for i, inv := range valid {
		if err := st.AddInvoice(ctx, p.ID, inv); err != nil {
			t.Errorf("valid invoice %d refused: %v", i, err)
		}
	}
}

// TestInvoiceDecisionStorage: one person's invoices round-trip, a decision is stored once and
// only on an open invoice, another person's invoice is not found, and pages follow the cursor.
func TestInvoiceDecisionStorage(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	a, b := person("111222333"), person("123456782")
	for _, p := range []*domain.Inburgeraar{a, b} {
		if err := st.CreateInburgeraar(ctx, p, ""); err != nil {
			t.Fatal(err)
		}
	}
	dates := []domain.Date{domain.NewDate(2026, 9, 1), domain.NewDate(2026, 10, 1), domain.NewDate(2026, 10, 1), domain.NewDate(2026, 11, 1)}
	for _, d := range dates {
		if err := st.AddInvoice(ctx, a.ID, domain.Invoice{School: "Taalschool A", Amount: 300_00, Date: d, PeriodStart: d.AddMonths(-1), PeriodEnd: d.AddDays(-1)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.AddInvoice(ctx, b.ID, domain.Invoice{School: "Taalschool B", Amount: 100_00, Date: dates[0]}); err != nil {
		t.Fatal(err)
	}
	// Newest first, equal dates by descending id, two per page.
	var got []domain.Invoice
	var after *app.InvoiceCursor
	for range 3 {
		page, err := st.InvoicePage(ctx, a.ID, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page...)
		if len(page) < 2 {
			break
		}
		last := page[len(page)-1]
		after = &app.InvoiceCursor{Date: last.Date, ID: last.ID}
	}
	if len(got) != 4 {
		t.Fatalf("%d invoices over the pages, want 4", len(got))
	}
	for i := 1; i < len(got); i++ {
		prev, cur := got[i-1], got[i]
		if cur.Date.After(prev.Date) || (cur.Date == prev.Date && cur.ID > prev.ID) {
			t.Errorf("order: %v/%d after %v/%d", cur.Date, cur.ID, prev.Date, prev.ID)
		}
	}
	first := got[0]
	if first.Status != domain.InvoiceOpen || first.School != "Taalschool A" || first.PeriodStart != domain.NewDate(2026, 10, 1) || first.PeriodEnd != domain.NewDate(2026, 10, 31) {
		t.Errorf("stored invoice %+v", first)
	}
	if _, err := st.Invoice(ctx, b.ID, first.ID); domain.ErrorKind(err) != domain.KindNotFound {
		t.Errorf("another person's invoice: %v, want not found", err)
	}
	at := time.Date(2026, 11, 29, 10, 0, 0, 123456789, time.UTC)
	decided, err := first.Decide(domain.DecisionReject, "Deze lessen zijn niet gegeven.", at)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveInvoiceDecision(ctx, b.ID, decided); domain.ErrorKind(err) != domain.KindConflict {
		t.Errorf("saving on another person's invoice: %v, want a conflict and no change", err)
	}
	if err := st.SaveInvoiceDecision(ctx, a.ID, decided); err != nil {
		t.Fatal(err)
	}
	again, err := st.Invoice(ctx, a.ID, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Status != domain.InvoiceRejected || again.Reason != "Deze lessen zijn niet gegeven." || again.DecidedAt == nil || !again.DecidedAt.Equal(at.Truncate(time.Microsecond)) {
		t.Errorf("after the decision: %+v", again)
	}
	accepted := again
	accepted.Status, accepted.Reason = domain.InvoiceAccepted, ""
	if err := st.SaveInvoiceDecision(ctx, a.ID, accepted); domain.ErrorKind(err) != domain.KindConflict {
		t.Errorf("a second decision: %v, want conflict", err)
	}
	if still, _ := st.Invoice(ctx, a.ID, first.ID); still.Status != domain.InvoiceRejected {
		t.Errorf("the second decision changed the invoice to %s", still.Status)
	}
}

// TestInvoiceMigrationKeepsPaidInvoices: invoices stored before migration 00005 were paid by DUO;
// they stay paid, covering their own date, and keep counting against the loan.
func TestInvoiceMigrationKeepsPaidInvoices(t *testing.T) {
	ctx := context.Background()
	url := testenv.DatabaseURL(t)
	driver, dialect, dsn := "sqlite", goose.DialectSQLite3, strings.TrimPrefix(url, "sqlite:")+"?_pragma=foreign_keys(1)"
	fsys, _ := fs.Sub(migrations.SQLite, "sqlite")
	if testenv.Dialect() == "postgres" {
		driver, dialect, dsn = "pgx", goose.DialectPostgres, url
		fsys, _ = fs.Sub(migrations.Postgres, "postgres")
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := goose.NewProvider(dialect, db, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 4); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO inburgeraars (bsn, naam, doelgroep, startdatum_plicht, betaler) VALUES ('111222333', 'Oud', 'gezinsmigrant', '2022-01-01', 'loan')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO facturen (inburgeraar_id, school, bedrag_centen, betaaldatum) SELECT id, 'Taalschool Oud', 150000, '2023-03-15' FROM inburgeraars`); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("migrate with existing invoices: %v", err)
	}
	db.Close()
	st, err := store.Open(url, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := st.InburgeraarByBSN(ctx, "111222333")
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.Invoices(ctx, a.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("%v %v", list, err)
	}
	d := domain.NewDate(2023, 3, 15)
	inv := list[0]
	if inv.Status != domain.InvoicePaid || inv.PaidOn == nil || *inv.PaidOn != d || inv.Date != d || inv.PeriodStart != d || inv.PeriodEnd != d || inv.DecidedAt != nil || !inv.CountsAgainstLoan() {
		t.Errorf("migrated invoice %+v", inv)
	}
}
