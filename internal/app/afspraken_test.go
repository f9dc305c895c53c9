package app_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

// testenv.Now is Sunday 29 Nov 2026, 11:00 in Amsterdam: tomorrow is Monday 30 Nov.
var tomorrow = domain.NewDate(2026, 11, 30)

const staff = "demo-medewerker"

// publish publishes one slot of soort over kanaal at h:00 on d with capacity n and returns it.
func publish(t testing.TB, s *app.Service, soort domain.AfspraakSoort, kanaal domain.AfspraakKanaal, kantoor string, d domain.Date, h, n int) domain.Tijdslot {
	t.Helper()
	ctx := context.Background()
	if _, err := s.PublishSlots(ctx, staff, domain.Publicatie{Soort: soort, Kanaal: kanaal, Kantoor: kantoor, From: d, To: d,
		Weekdagen: []time.Weekday{d.Time().Weekday()}, Tijden: []string{fmt.Sprintf("%02d:00", h)}, Capaciteit: n}); err != nil {
		t.Fatal(err)
	}
	page, err := s.FreeSlots(ctx, soort, kanaal, nil, app.MaxPageSize)
	if err != nil {
		t.Fatal(err)
	}
	want := domain.AtAmsterdam(d, h, 0)
	for _, sl := range page.Slots {
		if sl.Start.Equal(want) && sl.Kantoor == kantoor {
			return sl
		}
	}
	t.Fatalf("published slot %s not listed", want)
	return domain.Tijdslot{}
}

func slotOf(t testing.TB, s *app.Service, id int64) domain.Tijdslot {
	t.Helper()
	sl, err := s.Tijdslot(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return sl
}

func messageID(err error) string {
	var de *domain.Error
	if !errors.As(err, &de) {
		return fmt.Sprint(err)
	}
	if len(de.Violations) > 0 {
		return de.Violations[0].MessageID
	}
	return de.MessageID
}

func inboxKinds(t *testing.T, s *app.Service, id int64) map[domain.BerichtKind]int {
	t.Helper()
	page, err := s.Berichten(context.Background(), id, nil, app.MaxPageSize)
	if err != nil {
		t.Fatal(err)
	}
	out := map[domain.BerichtKind]int{}
	for _, b := range page.Berichten {
		out[b.Kind]++
	}
	return out
}

// TestBookMoveCancel: a booking takes a place, leaves a portal message and an audit entry; a move
// takes a place in the new slot and gives the old one back; a cancel gives it back.
func TestBookMoveCancel(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	s, ctx := a.Service, context.Background()
	dawit, _ := s.PersonaLogin(ctx, "dawit")
	s1 := publish(t, s, domain.SoortLening, domain.KanaalTelefoon, "", tomorrow.AddDays(2), 9, 2)
	s2 := publish(t, s, domain.SoortLening, domain.KanaalTelefoon, "", tomorrow.AddDays(3), 14, 1)

	b, replayed, err := s.Book(ctx, dawit.ID, app.Booking{Soort: domain.SoortLening, SlotID: s1.ID, TolkTaal: "ti", Key: "k1", Channel: "portal"})
	if err != nil || replayed {
		t.Fatal(err, replayed)
	}
	if b.Status != domain.AfspraakGepland || b.TolkTaal != "ti" || b.Versie != 1 || b.Reference() != fmt.Sprintf("AF-%d", b.ID) {
		t.Fatalf("booked: %+v", b)
	}
	if got := slotOf(t, s, s1.ID).Geboekt; got != 1 {
		t.Fatalf("geboekt %d", got)
	}
	if got := inboxKinds(t, s, dawit.ID)[app.BerichtAfspraakGeboekt]; got != 1 {
		t.Fatalf("%d confirmation messages", got)
	}
	// The same request key again (a double submit): the same appointment, nothing new.
	again, replayed, err := s.Book(ctx, dawit.ID, app.Booking{Soort: domain.SoortLening, SlotID: s1.ID, Key: "k1"})
	if err != nil || !replayed || again.ID != b.ID || slotOf(t, s, s1.ID).Geboekt != 1 {
		t.Fatalf("replay: %+v %v %v", again, replayed, err)
	}

	moved, err := s.Move(ctx, dawit.ID, b.ID, b.Versie, s2.ID, "portal")
	if err != nil {
		t.Fatal(err)
	}
	if moved.Slot.ID != s2.ID || moved.Versie != 2 || moved.TolkTaal != "ti" {
		t.Fatalf("moved: %+v", moved)
	}
	if slotOf(t, s, s1.ID).Geboekt != 0 || slotOf(t, s, s2.ID).Geboekt != 1 {
		t.Fatal("places not moved")
	}
	// A move with the old version (a stale ETag) is refused.
	if _, err := s.Move(ctx, dawit.ID, b.ID, 1, s1.ID, "api"); messageID(err) != "error.afspraak_changed" {
		t.Fatalf("stale move: %v", err)
	}
	c, err := s.Cancel(ctx, dawit.ID, b.ID, moved.Versie, "portal")
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != domain.AfspraakGeannuleerd || slotOf(t, s, s2.ID).Geboekt != 0 {
		t.Fatalf("cancelled: %+v", c)
	}
	kinds := inboxKinds(t, s, dawit.ID)
	if kinds[app.BerichtAfspraakVerzet] != 1 || kinds[app.BerichtAfspraakGeannuleerd] != 1 {
		t.Fatalf("inbox: %v", kinds)
	}
	// After a cancel the type can be booked again.
	if _, _, err := s.Book(ctx, dawit.ID, app.Booking{Soort: domain.SoortLening, SlotID: s1.ID, Key: "k2"}); err != nil {
		t.Fatal(err)
	}
	// Someone else cannot see or change dawit's appointment.
	olena, _ := s.PersonaLogin(ctx, "olena")
	if _, err := s.Cancel(ctx, olena.ID, b.ID, 0, "api"); domain.ErrorKind(err) != domain.KindNotFound {
		t.Fatalf("other person's cancel: %v", err)
	}
}

// TestBookingRefusals: each bad request gets its own message and changes nothing.
func TestBookingRefusals(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	a := testenv.New(t, testenv.Options{Clock: clock})
	s, ctx := a.Service, context.Background()
	dawit, _ := s.PersonaLogin(ctx, "dawit")
	ahmad, _ := s.PersonaLogin(ctx, "ahmad") // has a fine pre-announcement
	open := publish(t, s, domain.SoortLening, domain.KanaalVideo, "", tomorrow.AddDays(1), 10, 1)
	other := publish(t, s, domain.SoortLening, domain.KanaalVideo, "", tomorrow.AddDays(1), 11, 1)
	hearing := publish(t, s, domain.SoortHoorzitting, domain.KanaalKantoor, "groningen", tomorrow.AddDays(1), 10, 1)
	// Slots staff can no longer publish: today and beyond the horizon, written straight to the store.
	if _, err := a.Store.AddTijdsloten(ctx, []domain.Tijdslot{
		{Soort: domain.SoortLening, Kanaal: domain.KanaalVideo, Start: domain.AtAmsterdam(tomorrow.AddDays(-1), 15, 0), Duur: 15 * time.Minute, Capaciteit: 1},
		{Soort: domain.SoortLening, Kanaal: domain.KanaalVideo, Start: domain.AtAmsterdam(tomorrow.AddDays(42), 9, 0), Duur: 15 * time.Minute, Capaciteit: 1},
	}); err != nil {
		t.Fatal(err)
	}
	var today, beyond domain.Tijdslot
	for _, id := range []int64{hearing.ID + 1, hearing.ID + 2} {
		sl := slotOf(t, s, id)
		if sl.Day() == tomorrow.AddDays(-1) {
			today = sl
		} else {
			beyond = sl
		}
	}
	if _, _, err := s.Book(ctx, dawit.ID, app.Booking{Soort: domain.SoortLening, SlotID: open.ID, Key: "first"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		who  int64
		b    app.Booking
		want string
	}{
		{"slot today", ahmad.ID, app.Booking{Soort: domain.SoortLening, SlotID: today.ID}, "error.afspraak_slot_out_of_range"},
		{"slot beyond the horizon", ahmad.ID, app.Booking{Soort: domain.SoortLening, SlotID: beyond.ID}, "error.afspraak_slot_out_of_range"},
		{"slot of another type", ahmad.ID, app.Booking{Soort: domain.SoortLening, SlotID: hearing.ID}, "error.afspraak_slot_other_type"},
		{"tampered slot ID", ahmad.ID, app.Booking{Soort: domain.SoortLening, SlotID: 999999}, "error.afspraak_slot_unknown"},
		{"full slot", ahmad.ID, app.Booking{Soort: domain.SoortLening, SlotID: open.ID}, "error.afspraak_slot_taken"},
		{"second open appointment of the type", dawit.ID, app.Booking{Soort: domain.SoortLening, SlotID: other.ID}, "error.afspraak_already_open"},
		{"hearing without a pre-announcement", dawit.ID, app.Booking{Soort: domain.SoortHoorzitting, SlotID: hearing.ID}, "error.afspraak_needs_vooraankondiging"},
		{"unknown type", dawit.ID, app.Booking{Soort: "koffie", SlotID: other.ID}, "error.afspraak_type_unknown"},
		{"interpreter language unknown", ahmad.ID, app.Booking{Soort: domain.SoortLening, SlotID: other.ID, TolkTaal: "xx"}, "error.afspraak_tolk_language"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := inboxKinds(t, s, tt.who)
			tt.b.Key = fmt.Sprintf("bad-%d", i)
			_, _, err := s.Book(ctx, tt.who, tt.b)
			if got := messageID(err); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
			if sl := slotOf(t, s, other.ID); sl.Geboekt != 0 {
				t.Fatalf("a place was taken: %+v", sl)
			}
			if after := inboxKinds(t, s, tt.who); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Fatalf("inbox changed: %v → %v", before, after)
			}
			list, _ := s.Afspraken(ctx, tt.who)
			if tt.who == ahmad.ID && len(list) != 0 {
				t.Fatalf("ahmad has appointments: %+v", list)
			}
		})
	}
	// Ahmad, who has the pre-announcement, can book the hearing.
	h, _, err := s.Book(ctx, ahmad.ID, app.Booking{Soort: domain.SoortHoorzitting, SlotID: hearing.ID, TolkTaal: "ps", Key: "hearing"})
	if err != nil {
		t.Fatal(err)
	}
	// Move and cancel end 24 hours before the start: the hearing is on Tuesday 1 Dec at 10:00.
	clock.Advance(h.Slot.Start.Sub(clock.Now()) - 24*time.Hour)
	if _, err := s.Cancel(ctx, ahmad.ID, h.ID, 0, "portal"); messageID(err) != "error.afspraak_cutoff_passed" {
		t.Fatalf("cancel after the cutoff: %v", err)
	}
	if _, err := s.Move(ctx, ahmad.ID, h.ID, 0, hearing.ID, "portal"); messageID(err) != "error.afspraak_cutoff_passed" {
		t.Fatalf("move after the cutoff: %v", err)
	}
	if got, _ := s.Afspraak(ctx, ahmad.ID, h.ID); got.Status != domain.AfspraakGepland || got.Versie != 1 {
		t.Fatalf("changed after the cutoff: %+v", got)
	}
}

// TestCloseSlot: staff close a slot; the people booked in it are told in the portal, their
// appointment lapses, and the type can be booked again.
func TestCloseSlot(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	s, ctx := a.Service, context.Background()
	dawit, _ := s.PersonaLogin(ctx, "dawit")
	sl := publish(t, s, domain.SoortMedisch, domain.KanaalKantoor, "den-haag", tomorrow.AddDays(4), 13, 3)
	later := publish(t, s, domain.SoortMedisch, domain.KanaalKantoor, "den-haag", tomorrow.AddDays(5), 13, 3)
	b, _, err := s.Book(ctx, dawit.ID, app.Booking{Soort: domain.SoortMedisch, SlotID: sl.ID, Key: "x"})
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.CloseSlot(ctx, staff, sl.ID)
	if err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if got, _ := s.Afspraak(ctx, dawit.ID, b.ID); got.Status != domain.AfspraakVervallen {
		t.Fatalf("after close: %+v", got)
	}
	if inboxKinds(t, s, dawit.ID)[app.BerichtAfspraakVervallen] != 1 {
		t.Fatal("no message about the closed slot")
	}
	if _, err := s.CloseSlot(ctx, staff, sl.ID); messageID(err) != "error.afspraak_slot_closed" {
		t.Fatalf("second close: %v", err)
	}
	if _, _, err := s.Book(ctx, dawit.ID, app.Booking{Soort: domain.SoortMedisch, SlotID: sl.ID, Key: "y"}); messageID(err) != "error.afspraak_slot_taken" {
		t.Fatalf("book closed slot: %v", err)
	}
	if _, _, err := s.Book(ctx, dawit.ID, app.Booking{Soort: domain.SoortMedisch, SlotID: later.ID, Key: "z"}); err != nil {
		t.Fatal(err)
	}
	day, err := s.DayAppointments(ctx, staff, tomorrow.AddDays(5), app.DayFilter{})
	if err != nil || len(day.Appointments) != 1 || day.Appointments[0].InburgeraarID != dawit.ID || day.Appointments[0].Name != "Dawit Tesfay" {
		t.Fatalf("day list: %+v %v", day, err)
	}
}

// secondInstance builds another app on a's database: its own connection pool and service, as a
// second process behind a load balancer would have.
func secondInstance(t testing.TB, a *wire.App, now func() time.Time) *wire.App {
	t.Helper()
	ctx := context.Background()
	st, err := wire.Open(ctx, a.Config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b, err := wire.Build(ctx, a.Config, st, wire.Options{Now: now, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// people creates n inburgeraars and returns their IDs.
func people(t testing.TB, a *wire.App, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	ids := make([]int64, n)
	for i := range ids {
		p := &domain.Inburgeraar{BSN: domain.BSN(fmt.Sprintf("7%08d", i)), Name: "Storm", TargetGroup: domain.Gezinsmigrant,
			ObligationStart: domain.NewDate(2023, 5, 1), Payer: domain.PayerLoan, PreferredLanguage: "nl"}
		if err := a.Store.CreateInburgeraar(ctx, p, ""); err != nil {
			t.Fatal(err)
		}
		ids[i] = p.ID
	}
	return ids
}

// TestNoDoubleBooking fires 200 concurrent bookings, from two app instances on one database, at a
// slot of capacity 3: exactly 3 succeed, every other one is told the time is taken, and the
// database holds 3 appointments in the slot.
func TestNoDoubleBooking(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	a := testenv.New(t, testenv.Options{Clock: clock})
	b := secondInstance(t, a, clock.Now)
	sl := publish(t, a.Service, domain.SoortLening, domain.KanaalTelefoon, "", tomorrow.AddDays(1), 9, 3)
	ids := people(t, a, 200)
	var ok, taken atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	start := make(chan struct{})
	for i, id := range ids {
		s := a.Service
		if i%2 == 1 {
			s = b.Service
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, _, err := s.Book(context.Background(), id, app.Booking{Soort: domain.SoortLening, SlotID: sl.ID, Key: "storm", Channel: "api"})
			switch {
			case err == nil:
				ok.Add(1)
			case messageID(err) == "error.afspraak_slot_taken":
				taken.Add(1)
			default:
				errs <- err
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected: %v", err)
	}
	if ok.Load() != 3 || taken.Load() != 197 {
		t.Fatalf("%d booked, %d told it is taken; want 3 and 197", ok.Load(), taken.Load())
	}
	if got := slotOf(t, b.Service, sl.ID); got.Geboekt != 3 {
		t.Fatalf("geboekt %d", got.Geboekt)
	}
	n := 0
	for _, id := range ids {
		list, err := a.Service.Afspraken(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		n += len(list)
	}
	if n != 3 {
		t.Fatalf("%d appointments stored", n)
	}
}

// TestOneOpenPerTypeConcurrently: one person booking the same type in two slots at once from two
// instances ends with one appointment and one place taken.
func TestOneOpenPerTypeConcurrently(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	a := testenv.New(t, testenv.Options{Clock: clock})
	b := secondInstance(t, a, clock.Now)
	ctx := context.Background()
	dawit, _ := a.Service.PersonaLogin(ctx, "dawit")
	var slots []domain.Tijdslot
	for h := 9; h < 17; h++ {
		slots = append(slots, publish(t, a.Service, domain.SoortLening, domain.KanaalVideo, "", tomorrow.AddDays(2), h, 5))
	}
	var wg sync.WaitGroup
	var ok atomic.Int32
	for i, sl := range slots {
		s := a.Service
		if i%2 == 1 {
			s = b.Service
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := s.Book(ctx, dawit.ID, app.Booking{Soort: domain.SoortLening, SlotID: sl.ID, Key: fmt.Sprint("k", i)})
			if err == nil {
				ok.Add(1)
			} else if messageID(err) != "error.afspraak_already_open" {
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, sl := range slots {
		total += slotOf(t, a.Service, sl.ID).Geboekt
	}
	if ok.Load() != 1 || total != 1 {
		t.Fatalf("%d bookings succeeded, %d places taken", ok.Load(), total)
	}
}

// BenchmarkBookingStorm: 5,000 concurrent attempts at 50 seats (one slot of capacity 50) from two
// instances; exactly 50 bookings. Reports the p99 latency of an attempt.
func BenchmarkBookingStorm(b *testing.B) {
	const attempts, seats = 5000, 50
	clock := testenv.NewClock(testenv.Now)
	a := testenv.New(b, testenv.Options{Clock: clock})
	a2 := secondInstance(b, a, clock.Now)
	ids := people(b, a, attempts)
	ctx := context.Background()
	var p99s []time.Duration
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		sl := publish(b, a.Service, domain.SoortLening, domain.KanaalTelefoon, "", tomorrow.AddDays(1+n%30), 8+n/30%10, seats)
		b.StartTimer()
		lat := make([]time.Duration, attempts)
		var ok atomic.Int32
		var wg sync.WaitGroup
		sem := make(chan struct{}, 64)
		for i, id := range ids {
			s := a.Service
			if i%2 == 1 {
				s = a2.Service
			}
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				t0 := time.Now()
				_, _, err := s.Book(ctx, id, app.Booking{Soort: domain.SoortLening, SlotID: sl.ID, Key: fmt.Sprint("storm-", n)})
				lat[i] = time.Since(t0)
				if err == nil {
					ok.Add(1)
				} else if messageID(err) != "error.afspraak_slot_taken" && messageID(err) != "error.afspraak_already_open" {
					b.Error(err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != seats {
			b.Fatalf("%d bookings, want %d", ok.Load(), seats)
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		p99s = append(p99s, lat[attempts*99/100])
		// Free everyone for the next round.
		b.StopTimer()
		for _, id := range ids {
			list, _ := a.Service.Afspraken(ctx, id)
			for _, x := range list {
				if x.Open() {
					if _, err := a.Service.Cancel(ctx, id, x.ID, 0, "api"); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		b.StartTimer()
	}
	sort.Slice(p99s, func(i, j int) bool { return p99s[i] < p99s[j] })
	b.ReportMetric(float64(p99s[len(p99s)/2].Microseconds())/1000, "p99-ms")
	b.ReportMetric(attempts, "attempts/op")
}

// waitFor polls cond for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// TestReminder: the booking enqueues a River job in its transaction that leaves a reminder in the
// inbox a day before; after a move only the new time's reminder comes, a cancelled appointment
// gets none, and running the job again adds nothing.
func TestReminder(t *testing.T) {
	clock := testenv.NewClock(time.Now())
	a := testenv.New(t, testenv.Options{Clock: clock, StartJobs: true, JobsOnClock: true})
	s, ctx := a.Service, context.Background()
	dawit, _ := s.PersonaLogin(ctx, "dawit")
	d := domain.Today(clock.Now())
	first := publish(t, s, domain.SoortLening, domain.KanaalTelefoon, "", d.AddDays(3), 10, 1)
	second := publish(t, s, domain.SoortLening, domain.KanaalTelefoon, "", d.AddDays(4), 10, 1)
	other := publish(t, s, domain.SoortMedisch, domain.KanaalTelefoon, "", d.AddDays(3), 11, 1)
	b, _, err := s.Book(ctx, dawit.ID, app.Booking{Soort: domain.SoortLening, SlotID: first.ID, Key: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Move(ctx, dawit.ID, b.ID, 0, second.ID, "portal"); err != nil {
		t.Fatal(err)
	}
	c, _, err := s.Book(ctx, dawit.ID, app.Booking{Soort: domain.SoortMedisch, SlotID: other.ID, Key: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Cancel(ctx, dawit.ID, c.ID, 0, "portal"); err != nil {
		t.Fatal(err)
	}
	reminders := func() int { return inboxKinds(t, s, dawit.ID)[app.BerichtAfspraakHerinnering] }
	// A day before the first time (and the cancelled one): their jobs run and do nothing.
	clock.Advance(first.Start.Sub(clock.Now()) - app.ReminderLead + time.Minute)
	if waitFor(8*time.Second, func() bool { return reminders() > 0 }) {
		t.Fatal("a reminder for a moved or cancelled appointment")
	}
	clock.Advance(24 * time.Hour)
	if !waitFor(15*time.Second, func() bool { return reminders() == 1 }) {
		t.Fatalf("%d reminders a day before the new time, want 1", reminders())
	}
	// The job again (a retry after an instance died mid-run): nothing new.
	if err := s.RemindAppointment(ctx, []byte(fmt.Sprintf(`{"afspraakId":%d,"versie":2}`, b.ID))); err != nil {
		t.Fatal(err)
	}
	if reminders() != 1 {
		t.Fatalf("%d reminders after a second run", reminders())
	}
}
