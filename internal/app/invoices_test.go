package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
)

// openInvoices returns persona's open invoices, newest first.
func openInvoices(t *testing.T, s *app.Service, id int64) []domain.Invoice {
	t.Helper()
	page, err := s.Invoices(context.Background(), id, nil, app.MaxPageSize)
	if err != nil {
		t.Fatal(err)
	}
	var out []domain.Invoice
	for _, inv := range page.Invoices {
		if inv.Status == domain.InvoiceOpen {
			out = append(out, inv)
		}
	}
	return out
}

// TestDecideInvoice: accepting adds the invoice to the loan and its quarter, rejecting does not;
// each decision is stored with its time and audited under a pseudonym, never the BSN or the reason.
func TestDecideInvoice(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	s := a.Service
	dawit, _ := s.PersonaLogin(ctx, "dawit")
	open := openInvoices(t, s, dawit.ID)
	if len(open) != 2 {
		t.Fatalf("dawit has %d open invoices, want 2 (seed)", len(open))
	}
	before, err := s.Overview(ctx, dawit.ID)
	if err != nil {
		t.Fatal(err)
	}

	acc, err := s.DecideInvoice(ctx, dawit.ID, open[0].ID, domain.DecisionAccept, "", "portal")
	if err != nil {
		t.Fatal(err)
	}
	if acc.Status != domain.InvoiceAccepted || acc.DecidedAt == nil || !acc.DecidedAt.Equal(testenv.Now) {
		t.Errorf("accepted: %+v", acc)
	}
	reason := "Ik heb deze lessen niet gevolgd."
	rej, err := s.DecideInvoice(ctx, dawit.ID, open[1].ID, domain.DecisionReject, reason, "api")
	if err != nil {
		t.Fatal(err)
	}
	if rej.Status != domain.InvoiceRejected || rej.Reason != reason {
		t.Errorf("rejected: %+v", rej)
	}
	stored, err := s.Invoice(ctx, dawit.ID, open[1].ID)
	if err != nil || stored.Status != domain.InvoiceRejected || stored.Reason != reason {
		t.Errorf("stored: %+v %v", stored, err)
	}

	after, err := s.Overview(ctx, dawit.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Loan.Used != before.Loan.Used+open[0].Amount {
		t.Errorf("used %d → %d, want + %d (the accepted invoice only)", before.Loan.Used, after.Loan.Used, open[0].Amount)
	}
	wantQuarter := before.Loan.QuarterUsed
	if !open[0].Date.Before(after.Loan.QuarterStart) {
		wantQuarter += open[0].Amount
	}
	if after.Loan.QuarterUsed != wantQuarter {
		t.Errorf("quarter used %d, want %d", after.Loan.QuarterUsed, wantQuarter)
	}

	log, err := a.Store.AuditEntries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var decided []app.AuditEntry
	for _, e := range log {
		if e.Action == app.AuditInvoiceDecided {
			decided = append(decided, e)
		}
	}
	if len(decided) != 2 {
		t.Fatalf("audit: %+v, want two decisions", log)
	}
	for _, e := range decided {
		if e.Subject != s.Pseudonym(dawit.BSN) || strings.Contains(e.Details, string(dawit.BSN)) || strings.Contains(e.Details, reason) {
			t.Errorf("audit entry %+v: want the pseudonym and no BSN or reason", e)
		}
	}
	if !strings.Contains(decided[1].Details, "besluit=afgewezen") || !strings.Contains(decided[1].Details, "kanaal=api") {
		t.Errorf("audit details %q", decided[1].Details)
	}
}

// TestDecideInvoiceRefusals: someone else's invoice, a second decision, a paid invoice and bad
// input are refused with a translatable message, change nothing, and (except bad input, which
// is no decision) are audited.
func TestDecideInvoiceRefusals(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	s := a.Service
	dawit, _ := s.PersonaLogin(ctx, "dawit")
	olena, _ := s.PersonaLogin(ctx, "olena")
	dOpen := openInvoices(t, s, dawit.ID)
	oOpen := openInvoices(t, s, olena.ID)
	if len(dOpen) == 0 || len(oOpen) == 0 {
		t.Fatal("seed has no open invoices")
	}
	if _, err := s.DecideInvoice(ctx, dawit.ID, dOpen[0].ID, domain.DecisionAccept, "", "portal"); err != nil {
		t.Fatal(err)
	}
	page, _ := s.Invoices(ctx, dawit.ID, nil, app.MaxPageSize)
	var paid domain.Invoice
	for _, inv := range page.Invoices {
		if inv.Status == domain.InvoicePaid {
			paid = inv
			break
		}
	}
	if paid.ID == 0 {
		t.Fatal("dawit has no paid invoice")
	}
	tests := []struct {
		name      string
		who       int64
		invoice   int64
		decision  domain.InvoiceDecision
		reason    string
		kind      domain.Kind
		messageID string
		audited   bool
	}{
		{"someone else's invoice", dawit.ID, oOpen[0].ID, domain.DecisionReject, "Niet mijn factuur, echt niet.", domain.KindNotFound, "error.invoice_not_found", true},
		{"an invoice that does not exist", dawit.ID, 9_999_999, domain.DecisionAccept, "", domain.KindNotFound, "error.invoice_not_found", true},
		{"a second decision", dawit.ID, dOpen[0].ID, domain.DecisionReject, "Toch niet akkoord met deze.", domain.KindConflict, "error.invoice_decided", true},
		{"after DUO paid", dawit.ID, paid.ID, domain.DecisionReject, "Toch niet akkoord met deze.", domain.KindConflict, "error.invoice_paid", true},
		{"a rejection without a reason", dawit.ID, dOpen[1].ID, domain.DecisionReject, "  ", domain.KindInvalid, "error.invalid_input", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			auditBefore, _ := a.Store.AuditEntries(ctx)
			dBefore, _ := s.Invoices(ctx, dawit.ID, nil, app.MaxPageSize)
			oBefore, _ := s.Invoices(ctx, olena.ID, nil, app.MaxPageSize)
			_, err := s.DecideInvoice(ctx, tc.who, tc.invoice, tc.decision, tc.reason, "portal")
			var de *domain.Error
			if err == nil || domain.ErrorKind(err) != tc.kind {
				t.Fatalf("err %v, want %s", err, tc.kind)
			}
			if de = err.(*domain.Error); de.MessageID != tc.messageID {
				t.Errorf("message %s, want %s", de.MessageID, tc.messageID)
			}
			dAfter, _ := s.Invoices(ctx, dawit.ID, nil, app.MaxPageSize)
			oAfter, _ := s.Invoices(ctx, olena.ID, nil, app.MaxPageSize)
			if !sameInvoices(dBefore.Invoices, dAfter.Invoices) || !sameInvoices(oBefore.Invoices, oAfter.Invoices) {
				t.Error("a refused decision changed an invoice")
			}
			auditAfter, _ := a.Store.AuditEntries(ctx)
			added := auditAfter[len(auditBefore):]
			if !tc.audited {
				if len(added) != 0 {
					t.Errorf("audited %+v", added)
				}
				return
			}
			if len(added) != 1 || added[0].Action != app.AuditInvoiceRefused || added[0].Subject != s.Pseudonym(dawit.BSN) || !strings.Contains(added[0].Details, tc.messageID) {
				t.Errorf("audit %+v, want one refusal of dawit naming %s", added, tc.messageID)
			}
		})
	}
}

func sameInvoices(a, b []domain.Invoice) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ID != y.ID || x.Status != y.Status || x.Reason != y.Reason || (x.DecidedAt == nil) != (y.DecidedAt == nil) {
			return false
		}
	}
	return true
}

// TestInvoiceCursor: cursors round-trip and only canonical tokens are accepted.
func TestInvoiceCursor(t *testing.T) {
	c := app.InvoiceCursor{Date: domain.NewDate(2026, 10, 1), ID: 42}
	got, err := app.ParseInvoiceCursor(c.String())
	if err != nil || got != c {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	for _, bad := range []string{"", "x", "MjAyNi0xMC0wMQ", c.String() + "A", strings.Repeat("A", 201), "MjAyNi0xMy0wMS40Mg", "MjAyNi0xMC0wMS4w"} {
		if _, err := app.ParseInvoiceCursor(bad); domain.ErrorKind(err) != domain.KindInvalid {
			t.Errorf("%q: %v, want invalid", bad, err)
		}
	}
}

// TestDecideInvoiceConcurrently: of simultaneous decisions on one invoice exactly one is taken;
// the others are refused as a second decision, whatever the database's locking.
func TestDecideInvoiceConcurrently(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	s := a.Service
	dawit, _ := s.PersonaLogin(ctx, "dawit")
	inv := openInvoices(t, s, dawit.ID)[0]
	const n = 8
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, reason := domain.DecisionAccept, ""
			if i%2 == 1 {
				d, reason = domain.DecisionReject, "Deze lessen heb ik niet gehad."
			}
			_, err := s.DecideInvoice(ctx, dawit.ID, inv.ID, d, reason, "api")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	ok, conflicts := 0, 0
	for err := range errs {
		switch domain.ErrorKind(err) {
		case domain.KindConflict:
			conflicts++
		default:
			if err != nil {
				t.Errorf("unexpected error: %v", err)
			} else {
				ok++
			}
		}
	}
	if ok != 1 || conflicts != n-1 {
		t.Errorf("%d decisions taken and %d refused, want 1 and %d", ok, conflicts, n-1)
	}
	log, _ := a.Store.AuditEntries(ctx)
	decided, refused := 0, 0
	for _, e := range log {
		switch e.Action {
		case app.AuditInvoiceDecided:
			decided++
		case app.AuditInvoiceRefused:
			refused++
		}
	}
	if decided != 1 || refused != n-1 {
		t.Errorf("audit: %d decided, %d refused", decided, refused)
	}
}
