package app_test

import (
	"context"
	"testing"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
)

// TestStaffAdviceRefusedInTheUseCase: the blocking right holds in the use case itself, whatever
// face calls it; the refusal is audited with the staff ID before it is returned.
func TestStaffAdviceRefusedInTheUseCase(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	for _, who := range []string{"hamid", "selam", "mariam"} {
		p, err := a.Service.PersonaLogin(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		list, err := a.Medical.MyRequests(ctx, p.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("%s: %d requests (%v)", who, len(list), err)
		}
		before, _ := a.Store.AuditCount(ctx)
		_, adv, err := a.Medical.StaffReadAdvice(ctx, "staff-7", list[0].ID)
		want := domain.KindForbidden
		if who == "mariam" {
			want = domain.KindConflict // no advice yet
		}
		if domain.ErrorKind(err) != want || adv.Advies != "" {
			t.Errorf("%s: %v, advice %q; want %s and no advice", who, err, adv.Advies, want)
		}
		if after, _ := a.Store.AuditCount(ctx); after != before+1 {
			t.Errorf("%s: %d audit entries for one refused attempt", who, after-before)
		}
		// The staff views never carry the content.
		_, r, err := a.Medical.StaffView(ctx, "staff-7", list[0].ID)
		if err != nil || r.Advies != "" {
			t.Errorf("%s: staff view carries the advice (%v)", who, err)
		}
		sc, err := a.Medical.StaffFind(ctx, "staff-7", string(p.BSN))
		if err != nil || len(sc.Requests) != 1 || sc.Requests[0].Advies != "" {
			t.Errorf("%s: staff find carries the advice (%v)", who, err)
		}
	}
}

// TestChoiceIsOneTransaction: a choice on a stale version writes nothing (no evidence, no audit).
func TestChoiceIsOneTransaction(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	p, _ := a.Service.PersonaLogin(ctx, "hamid")
	list, _ := a.Medical.MyRequests(ctx, p.ID)
	id := list[0].ID
	before, _ := a.Store.AuditCount(ctx)
	in := app.ChoiceInput{Keuze: domain.KeuzeToestemming, Kanaal: domain.KanaalAPI, Taal: "nl", Tekst: "tekst", Versie: 9}
	if _, _, err := a.Medical.Choose(ctx, p.ID, id, in); domain.ErrorKind(err) != domain.KindPreconditionFailed {
		t.Fatalf("stale choice: %v", err)
	}
	in.Versie = 1
	in.Tekst = ""
	if _, _, err := a.Medical.Choose(ctx, p.ID, id, in); err == nil {
		t.Fatal("a choice without the text shown was stored")
	}
	_, ev, _ := a.Medical.History(ctx, p.ID, id)
	after, _ := a.Store.AuditCount(ctx)
	if len(ev) != 0 || after != before {
		t.Errorf("refused choices left %d evidence rows, %d audit entries", len(ev), after-before)
	}
	in.Tekst = "tekst"
	r, e, err := a.Medical.Choose(ctx, p.ID, id, in)
	if err != nil || r.Toestemming != domain.ToestemmingGegeven || r.Versie != 2 || e.ID == 0 {
		t.Fatalf("choice: %+v %+v %v", r.Toestemming, e, err)
	}
	if after, _ := a.Store.AuditCount(ctx); after != before+1 {
		t.Errorf("%d audit entries for one choice", after-before)
	}
}
