package domain

import "testing"

// BenchmarkComputeAll measures the rules behind one overview: term, PIP status and loan.
func BenchmarkComputeAll(b *testing.B) {
	p := DefaultPolicies().At(NewDate(2026, 11, 29))
	today := NewDate(2026, 11, 29)
	pip := NewDate(2025, 5, 29)
	notice := NewDate(2025, 2, 1)
	inv := []Invoice{{School: "A", Amount: 1_950_00, Date: NewDate(2026, 1, 10), Status: InvoicePaid}, {School: "A", Amount: 1_950_00, Date: NewDate(2026, 10, 10), Status: InvoicePaid}}
	b.ReportAllocs()
	for b.Loop() {
		t := ComputeTerm(TermInput{Regime: Wi2021, FirstPIPDate: &pip, Extensions: []Extension{{Months: 6}}}, p, today)
		ComputePIPStatus(PIPDeadlineInput{Notice: &notice}, p, today)
		ComputeLoan(LoanInput{Regime: Wi2013, Payer: PayerLoan, Invoices: inv, TermEnd: t.End}, p, today)
	}
}

func BenchmarkPolicyAt(b *testing.B) {
	t := DefaultPolicies()
	d := NewDate(2026, 11, 29)
	b.ReportAllocs()
	for b.Loop() {
		t.At(d)
	}
}
