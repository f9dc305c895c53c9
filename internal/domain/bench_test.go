package domain

import (
	"strings"
	"testing"
)

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

// BenchmarkContractFile reads a contract file of 10,000 rows (the CSV parser of the schools'
// batch upload): rows per second and bytes allocated per file.
func BenchmarkContractFile(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(strings.Join(ContractFileHeader, ";") + "\n")
	for i := range 10_000 {
		if i%2 == 0 {
			sb.WriteString("760913900;nt2;2026-01-05;2026-12-18;400\n")
		} else {
			sb.WriteString("930824623;alfabetisering;2026-02-01;2026-06-30;120\n")
		}
	}
	file := sb.String()
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if err := ReadContractFile(strings.NewReader(file), func(l ContractLine) error {
			if len(l.Problems) > 0 {
				b.Fatalf("row %d: %v", l.Row, l.Problems)
			}
			n++
			return nil
		}); err != nil || n != 10_000 {
			b.Fatalf("%d rows, %v", n, err)
		}
	}
}
