package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

// TestAfspraakConstraints: the schema holds a slot's capacity, the office rule, one open
// appointment per type per person and the slot's type, whatever the Go code does.
func TestAfspraakConstraints(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := person("111222333")
	if err := st.CreateInburgeraar(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	ok := domain.Tijdslot{Soort: domain.SoortLening, Kanaal: domain.KanaalTelefoon, Start: start, Duur: 15 * time.Minute, Capaciteit: 2}
	bad := []struct {
		name string
		f    func(*domain.Tijdslot)
	}{
		{"booked beyond capacity", func(s *domain.Tijdslot) { s.Geboekt = 3 }},
		{"negative booked", func(s *domain.Tijdslot) { s.Geboekt = -1 }},
		{"capacity 0", func(s *domain.Tijdslot) { s.Capaciteit = 0 }},
		{"capacity 51", func(s *domain.Tijdslot) { s.Capaciteit, s.Geboekt = 51, 0 }},
		{"office channel without office", func(s *domain.Tijdslot) { s.Kanaal = domain.KanaalKantoor }},
		{"phone with an office", func(s *domain.Tijdslot) { s.Kantoor = "groningen" }},
		{"unknown channel", func(s *domain.Tijdslot) { s.Kanaal = "post" }},
		{"duration 0", func(s *domain.Tijdslot) { s.Duur = 0 }},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.f(&s)
			if _, err := st.AddTijdsloten(ctx, []domain.Tijdslot{s}); err == nil {
				t.Fatal("the database accepted it")
			}
		})
	}
	if n, err := st.AddTijdsloten(ctx, []domain.Tijdslot{ok, ok}); err != nil || n != 1 {
		t.Fatalf("add: %d %v", n, err)
	}
	if n, err := st.AddTijdsloten(ctx, []domain.Tijdslot{ok}); err != nil || n != 0 {
		t.Fatalf("add again: %d %v (an existing slot is skipped)", n, err)
	}
	free, err := st.FreeTijdsloten(ctx, app.SlotQuery{Soort: domain.SoortLening, From: start.Add(-time.Hour), To: start.Add(time.Hour)}, nil, 10)
	if err != nil || len(free) != 1 {
		t.Fatalf("free: %v %v", free, err)
	}
	slot := free[0]
	for i, want := range []bool{true, true, false} {
		got, err := st.ClaimPlace(ctx, slot.ID, domain.SoortLening)
		if err != nil || got != want {
			t.Fatalf("claim %d: %v %v", i, got, err)
		}
	}
	if got, _ := st.ClaimPlace(ctx, slot.ID, domain.SoortHoorzitting); got {
		t.Fatal("claimed as another type")
	}
	a := &domain.Afspraak{InburgeraarID: p.ID, Soort: domain.SoortLening, Slot: slot, Status: domain.AfspraakGepland}
	at := start.Add(-48 * time.Hour)
	if err := st.CreateAfspraak(ctx, a, "k1", at); err != nil {
		t.Fatal(err)
	}
	second := *a
	if err := st.CreateAfspraak(ctx, &second, "k2", at); domain.ErrorKind(err) != domain.KindConflict {
		t.Fatalf("second open appointment of the type: %v", err)
	}
	wrongType := *a
	wrongType.Soort = domain.SoortMedisch
	if err := st.CreateAfspraak(ctx, &wrongType, "k3", at); err == nil {
		t.Fatal("an appointment of another type than its slot was stored")
	}
	cancelled := *a
	cancelled.Status = domain.AfspraakGeannuleerd
	if err := st.ChangeAfspraak(ctx, cancelled, 1, at); err != nil {
		t.Fatal(err)
	}
	if err := st.ChangeAfspraak(ctx, cancelled, 1, at); domain.ErrorKind(err) != domain.KindConflict {
		t.Fatalf("stale change: %v", err)
	}
	if err := st.CreateAfspraak(ctx, &second, "k2", at); err != nil {
		t.Fatalf("a new appointment after cancelling: %v", err)
	}
}
