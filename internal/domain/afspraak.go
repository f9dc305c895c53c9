package domain

import (
	"slices"
	"strconv"
	"time"
)

// AfspraakSoort is a kind of appointment with DUO (issue 11). Its name and description are
// message IDs: "afspraak.soort.<code>.naam".
type AfspraakSoort string

const (
	// SoortHoorzitting: explaining one's circumstances before a fine is set (the hearing, §6).
	// Only someone with a fine pre-announcement (vooraankondiging) may book it.
	SoortHoorzitting AfspraakSoort = "hoorzitting"
	SoortLening      AfspraakSoort = "lening"            // a question about the DUO loan (§5)
	SoortMedisch     AfspraakSoort = "medische_aanvraag" // help with a medical request (§7)
)

// AfspraakKanaal is how an appointment takes place.
type AfspraakKanaal string

const (
	KanaalTelefoon AfspraakKanaal = "telefoon"
	KanaalVideo    AfspraakKanaal = "video"
	KanaalKantoor  AfspraakKanaal = "kantoor" // at a DUO office; the slot names the office
)

// Kanalen are all channels in a stable order.
var Kanalen = []AfspraakKanaal{KanaalTelefoon, KanaalVideo, KanaalKantoor}

// Doelgroep says who may book a kind of appointment.
type Doelgroep string

const (
	DoelgroepIedereen         Doelgroep = "iedereen"         // every inburgeraar
	DoelgroepVooraankondiging Doelgroep = "vooraankondiging" // only with a fine pre-announcement
)

// AfspraakType is one configured kind of appointment: its channels, its duration and who may book it.
type AfspraakType struct {
	Soort     AfspraakSoort
	Kanalen   []AfspraakKanaal
	Duur      time.Duration
	Doelgroep Doelgroep
}

// HasKanaal reports whether the type is offered over channel k.
func (t AfspraakType) HasKanaal(k AfspraakKanaal) bool { return slices.Contains(t.Kanalen, k) }

// Kantoor is a DUO office where office appointments take place.
type Kantoor struct {
	Code  string // stable key, stored on slots
	Naam  string // proper name, not translated
	Adres string // postal address, not translated
}

// AfspraakConfig is the configuration of the appointment service: the types, the offices, how far
// ahead one may book and until when before the start one may move or cancel.
type AfspraakConfig struct {
	Types         []AfspraakType
	Kantoren      []Kantoor
	HorizonDagen  int           // bookable from tomorrow up to today + HorizonDagen (inclusive)
	Wijzigtermijn time.Duration // move or cancel until this long before the start
}

// DefaultAfspraakConfig is the configuration the service starts with. [assume] DUO publishes no
// horizon or cutoff: six weeks ahead and 24 hours before the start are configuration for that reason.
func DefaultAfspraakConfig() AfspraakConfig {
	return AfspraakConfig{
		Types: []AfspraakType{
			{Soort: SoortHoorzitting, Kanalen: []AfspraakKanaal{KanaalTelefoon, KanaalVideo, KanaalKantoor}, Duur: 30 * time.Minute, Doelgroep: DoelgroepVooraankondiging},
			{Soort: SoortLening, Kanalen: []AfspraakKanaal{KanaalTelefoon, KanaalVideo}, Duur: 15 * time.Minute, Doelgroep: DoelgroepIedereen},
			{Soort: SoortMedisch, Kanalen: []AfspraakKanaal{KanaalTelefoon, KanaalKantoor}, Duur: 30 * time.Minute, Doelgroep: DoelgroepIedereen},
		},
		Kantoren: []Kantoor{
			{Code: "groningen", Naam: "DUO Groningen", Adres: "Kempkensberg 12, 9722 TB Groningen"},
			{Code: "den-haag", Naam: "DUO Den Haag", Adres: "Rijnstraat 50, 2515 XP Den Haag"},
		},
		HorizonDagen:  42,
		Wijzigtermijn: 24 * time.Hour,
	}
}

// Type returns the configured type s; not found when it is not configured.
func (c AfspraakConfig) Type(s AfspraakSoort) (AfspraakType, error) {
	for _, t := range c.Types {
		if t.Soort == s {
			return t, nil
		}
	}
	return AfspraakType{}, Errorf(KindNotFound, "error.afspraak_type_unknown")
}

// Kantoor returns the configured office with code; not found when there is none.
func (c AfspraakConfig) Kantoor(code string) (Kantoor, error) {
	for _, k := range c.Kantoren {
		if k.Code == code {
			return k, nil
		}
	}
	return Kantoor{}, Errorf(KindNotFound, "error.afspraak_kantoor_unknown")
}

// Tijdslot is a published time at which Capaciteit people can have an appointment of one type
// over one channel (and, for the office channel, at one office).
type Tijdslot struct {
	ID         int64
	Soort      AfspraakSoort
	Kanaal     AfspraakKanaal
	Kantoor    string // office code; empty unless Kanaal is KanaalKantoor
	Start      time.Time
	Duur       time.Duration
	Capaciteit int
	Geboekt    int
	Gesloten   bool
}

// End is when the slot ends.
func (s Tijdslot) End() time.Time { return s.Start.Add(s.Duur) }

// Vrij is the number of places still free.
func (s Tijdslot) Vrij() int {
	if s.Gesloten || s.Geboekt >= s.Capaciteit {
		return 0
	}
	return s.Capaciteit - s.Geboekt
}

// Day is the Amsterdam calendar date the slot starts on.
func (s Tijdslot) Day() Date { return Today(s.Start) }

// BookableWindow returns the first and last day on which slots can be booked at now: from tomorrow
// up to today + HorizonDagen.
func (c AfspraakConfig) BookableWindow(now time.Time) (first, last Date) {
	today := Today(now)
	return today.AddDays(1), today.AddDays(c.HorizonDagen)
}

// CheckBookable decides whether slot can be booked as type soort over channel kanaal at now.
// The capacity is decided by the database (an atomic conditional update), not here; Vrij is only
// looked at to answer early.
func (c AfspraakConfig) CheckBookable(slot Tijdslot, soort AfspraakSoort, now time.Time) error {
	if slot.Soort != soort {
		return Invalid(Violation{Field: "tijdslot", MessageID: "error.afspraak_slot_other_type"})
	}
	first, last := c.BookableWindow(now)
	if d := slot.Day(); d.Before(first) || d.After(last) {
		return Invalid(Violation{Field: "tijdslot", MessageID: "error.afspraak_slot_out_of_range"})
	}
	if slot.Vrij() == 0 {
		return Errorf(KindConflict, "error.afspraak_slot_taken")
	}
	return nil
}

// MayBook checks that a person may book type t: the hearing needs a fine pre-announcement.
func (t AfspraakType) MayBook(hasPreAnnouncement bool) error {
	switch t.Doelgroep {
	case DoelgroepIedereen:
		return nil
	case DoelgroepVooraankondiging:
		if hasPreAnnouncement {
			return nil
		}
		return Errorf(KindForbidden, "error.afspraak_needs_vooraankondiging")
	}
	return Errorf(KindInternal, "error.internal")
}

// AfspraakStatus is where an appointment stands.
type AfspraakStatus string

const (
	AfspraakGepland        AfspraakStatus = "gepland"         // booked and still to come: the one open state
	AfspraakGeannuleerd    AfspraakStatus = "geannuleerd"     // cancelled by the person
	AfspraakVervallen      AfspraakStatus = "vervallen"       // DUO closed the slot
	AfspraakGehouden       AfspraakStatus = "gehouden"        // took place
	AfspraakNietVerschenen AfspraakStatus = "niet_verschenen" // no-show, recorded
)

// Afspraak is one booked appointment of an inburgeraar.
type Afspraak struct {
	ID            int64
	InburgeraarID int64
	Soort         AfspraakSoort
	Slot          Tijdslot
	Status        AfspraakStatus
	// TolkTaal is the language of the interpreter DUO arranges; empty when none is needed.
	TolkTaal string
	Versie   int // raised on every change; the API's ETag
	// Notities are staff's notes on how the appointment went; staff see them, the person does not.
	Notities string
}

// Open reports whether the appointment is still to come (at most one per type per person).
func (a Afspraak) Open() bool { return a.Status == AfspraakGepland }

// Reference is the appointment's reference as the person quotes it to DUO.
func (a Afspraak) Reference() string { return "AF-" + strconv.FormatInt(a.ID, 10) }

// CheckChangeable decides whether the person can still move or cancel a at now: only an open
// appointment, and only until Wijzigtermijn before its start.
func (c AfspraakConfig) CheckChangeable(a Afspraak, now time.Time) error {
	if !a.Open() {
		return Errorf(KindConflict, "error.afspraak_not_open")
	}
	if !now.Before(a.Slot.Start.Add(-c.Wijzigtermijn)) {
		return Errorf(KindConflict, "error.afspraak_cutoff_passed")
	}
	return nil
}

// TolkTaal is a language DUO arranges an interpreter for, named in itself (as a language
// switcher does), so a person finds their own language whatever page language they read.
type TolkTaal struct {
	Code string // ISO 639
	Naam string // the language's name in itself
}

// TolkTalen are the languages DUO arranges an interpreter for: the portal's languages other than
// Dutch, and languages much spoken by newcomers besides. [assume] DUO publishes no list.
var TolkTalen = []TolkTaal{
	{"ar", "العربية"}, {"fa", "فارسی"}, {"ps", "پښتو"}, {"ti", "ትግርኛ"}, {"tr", "Türkçe"}, {"so", "Soomaali"},
	{"fr", "Français"}, {"en", "English"}, {"uk", "Українська"}, {"ru", "Русский"}, {"es", "Español"},
	{"zh", "中文"}, {"ku", "Kurdî"}, {"am", "አማርኛ"},
}

// TolkNaam names the interpreter language code in itself; "" when it is not one of TolkTalen.
func TolkNaam(code string) string {
	for _, t := range TolkTalen {
		if t.Code == code {
			return t.Naam
		}
	}
	return ""
}

// ParseTolk reads the interpreter answer: need is "ja" or "nee"; with "ja" a language of TolkTalen.
// It returns the language, empty when no interpreter is needed.
func ParseTolk(need, lang string) (string, error) {
	switch need {
	case "nee":
		return "", nil
	case "ja":
		if TolkNaam(lang) == "" {
			return "", Invalid(Violation{Field: "tolkTaal", MessageID: "error.afspraak_tolk_language"})
		}
		return lang, nil
	}
	return "", Invalid(Violation{Field: "tolk", MessageID: "error.afspraak_tolk_required"})
}

// Week is a group of slots in one ISO week, Monday to Sunday (Amsterdam dates).
type Week struct {
	Monday Date
	Days   []SlotDay
}

// SlotDay is the slots of one day, earliest first.
type SlotDay struct {
	Date  Date
	Slots []Tijdslot
}

// GroupByWeek groups slots by Amsterdam week and day, in time order, leaving out slots with no
// place left.
func GroupByWeek(slots []Tijdslot) []Week {
	s := slices.Clone(slots)
	slices.SortStableFunc(s, func(a, b Tijdslot) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	var weeks []Week
	for _, slot := range s {
		if slot.Vrij() == 0 {
			continue
		}
		d := slot.Day()
		mon := MondayOf(d)
		if len(weeks) == 0 || weeks[len(weeks)-1].Monday != mon {
			weeks = append(weeks, Week{Monday: mon})
		}
		w := &weeks[len(weeks)-1]
		if len(w.Days) == 0 || w.Days[len(w.Days)-1].Date != d {
			w.Days = append(w.Days, SlotDay{Date: d})
		}
		day := &w.Days[len(w.Days)-1]
		day.Slots = append(day.Slots, slot)
	}
	return weeks
}

// MondayOf returns the Monday of d's ISO week.
func MondayOf(d Date) Date {
	wd := int(d.Time().Weekday()+6) % 7 // Monday 0 … Sunday 6
	return d.AddDays(-wd)
}

// Amsterdam returns t in Europe/Amsterdam, for showing times of day.
func Amsterdam(t time.Time) time.Time { return t.In(amsterdam) }

// AtAmsterdam returns the instant of the wall-clock time h:m on d in Europe/Amsterdam.
func AtAmsterdam(d Date, hour, minute int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, amsterdam).UTC()
}

// Bounds of a bulk publication by staff.
const (
	MaxCapaciteit  = 50
	MaxPublishDays = 31 // a month at most per publication
	MaxTimesPerDay = 40
)

// Publicatie is staff's bulk publication of availability: the same times of day on every chosen
// weekday from From to To (inclusive), each a slot of Capaciteit places.
type Publicatie struct {
	Soort      AfspraakSoort
	Kanaal     AfspraakKanaal
	Kantoor    string
	From, To   Date
	Weekdagen  []time.Weekday
	Tijden     []string // "HH:MM", Amsterdam wall-clock
	Capaciteit int
}

// Plan checks p against the configuration and returns the slots it publishes, in time order.
func (c AfspraakConfig) Plan(p Publicatie, now time.Time) ([]Tijdslot, error) {
	var vs []Violation
	t, err := c.Type(p.Soort)
	if err != nil {
		vs = append(vs, Violation{Field: "soort", MessageID: "error.afspraak_type_unknown"})
	} else if !t.HasKanaal(p.Kanaal) {
		vs = append(vs, Violation{Field: "kanaal", MessageID: "error.afspraak_kanaal_unknown"})
	}
	if p.Kanaal == KanaalKantoor {
		if _, err := c.Kantoor(p.Kantoor); err != nil {
			vs = append(vs, Violation{Field: "kantoor", MessageID: "error.afspraak_kantoor_unknown"})
		}
	} else if p.Kantoor != "" {
		vs = append(vs, Violation{Field: "kantoor", MessageID: "error.afspraak_kantoor_unknown"})
	}
	today := Today(now)
	switch {
	case p.From.IsZero() || p.To.IsZero() || p.To.Before(p.From):
		vs = append(vs, Violation{Field: "tot", MessageID: "error.afspraak_period"})
	case !p.From.After(today):
		vs = append(vs, Violation{Field: "van", MessageID: "error.afspraak_period_past"})
	case p.From.DaysUntil(p.To) >= MaxPublishDays:
		vs = append(vs, Violation{Field: "tot", MessageID: "error.afspraak_period_long", Params: map[string]any{"Count": MaxPublishDays}})
	}
	if len(p.Weekdagen) == 0 {
		vs = append(vs, Violation{Field: "weekdagen", MessageID: "error.afspraak_weekdays"})
	}
	type hm struct{ h, m int }
	var times []hm
	for _, s := range p.Tijden {
		tt, err := time.Parse("15:04", s)
		if err != nil || len(s) != 5 {
			vs = append(vs, Violation{Field: "tijden", MessageID: "error.afspraak_times"})
			break
		}
		times = append(times, hm{tt.Hour(), tt.Minute()})
	}
	if len(p.Tijden) == 0 || len(p.Tijden) > MaxTimesPerDay {
		vs = append(vs, Violation{Field: "tijden", MessageID: "error.afspraak_times"})
	}
	if p.Capaciteit < 1 || p.Capaciteit > MaxCapaciteit {
		vs = append(vs, Violation{Field: "capaciteit", MessageID: "error.afspraak_capacity", Params: map[string]any{"Max": MaxCapaciteit}})
	}
	if len(vs) > 0 {
		return nil, Invalid(vs...)
	}
	var out []Tijdslot
	for d := p.From; !d.After(p.To); d = d.AddDays(1) {
		if !slices.Contains(p.Weekdagen, d.Time().Weekday()) {
			continue
		}
		for _, x := range times {
			out = append(out, Tijdslot{Soort: p.Soort, Kanaal: p.Kanaal, Kantoor: p.Kantoor,
				Start: AtAmsterdam(d, x.h, x.m), Duur: t.Duur, Capaciteit: p.Capaciteit})
		}
	}
	slices.SortStableFunc(out, func(a, b Tijdslot) int { return a.Start.Compare(b.Start) })
	out = slices.CompactFunc(out, func(a, b Tijdslot) bool { return a.Start.Equal(b.Start) })
	return out, nil
}

// MaxNotities bounds staff's notes on an appointment, in characters.
const MaxNotities = 2000

// Mark records how an open appointment went (held, or a no-show) at now, with staff's notes: only
// once it has started, and only once.
func (a Afspraak) Mark(status AfspraakStatus, notes string, now time.Time) (Afspraak, error) {
	if status != AfspraakGehouden && status != AfspraakNietVerschenen {
		return a, Invalid(Violation{Field: "uitkomst", MessageID: "error.afspraak_outcome_required"})
	}
	if len([]rune(notes)) > MaxNotities {
		return a, Invalid(Violation{Field: "notities", MessageID: "error.field_too_long", Params: map[string]any{"Count": MaxNotities}})
	}
	if !a.Open() {
		return a, Errorf(KindConflict, "error.afspraak_not_open")
	}
	if now.Before(a.Slot.Start) {
		return a, Errorf(KindConflict, "error.afspraak_not_started")
	}
	a.Status = status
	return a, nil
}
