package domain

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// InvoiceStatus is where a school invoice stands (§5): the inburgeraar accepts or rejects each
// invoice before DUO pays it; DUO pays only accepted invoices.
type InvoiceStatus string

const (
	InvoiceOpen     InvoiceStatus = "open"         // waiting for the inburgeraar's decision
	InvoiceAccepted InvoiceStatus = "geaccepteerd" // accepted; DUO will pay it from the loan
	InvoiceRejected InvoiceStatus = "afgewezen"    // rejected with a reason; DUO does not pay it
	InvoicePaid     InvoiceStatus = "betaald"      // DUO paid the school; the decision is final
)

// InvoiceDecision is the inburgeraar's answer to an open invoice.
type InvoiceDecision string

const (
	DecisionAccept InvoiceDecision = "accepteren"
	DecisionReject InvoiceDecision = "afwijzen"
)

// Bounds of a rejection reason, in characters after trimming spaces.
const (
	RejectionReasonMin = 10
	RejectionReasonMax = 500
)

// CountsAgainstLoan reports whether the invoice is part of the loan's use and of its quarter:
// only invoices the inburgeraar accepted (and that DUO then paid) count; open and rejected ones do not.
func (inv Invoice) CountsAgainstLoan() bool {
	return inv.Status == InvoiceAccepted || inv.Status == InvoicePaid
}

// Decidable reports whether the inburgeraar can still accept or reject the invoice.
func (inv Invoice) Decidable() bool { return inv.Status == InvoiceOpen }

// Decide records the inburgeraar's decision on an open invoice at instant at and returns the
// invoice as it then stands. A decision is made once: an invoice already decided or already paid
// is refused (conflict) and left as it was. A rejection needs a reason of RejectionReasonMin to
// RejectionReasonMax characters; an acceptance keeps no reason.
func (inv Invoice) Decide(d InvoiceDecision, reason string, at time.Time) (Invoice, error) {
	switch inv.Status {
	case InvoiceOpen:
	case InvoicePaid:
		return inv, Errorf(KindConflict, "error.invoice_paid")
	case InvoiceAccepted, InvoiceRejected:
		return inv, Errorf(KindConflict, "error.invoice_decided")
	default:
		return inv, Errorf(KindInternal, "error.internal")
	}
	reason = strings.TrimSpace(reason)
	switch d {
	case DecisionAccept:
		inv.Status, inv.Reason = InvoiceAccepted, ""
	case DecisionReject:
		if err := CheckRejectionReason(reason); err != nil {
			return inv, err
		}
		inv.Status, inv.Reason = InvoiceRejected, reason
	default:
		return inv, Invalid(Violation{Field: "besluit", MessageID: "error.field_choice"})
	}
	t := at.UTC()
	inv.DecidedAt = &t
	return inv, nil
}

// CheckRejectionReason checks a rejection reason (already trimmed) before the decision is taken,
// so a form can ask for it on its own page; Decide checks it again.
func CheckRejectionReason(reason string) error {
	v := func(id string, params map[string]any) error {
		return Invalid(Violation{Field: "reden", MessageID: id, Params: params})
	}
	n := utf8.RuneCountInString(reason)
	switch {
	case !utf8.ValidString(reason) || strings.ContainsFunc(reason, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }):
		return v("error.field_format", nil)
	case n == 0:
		return v("error.invoice_reason_required", nil)
	case n < RejectionReasonMin:
		return v("error.field_too_short", map[string]any{"Count": RejectionReasonMin})
	case n > RejectionReasonMax:
		return v("error.field_too_long", map[string]any{"Count": RejectionReasonMax})
	}
	return nil
}

// MarkPaid records that DUO paid an accepted invoice on date on. Only accepted invoices are paid.
func (inv Invoice) MarkPaid(on Date) (Invoice, error) {
	if inv.Status != InvoiceAccepted {
		return inv, Errorf(KindConflict, "error.invoice_not_accepted")
	}
	inv.Status, inv.PaidOn = InvoicePaid, &on
	return inv, nil
}

// Reference is the invoice's reference as the inburgeraar quotes it to DUO.
func (inv Invoice) Reference() string { return "F-" + strconv.FormatInt(inv.ID, 10) }
