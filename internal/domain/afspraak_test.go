package domain

import (
	"strings"
	"testing"
	"time"
)

func kindAndID(err error) (Kind, string) {
	if err == nil {
		return "", ""
	}
	e, ok := err.(*Error)
	if !ok {
		return KindInternal, err.Error()
	}
	if len(e.Violations) > 0 {
		return e.Kind, e.Violations[0].MessageID
	}
	return e.Kind, e.MessageID
}

// TestCheckBookable: bookable from tomorrow up to the horizon (Amsterdam days), only as the slot's
// own type, only with a place left.
func TestCheckBookable(t *testing.T) {
	c := DefaultAfspraakConfig() // horizon 42 days
	// 29 Nov 2026, 23:30 UTC is already 30 Nov 00:30 in Amsterdam: "tomorrow" is 1 Dec.
	now := time.Date(2026, 11, 29, 23, 30, 0, 0, time.UTC)
	today := NewDate(2026, 11, 30)
	slot := func(d Date, h int, f func(*Tijdslot)) Tijdslot {
		s := Tijdslot{ID: 1, Soort: SoortLening, Kanaal: KanaalTelefoon, Start: AtAmsterdam(d, h, 0), Duur: 15 * time.Minute, Capaciteit: 2}
		if f != nil {
			f(&s)
		}
		return s
	}
	tests := []struct {
		name  string
		slot  Tijdslot
		soort AfspraakSoort
		kind  Kind
		id    string
	}{
		{"tomorrow 09:00", slot(today.AddDays(1), 9, nil), SoortLening, "", ""},
		{"today later", slot(today, 15, nil), SoortLening, KindInvalid, "error.afspraak_slot_out_of_range"},
		{"yesterday", slot(today.AddDays(-1), 9, nil), SoortLening, KindInvalid, "error.afspraak_slot_out_of_range"},
		{"last day of the horizon", slot(today.AddDays(42), 16, nil), SoortLening, "", ""},
		{"a day beyond the horizon", slot(today.AddDays(43), 9, nil), SoortLening, KindInvalid, "error.afspraak_slot_out_of_range"},
		{"slot of another type", slot(today.AddDays(2), 9, nil), SoortHoorzitting, KindInvalid, "error.afspraak_slot_other_type"},
		{"one place left", slot(today.AddDays(2), 9, func(s *Tijdslot) { s.Geboekt = 1 }), SoortLening, "", ""},
		{"full", slot(today.AddDays(2), 9, func(s *Tijdslot) { s.Geboekt = 2 }), SoortLening, KindConflict, "error.afspraak_slot_taken"},
		{"closed", slot(today.AddDays(2), 9, func(s *Tijdslot) { s.Gesloten = true }), SoortLening, KindConflict, "error.afspraak_slot_taken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, id := kindAndID(c.CheckBookable(tt.slot, tt.soort, now))
			if k != tt.kind || id != tt.id {
				t.Fatalf("got %q %q, want %q %q", k, id, tt.kind, tt.id)
			}
		})
	}
}

// TestMayBook: the hearing only with a fine pre-announcement; the other types for everyone.
func TestMayBook(t *testing.T) {
	c := DefaultAfspraakConfig()
	tests := []struct {
		soort AfspraakSoort
		pre   bool
		kind  Kind
	}{
		{SoortHoorzitting, true, ""},
		{SoortHoorzitting, false, KindForbidden},
		{SoortLening, false, ""},
		{SoortMedisch, false, ""},
		{SoortMedisch, true, ""},
	}
	for _, tt := range tests {
		typ, err := c.Type(tt.soort)
		if err != nil {
			t.Fatal(err)
		}
		if k, _ := kindAndID(typ.MayBook(tt.pre)); k != tt.kind {
			t.Errorf("%s pre=%v: got %q, want %q", tt.soort, tt.pre, k, tt.kind)
		}
	}
	if _, err := c.Type("koffie"); ErrorKind(err) != KindNotFound {
		t.Errorf("unknown type: %v", err)
	}
}

// TestCheckChangeable: move or cancel an open appointment until the cutoff (24 h) before the start.
func TestCheckChangeable(t *testing.T) {
	c := DefaultAfspraakConfig()
	start := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	a := Afspraak{Status: AfspraakGepland, Slot: Tijdslot{Start: start}}
	with := func(s AfspraakStatus) Afspraak { b := a; b.Status = s; return b }
	tests := []struct {
		name string
		a    Afspraak
		now  time.Time
		id   string
	}{
		{"two days before", a, start.Add(-48 * time.Hour), ""},
		{"a second before the cutoff", a, start.Add(-24*time.Hour - time.Second), ""},
		{"at the cutoff", a, start.Add(-24 * time.Hour), "error.afspraak_cutoff_passed"},
		{"an hour before", a, start.Add(-time.Hour), "error.afspraak_cutoff_passed"},
		{"after the start", a, start.Add(time.Hour), "error.afspraak_cutoff_passed"},
		{"cancelled", with(AfspraakGeannuleerd), start.Add(-72 * time.Hour), "error.afspraak_not_open"},
		{"closed by DUO", with(AfspraakVervallen), start.Add(-72 * time.Hour), "error.afspraak_not_open"},
		{"held", with(AfspraakGehouden), start.Add(-72 * time.Hour), "error.afspraak_not_open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, id := kindAndID(c.CheckChangeable(tt.a, tt.now))
			if id != tt.id {
				t.Fatalf("got %q, want %q", id, tt.id)
			}
		})
	}
}

func TestParseTolk(t *testing.T) {
	tests := []struct {
		need, lang, want, id string
	}{
		{"nee", "", "", ""},
		{"nee", "ar", "", ""}, // a language without the need is ignored
		{"ja", "ar", "ar", ""},
		{"ja", "ti", "ti", ""},
		{"ja", "", "", "error.afspraak_tolk_language"},
		{"ja", "nl", "", "error.afspraak_tolk_language"},
		{"ja", "xx", "", "error.afspraak_tolk_language"},
		{"", "", "", "error.afspraak_tolk_required"},
		{"misschien", "ar", "", "error.afspraak_tolk_required"},
	}
	for _, tt := range tests {
		got, err := ParseTolk(tt.need, tt.lang)
		if _, id := kindAndID(err); got != tt.want || id != tt.id {
			t.Errorf("ParseTolk(%q, %q) = %q, %q; want %q, %q", tt.need, tt.lang, got, id, tt.want, tt.id)
		}
	}
}

// TestGroupByWeek groups by Amsterdam day and ISO week, in time order, without full slots.
func TestGroupByWeek(t *testing.T) {
	mon := NewDate(2026, 11, 30) // a Monday
	s := func(id int64, d Date, h, m int, geboekt int) Tijdslot {
		return Tijdslot{ID: id, Start: AtAmsterdam(d, h, m), Capaciteit: 1, Geboekt: geboekt}
	}
	weeks := GroupByWeek([]Tijdslot{
		s(1, mon.AddDays(7), 9, 0, 0),   // next Monday
		s(2, mon.AddDays(1), 14, 0, 0),  // Tuesday afternoon
		s(3, mon.AddDays(1), 9, 0, 0),   // Tuesday morning
		s(4, mon.AddDays(2), 9, 0, 1),   // Wednesday, full
		s(5, mon.AddDays(6), 23, 30, 0), // Sunday 23:30 Amsterdam is Sunday 22:30 UTC: still this week
	})
	if len(weeks) != 2 || weeks[0].Monday != mon || weeks[1].Monday != mon.AddDays(7) {
		t.Fatalf("weeks: %+v", weeks)
	}
	w := weeks[0]
	if len(w.Days) != 2 || w.Days[0].Date != mon.AddDays(1) || w.Days[1].Date != mon.AddDays(6) {
		t.Fatalf("days: %+v", w.Days)
	}
	if got := w.Days[0].Slots; len(got) != 2 || got[0].ID != 3 || got[1].ID != 2 {
		t.Fatalf("Tuesday: %+v", got)
	}
	for _, d := range []Date{NewDate(2026, 11, 30), NewDate(2026, 12, 6), NewDate(2026, 12, 2)} {
		if got := MondayOf(d); got != mon {
			t.Errorf("MondayOf(%s) = %s", d, got)
		}
	}
}

// TestPlan: a bulk publication gives a slot per chosen weekday and time, in Amsterdam wall-clock
// time across the change to winter time, and refuses what does not fit the configuration.
func TestPlan(t *testing.T) {
	c := DefaultAfspraakConfig()
	now := time.Date(2026, 10, 20, 10, 0, 0, 0, time.UTC)
	p := Publicatie{Soort: SoortHoorzitting, Kanaal: KanaalKantoor, Kantoor: "groningen",
		From: NewDate(2026, 10, 23), To: NewDate(2026, 10, 27), Weekdagen: []time.Weekday{time.Friday, time.Monday},
		Tijden: []string{"09:00", "13:30"}, Capaciteit: 3}
	slots, err := c.Plan(p, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(slots) != 4 {
		t.Fatalf("%d slots", len(slots))
	}
	// Friday 23 Oct is summer time (UTC+2), Monday 26 Oct winter time (UTC+1).
	if got := slots[0].Start; !got.Equal(time.Date(2026, 10, 23, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("first: %s", got)
	}
	if got := slots[2].Start; !got.Equal(time.Date(2026, 10, 26, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("Monday: %s", got)
	}
	if slots[0].Duur != 30*time.Minute || slots[0].Capaciteit != 3 || slots[0].Kantoor != "groningen" {
		t.Errorf("slot: %+v", slots[0])
	}
	bad := []struct {
		name string
		f    func(*Publicatie)
		id   string
	}{
		{"unknown type", func(p *Publicatie) { p.Soort = "koffie" }, "error.afspraak_type_unknown"},
		{"channel the type lacks", func(p *Publicatie) { p.Soort, p.Kantoor = SoortLening, "groningen" }, "error.afspraak_kanaal_unknown"},
		{"unknown office", func(p *Publicatie) { p.Kantoor = "utrecht" }, "error.afspraak_kantoor_unknown"},
		{"office on the phone", func(p *Publicatie) { p.Kanaal = KanaalTelefoon }, "error.afspraak_kantoor_unknown"},
		{"from today", func(p *Publicatie) { p.From = Today(now) }, "error.afspraak_period_past"},
		{"to before from", func(p *Publicatie) { p.To = p.From.AddDays(-1) }, "error.afspraak_period"},
		{"over a month", func(p *Publicatie) { p.To = p.From.AddDays(31) }, "error.afspraak_period_long"},
		{"no weekdays", func(p *Publicatie) { p.Weekdagen = nil }, "error.afspraak_weekdays"},
		{"bad time", func(p *Publicatie) { p.Tijden = []string{"9:00"} }, "error.afspraak_times"},
		{"hour 25", func(p *Publicatie) { p.Tijden = []string{"25:00"} }, "error.afspraak_times"},
		{"no times", func(p *Publicatie) { p.Tijden = nil }, "error.afspraak_times"},
		{"capacity 0", func(p *Publicatie) { p.Capaciteit = 0 }, "error.afspraak_capacity"},
		{"capacity 51", func(p *Publicatie) { p.Capaciteit = 51 }, "error.afspraak_capacity"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			q := p
			tt.f(&q)
			_, err := c.Plan(q, now)
			if _, id := kindAndID(err); id != tt.id {
				t.Fatalf("got %v, want %s", err, tt.id)
			}
		})
	}
}

// unfold parses an iCalendar text into its content lines (RFC 5545 §3.1), failing on a bare LF
// or a line over 75 octets.
func unfold(t *testing.T, ics string) []string {
	t.Helper()
	if !strings.HasSuffix(ics, "\r\n") {
		t.Fatal("no CRLF at the end")
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n") {
		if strings.Contains(l, "\n") || len(l) > 75 {
			t.Fatalf("bad physical line %q", l)
		}
		if strings.HasPrefix(l, " ") {
			out[len(out)-1] += l[1:]
			continue
		}
		out = append(out, l)
	}
	return out
}

func TestICS(t *testing.T) {
	e := CalendarEvent{UID: "AF-7@inburgering.duo.nl", Sequence: 2,
		Start: time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC), End: time.Date(2026, 7, 1, 8, 30, 0, 0, time.UTC),
		Summary: "Gesprek met DUO; uw situatie, vóór een boete", Location: "Kempkensberg 12, 9722 TB Groningen",
		Description: strings.Repeat("شرح وضعیت ", 20) + "\nreferentie AF-7", Stamp: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	lines := unfold(t, string(e.ICS()))
	want := []string{
		"BEGIN:VCALENDAR", "VERSION:2.0", "METHOD:PUBLISH", "BEGIN:VTIMEZONE", "TZID:Europe/Amsterdam",
		"BEGIN:VEVENT", "UID:AF-7@inburgering.duo.nl", "SEQUENCE:2", "DTSTAMP:20260601T120000Z",
		"DTSTART;TZID=Europe/Amsterdam:20260701T100000", "DTEND;TZID=Europe/Amsterdam:20260701T103000",
		"SUMMARY:Gesprek met DUO\\; uw situatie\\, vóór een boete", "LOCATION:Kempkensberg 12\\, 9722 TB Groningen",
		"DESCRIPTION:" + strings.Repeat("شرح وضعیت ", 20) + "\\nreferentie AF-7", "STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR",
	}
	i := 0
	for _, l := range lines {
		if i < len(want) && l == want[i] {
			i++
		}
	}
	if i != len(want) {
		t.Fatalf("line %q missing or out of order in:\n%s", want[i], strings.Join(lines, "\n"))
	}
	e.Cancelled = true
	c := strings.Join(unfold(t, string(e.ICS())), "\n")
	if !strings.Contains(c, "METHOD:CANCEL") || !strings.Contains(c, "STATUS:CANCELLED") {
		t.Fatalf("cancellation:\n%s", c)
	}
}

// TestMark: held or no-show, once, from the start on, with notes of at most 2000 characters.
func TestMark(t *testing.T) {
	start := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	a := Afspraak{Status: AfspraakGepland, Slot: Tijdslot{Start: start}}
	tests := []struct {
		name   string
		a      Afspraak
		status AfspraakStatus
		notes  string
		now    time.Time
		id     string
	}{
		{"held at the start", a, AfspraakGehouden, "", start, ""},
		{"no-show later", a, AfspraakNietVerschenen, "niet gebeld", start.Add(2 * time.Hour), ""},
		{"before the start", a, AfspraakGehouden, "", start.Add(-time.Minute), "error.afspraak_not_started"},
		{"cancelled", Afspraak{Status: AfspraakGeannuleerd, Slot: a.Slot}, AfspraakGehouden, "", start, "error.afspraak_not_open"},
		{"marked twice", Afspraak{Status: AfspraakGehouden, Slot: a.Slot}, AfspraakNietVerschenen, "", start, "error.afspraak_not_open"},
		{"no outcome", a, AfspraakGepland, "", start, "error.afspraak_outcome_required"},
		{"notes 2000", a, AfspraakGehouden, strings.Repeat("é", 2000), start, ""},
		{"notes 2001", a, AfspraakGehouden, strings.Repeat("é", 2001), start, "error.field_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.a.Mark(tt.status, tt.notes, tt.now)
			if _, id := kindAndID(err); id != tt.id {
				t.Fatalf("got %q, want %q", id, tt.id)
			}
			if err == nil && got.Status != tt.status {
				t.Fatalf("status %s", got.Status)
			}
		})
	}
}
