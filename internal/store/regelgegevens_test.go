package store_test

import (
	"context"
	"testing"

	"github.com/inburgering/portal/internal/domain"
)

// TestRuleFactsRoundTrip: the facts the rules need and the fine decisions read back the same on both
// databases; facts can be replaced; the schema refuses values outside the law's bounds.
func TestRuleFactsRoundTrip(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := person("111222333")
	if err := st.CreateInburgeraar(ctx, p, "demo-rf"); err != nil {
		t.Fatal(err)
	}
	none, err := st.RuleFacts(ctx, p.ID)
	if err != nil || none != (domain.RuleFacts{}) {
		t.Fatalf("facts before any were stored: %+v %v", none, err)
	}
	brp, end, parts := domain.NewDate(2024, 2, 29), domain.NewDate(2016, 4, 30), 2
	want := domain.RuleFacts{BRPRegistration: &brp, ThirdPartyAwaited: true, GemeenteTermEnd: &end, KeurmerkHours: 180,
		Attempts: domain.AttemptsAllOnce, OpenPartsAtTermEnd: &parts, AsylumFamilyMember: true}
	if err := st.SetRuleFacts(ctx, p.ID, want); err != nil {
		t.Fatal(err)
	}
	got, err := st.RuleFacts(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if *got.BRPRegistration != brp || !got.ThirdPartyAwaited || *got.GemeenteTermEnd != end || got.KeurmerkHours != 180 ||
		got.Attempts != domain.AttemptsAllOnce || *got.OpenPartsAtTermEnd != 2 || !got.AsylumFamilyMember {
		t.Errorf("read back %+v", got)
	}
	if err := st.SetRuleFacts(ctx, p.ID, domain.RuleFacts{KeurmerkHours: 10}); err != nil {
		t.Fatalf("replace: %v", err)
	}
	if got, _ := st.RuleFacts(ctx, p.ID); got != (domain.RuleFacts{KeurmerkHours: 10}) {
		t.Errorf("after replace %+v", got)
	}
	if err := st.SetRuleFacts(ctx, p.ID, domain.RuleFacts{KeurmerkHours: -1}); err == nil {
		t.Error("negative hours stored")
	}
	if err := st.SetRuleFacts(ctx, p.ID, domain.RuleFacts{Attempts: "drie_keer"}); err == nil {
		t.Error("unknown attempts stored")
	}

	f := domain.FineDecision{Date: domain.NewDate(2023, 6, 1), Amount: 625_00, Reference: "BB-1"}
	if err := st.AddFineDecision(ctx, p.ID, f); err != nil {
		t.Fatal(err)
	}
	if err := st.AddFineDecision(ctx, p.ID, domain.FineDecision{Date: domain.NewDate(2023, 7, 1), Amount: 0, Reference: "BB-2"}); err == nil {
		t.Error("a fine of 0 stored")
	}
	if err := st.AddFineDecision(ctx, p.ID, f); domain.ErrorKind(err) != domain.KindConflict {
		t.Errorf("same reference twice: %v, want a conflict", err)
	}
	fines, err := st.FineDecisions(ctx, p.ID)
	if err != nil || len(fines) != 1 || fines[0] != f {
		t.Errorf("fines %+v %v", fines, err)
	}
}
