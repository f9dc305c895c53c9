package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

// TestSchoolRelation: the one read of a declaration gives the student, the school's own contracts
// with them (not another school's) by ascending id, and whether the school declared hours of them
// before; an unknown BSN is not found. On both databases.
func TestSchoolRelation(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	school := func(id, bow string) int64 {
		sc := domain.School{ClientID: id, Name: id, BOWNumber: bow, KeurmerkUntil: domain.NewDate(2030, 1, 1),
			JWKS: []byte(`{"keys":[]}`), Scopes: []domain.Scope{domain.ScopeDeclarationsWrite}, CreatedAt: at}
		if err := st.CreateSchool(ctx, &sc); err != nil {
			t.Fatal(err)
		}
		return sc.ID
	}
	a, b := school("school-a", "12345"), school("school-b", "12346")
	p, q := person("111222333"), person("123456782")
	for i, x := range []*domain.Inburgeraar{p, q} {
		if err := st.CreateInburgeraar(ctx, x, []string{"demo-sr1", "demo-sr2"}[i]); err != nil {
			t.Fatal(err)
		}
	}
	contract := func(school, person int64, start domain.Date, hours int) domain.Contract {
		c := domain.Contract{SchoolID: school, InburgeraarID: person, CourseType: domain.CourseNT2, Start: start,
			End: start.AddDays(180), PurchasedHours: hours, CreatedAt: at}
		if err := st.CreateContract(ctx, &c); err != nil {
			t.Fatal(err)
		}
		return c
	}

	rel, err := st.SchoolRelation(ctx, a, p.BSN)
	if err != nil || rel.InburgeraarID != p.ID || len(rel.Contracts) != 0 || rel.Declared {
		t.Fatalf("no relation yet: %+v %v", rel, err)
	}
	first := contract(a, p.ID, domain.NewDate(2026, 1, 5), 120)
	contract(b, p.ID, domain.NewDate(2026, 2, 5), 80) // another school's
	second := contract(a, p.ID, domain.NewDate(2026, 7, 1), 60)
	rel, err = st.SchoolRelation(ctx, a, p.BSN)
	if err != nil || rel.InburgeraarID != p.ID || rel.Declared || len(rel.Contracts) != 2 {
		t.Fatalf("two contracts: %+v %v", rel, err)
	}
	for i, want := range []domain.Contract{first, second} {
		want.BSN = p.BSN
		got := rel.Contracts[i]
		if got.ID != want.ID || got.SchoolID != a || got.InburgeraarID != p.ID || got.BSN != p.BSN || got.CourseType != want.CourseType ||
			got.Start != want.Start || got.End != want.End || got.PurchasedHours != want.PurchasedHours || !got.CreatedAt.Equal(at) {
			t.Errorf("contract %d: got %+v, want %+v", i, got, want)
		}
	}

	// School b declared hours of q without a contract: a relation by declaration only.
	if rel, err := st.SchoolRelation(ctx, b, q.BSN); err != nil || rel.InburgeraarID != q.ID || rel.Declared || len(rel.Contracts) != 0 {
		t.Fatalf("q before a declaration: %+v %v", rel, err)
	}
	d := domain.Declaration{SchoolID: b, InburgeraarID: q.ID, CourseType: domain.CourseNT2, PeriodStart: domain.NewDate(2026, 9, 1),
		PeriodEnd: domain.NewDate(2026, 9, 30), Hours: 10, Status: domain.DeclarationAccepted, CreatedAt: at}
	if err := st.CreateDeclaration(ctx, &d); err != nil {
		t.Fatal(err)
	}
	if rel, err := st.SchoolRelation(ctx, b, q.BSN); err != nil || !rel.Declared || len(rel.Contracts) != 0 {
		t.Errorf("q after b's declaration: %+v %v", rel, err)
	}
	if rel, err := st.SchoolRelation(ctx, a, q.BSN); err != nil || rel.Declared {
		t.Errorf("b's declaration counted for a: %+v %v", rel, err)
	}

	if _, err := st.SchoolRelation(ctx, a, "999999990"); domain.ErrorKind(err) != domain.KindNotFound {
		t.Errorf("unknown BSN: %v, want not found", err)
	}
}
