package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestInvoiceDecide(t *testing.T) {
	at := time.Date(2026, 11, 29, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	open := Invoice{ID: 7, School: "Taalschool A", Amount: eur(900), Date: NewDate(2026, 11, 1), Status: InvoiceOpen}
	decided := at.Add(-48 * time.Hour).UTC()
	paidOn := NewDate(2026, 10, 1)
	tests := []struct {
		name       string
		inv        Invoice
		decision   InvoiceDecision
		reason     string
		wantStatus InvoiceStatus
		wantReason string
		wantKind   Kind   // "" when the decision is taken
		wantID     string // message ID of the refusal (or of its only violation)
		wantField  string
		wantParams map[string]any
	}{
		{name: "accept an open invoice", inv: open, decision: DecisionAccept, wantStatus: InvoiceAccepted},
		{name: "accept keeps no reason", inv: open, decision: DecisionAccept, reason: "niet nodig bij accepteren", wantStatus: InvoiceAccepted},
		{name: "reject with a reason", inv: open, decision: DecisionReject, reason: "  Deze lessen heb ik niet gehad.  ", wantStatus: InvoiceRejected, wantReason: "Deze lessen heb ik niet gehad."},
		{name: "reject: reason of exactly the minimum", inv: open, decision: DecisionReject, reason: strings.Repeat("a", RejectionReasonMin), wantStatus: InvoiceRejected, wantReason: strings.Repeat("a", RejectionReasonMin)},
		{name: "reject: reason of exactly the maximum, counted in characters", inv: open, decision: DecisionReject, reason: strings.Repeat("ش", RejectionReasonMax), wantStatus: InvoiceRejected, wantReason: strings.Repeat("ش", RejectionReasonMax)},
		{name: "reject: no reason", inv: open, decision: DecisionReject, wantKind: KindInvalid, wantID: "error.invoice_reason_required", wantField: "reden"},
		{name: "reject: only spaces", inv: open, decision: DecisionReject, reason: " \n\t ", wantKind: KindInvalid, wantID: "error.invoice_reason_required", wantField: "reden"},
		{name: "reject: one character short", inv: open, decision: DecisionReject, reason: strings.Repeat("a", RejectionReasonMin-1), wantKind: KindInvalid, wantID: "error.field_too_short", wantField: "reden", wantParams: map[string]any{"Count": RejectionReasonMin}},
		{name: "reject: one character too long", inv: open, decision: DecisionReject, reason: strings.Repeat("ش", RejectionReasonMax+1), wantKind: KindInvalid, wantID: "error.field_too_long", wantField: "reden", wantParams: map[string]any{"Count": RejectionReasonMax}},
		{name: "reject: control characters", inv: open, decision: DecisionReject, reason: "lessen niet\x00 gehad", wantKind: KindInvalid, wantID: "error.field_format", wantField: "reden"},
		{name: "reject: invalid UTF-8", inv: open, decision: DecisionReject, reason: "lessen niet \xff gehad", wantKind: KindInvalid, wantID: "error.field_format", wantField: "reden"},
		{name: "unknown decision", inv: open, decision: "misschien", wantKind: KindInvalid, wantID: "error.field_choice", wantField: "besluit"},
		{name: "second decision after accepting", inv: Invoice{Status: InvoiceAccepted, DecidedAt: &decided}, decision: DecisionReject, reason: "toch niet akkoord hiermee", wantKind: KindConflict, wantID: "error.invoice_decided"},
		{name: "second decision after rejecting", inv: Invoice{Status: InvoiceRejected, Reason: "niet gehad, echt niet", DecidedAt: &decided}, decision: DecisionAccept, wantKind: KindConflict, wantID: "error.invoice_decided"},
		{name: "decision after DUO paid", inv: Invoice{Status: InvoicePaid, PaidOn: &paidOn}, decision: DecisionReject, reason: "toch niet akkoord hiermee", wantKind: KindConflict, wantID: "error.invoice_paid"},
		{name: "paid wins over invalid input", inv: Invoice{Status: InvoicePaid, PaidOn: &paidOn}, decision: "x", wantKind: KindConflict, wantID: "error.invoice_paid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.inv.Decide(tc.decision, tc.reason, at)
			if tc.wantKind == "" {
				if err != nil {
					t.Fatalf("Decide: %v", err)
				}
				if got.Status != tc.wantStatus || got.Reason != tc.wantReason {
					t.Errorf("got %s %q, want %s %q", got.Status, got.Reason, tc.wantStatus, tc.wantReason)
				}
				if got.DecidedAt == nil || !got.DecidedAt.Equal(at) || got.DecidedAt.Location() != time.UTC {
					t.Errorf("DecidedAt %v, want %v in UTC", got.DecidedAt, at)
				}
				if got.ID != tc.inv.ID || got.Amount != tc.inv.Amount || got.PaidOn != nil {
					t.Errorf("Decide changed more than the decision: %+v", got)
				}
				return
			}
			var de *Error
			if !errors.As(err, &de) || de.Kind != tc.wantKind {
				t.Fatalf("err %v, want kind %s", err, tc.wantKind)
			}
			id := de.MessageID
			if tc.wantField != "" {
				if len(de.Violations) != 1 || de.Violations[0].Field != tc.wantField {
					t.Fatalf("violations %+v, want one on %s", de.Violations, tc.wantField)
				}
				id = de.Violations[0].MessageID
				for k, v := range tc.wantParams {
					if de.Violations[0].Params[k] != v {
						t.Errorf("param %s = %v, want %v", k, de.Violations[0].Params[k], v)
					}
				}
			}
			if id != tc.wantID {
				t.Errorf("message %s, want %s", id, tc.wantID)
			}
			if got.Status != tc.inv.Status || got.Reason != tc.inv.Reason || got.DecidedAt != tc.inv.DecidedAt {
				t.Errorf("a refused decision changed the invoice: %+v", got)
			}
		})
	}
}

func TestInvoiceMarkPaid(t *testing.T) {
	on := NewDate(2026, 12, 15)
	for _, tc := range []struct {
		status InvoiceStatus
		ok     bool
	}{{InvoiceAccepted, true}, {InvoiceOpen, false}, {InvoiceRejected, false}, {InvoicePaid, false}} {
		got, err := Invoice{Status: tc.status}.MarkPaid(on)
		if tc.ok != (err == nil) {
			t.Errorf("%s: err %v", tc.status, err)
			continue
		}
		if tc.ok && (got.Status != InvoicePaid || got.PaidOn == nil || *got.PaidOn != on) {
			t.Errorf("%s: got %+v", tc.status, got)
		}
		if !tc.ok && (ErrorKind(err) != KindConflict || got.Status != tc.status) {
			t.Errorf("%s: got %+v, %v", tc.status, got, err)
		}
	}
}

// TestLoanCountsOnlyAcceptedInvoices: open and rejected invoices are neither loan use nor quarter
// use; accepted and paid ones are both.
func TestLoanCountsOnlyAcceptedInvoices(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2026, 11, 29))
	today := NewDate(2026, 11, 29)
	inv := func(s InvoiceStatus, euros int64, d Date) Invoice {
		return Invoice{School: "A", Amount: eur(euros), Date: d, Status: s}
	}
	thisQ, lastQ := NewDate(2026, 10, 5), NewDate(2026, 7, 5)
	tests := []struct {
		name              string
		invoices          []Invoice
		wantUsed, wantQtr Cents
	}{
		{"only open", []Invoice{inv(InvoiceOpen, 900, thisQ)}, 0, 0},
		{"only rejected", []Invoice{inv(InvoiceRejected, 900, thisQ)}, 0, 0},
		{"accepted counts in its quarter", []Invoice{inv(InvoiceAccepted, 900, thisQ)}, eur(900), eur(900)},
		{"paid counts", []Invoice{inv(InvoicePaid, 900, lastQ)}, eur(900), 0},
		{"mixed", []Invoice{inv(InvoicePaid, 1_000, lastQ), inv(InvoiceAccepted, 700, thisQ), inv(InvoiceOpen, 400, thisQ), inv(InvoiceRejected, 300, thisQ)}, eur(1_700), eur(700)},
		{"unknown status does not count", []Invoice{inv("", 900, thisQ)}, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := ComputeLoan(LoanInput{Regime: Wi2021, TargetGroup: Gezinsmigrant, Payer: PayerLoan, Invoices: tc.invoices}, p, today)
			if l.Used != tc.wantUsed || l.QuarterUsed != tc.wantQtr || l.Balance != l.Maximum-tc.wantUsed {
				t.Errorf("used %d quarter %d balance %d, want %d %d", l.Used, l.QuarterUsed, l.Balance, tc.wantUsed, tc.wantQtr)
			}
		})
	}
}
