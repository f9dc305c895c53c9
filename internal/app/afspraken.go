package app

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

// AfspraakStore is the storage port of DUO appointments (issue 11). The capacity of a slot is
// decided by the database: ClaimPlace is one atomic conditional update, so no number of
// concurrent attempts from any number of instances books a slot beyond its capacity.
type AfspraakStore interface {
	// AddTijdsloten publishes slots; a slot that already exists (same type, channel, office and
	// start) is left as it is and not counted. It returns how many were added.
	AddTijdsloten(ctx context.Context, slots []domain.Tijdslot) (int, error)
	// Tijdslot returns one slot; not found when there is none.
	Tijdslot(ctx context.Context, id int64) (domain.Tijdslot, error)
	// FreeTijdsloten lists the open slots of soort over kanaal with a place left that start in
	// [from, to), in (start, id) order, after the cursor when not nil, at most limit.
	FreeTijdsloten(ctx context.Context, q SlotQuery, after *SlotCursor, limit int) ([]domain.Tijdslot, error)
	// ClaimPlace takes one place in slot id of type soort when it is open and not full, in one
	// conditional update; false when no place was taken.
	ClaimPlace(ctx context.Context, slotID int64, soort domain.AfspraakSoort) (bool, error)
	// ReleasePlace gives one place in slot id back.
	ReleasePlace(ctx context.Context, slotID int64) error
	// CreateAfspraak stores a booked appointment under the person's request key; a conflict
	// when the person already has an open appointment of its type or used the key before.
	CreateAfspraak(ctx context.Context, a *domain.Afspraak, key string, at time.Time) error
	// AfspraakByKey returns the appointment booked under key; not found when there is none.
	AfspraakByKey(ctx context.Context, inburgeraarID int64, key string) (domain.Afspraak, error)
	// Afspraak returns one appointment of inburgeraarID, with its slot; not found when it does
	// not exist or is someone else's.
	Afspraak(ctx context.Context, inburgeraarID, id int64) (domain.Afspraak, error)
	// Afspraken lists inburgeraarID's appointments, latest start first.
	Afspraken(ctx context.Context, inburgeraarID int64) ([]domain.Afspraak, error)
	// AfsprakenPage lists inburgeraarID's appointments in (start, id) descending order, after the
	// cursor when not nil, at most limit.
	AfsprakenPage(ctx context.Context, inburgeraarID int64, after *SlotCursor, limit int) ([]domain.Afspraak, error)
	// ChangeAfspraak stores a (moved, cancelled or marked) appointment when it is still at
	// version fromVersie and open; a conflict when it changed meanwhile. It raises the version.
	ChangeAfspraak(ctx context.Context, a domain.Afspraak, fromVersie int, at time.Time) error
	// HasBericht reports whether inburgeraarID has a message of kind in the inbox.
	HasBericht(ctx context.Context, inburgeraarID int64, kind domain.BerichtKind) (bool, error)
	// CloseTijdslot closes an open slot and lets its open appointments lapse (vervallen); it
	// returns the appointments that lapsed. A conflict when the slot was already closed.
	CloseTijdslot(ctx context.Context, slotID int64, at time.Time) ([]domain.Afspraak, error)
	// AfsprakenBetween lists the open and past appointments of slots starting in [from, to), in
	// start order, for staff.
	AfsprakenBetween(ctx context.Context, from, to time.Time) ([]domain.Afspraak, error)
	// MarkReminded records that the reminder of appointment id at version versie was given, when
	// it is still open at that version and was not reminded of at that version before; false
	// otherwise (moved, cancelled, or already reminded: the job changes nothing).
	MarkReminded(ctx context.Context, id int64, versie int) (bool, error)
	// AfspraakByID returns any appointment, for staff; not found when there is none.
	AfspraakByID(ctx context.Context, id int64) (domain.Afspraak, error)
	// MarkAfspraak records the outcome of an open appointment with staff's notes, when it is still
	// open; a conflict when it no longer is.
	MarkAfspraak(ctx context.Context, a domain.Afspraak, notes string, at time.Time) error
	// StoredAfspraakConfig returns the configuration staff stored; false when they never did.
	StoredAfspraakConfig(ctx context.Context) (domain.AfspraakConfig, bool, error)
	// SaveAfspraakConfig stores the configuration, replacing the one stored before.
	SaveAfspraakConfig(ctx context.Context, c domain.AfspraakConfig, at time.Time) error
	// TijdslotenBetween lists every slot (open, full or closed) starting in [from, to), in
	// (start, channel, office, id) order, for staff.
	TijdslotenBetween(ctx context.Context, from, to time.Time) ([]domain.Tijdslot, error)
}

// SlotQuery selects free slots.
type SlotQuery struct {
	Soort    domain.AfspraakSoort
	Kanaal   domain.AfspraakKanaal // empty: every channel
	From, To time.Time
}

// SlotCursor is the position after which the next page of slots starts (start, then id).
type SlotCursor struct {
	Start time.Time
	ID    int64
}

// String encodes the cursor as an opaque, URL-safe token.
func (c SlotCursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.Start.UTC().UnixMicro(), 10) + "." + strconv.FormatInt(c.ID, 10)))
}

// ParseSlotCursor decodes a cursor token; anything malformed is invalid input.
func ParseSlotCursor(s string) (SlotCursor, error) {
	bad := domain.Invalid(domain.Violation{Field: "cursor", MessageID: "error.cursor_invalid"})
	if len(s) > 100 {
		return SlotCursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return SlotCursor{}, bad
	}
	us, ids, ok := strings.Cut(string(raw), ".")
	if !ok {
		return SlotCursor{}, bad
	}
	micros, err1 := strconv.ParseInt(us, 10, 64)
	id, err2 := strconv.ParseInt(ids, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 || micros < 0 {
		return SlotCursor{}, bad
	}
	c := SlotCursor{Start: time.UnixMicro(micros).UTC(), ID: id}
	if c.String() != s {
		return SlotCursor{}, bad
	}
	return c, nil
}

// Audit actions of appointments.
const (
	AuditAfspraakGeboekt     = "afspraak_geboekt"
	AuditAfspraakVerzet      = "afspraak_verzet"
	AuditAfspraakGeannuleerd = "afspraak_geannuleerd"
	AuditTijdslotenGepubl    = "tijdsloten_gepubliceerd"
	AuditTijdslotGesloten    = "tijdslot_gesloten"
	AuditAfsprakenBekeken    = "afspraken_dag_bekeken"
)

// Message kinds of appointments.
const (
	BerichtAfspraakGeboekt     domain.BerichtKind = "afspraak_geboekt"
	BerichtAfspraakVerzet      domain.BerichtKind = "afspraak_verzet"
	BerichtAfspraakGeannuleerd domain.BerichtKind = "afspraak_geannuleerd"
	BerichtAfspraakVervallen   domain.BerichtKind = "afspraak_vervallen"
)

// AfspraakConfig returns the configuration of the appointment service.
// It is the configuration staff stored (UpdateAfspraakConfig) or, before any change, Bookings.
// A failure to read it gives Bookings: the use case that follows meets the same failure.
func (s *Service) AfspraakConfig(ctx context.Context) domain.AfspraakConfig {
	cfg, err := s.bookingConfig(ctx)
	if err != nil {
		return s.Bookings
	}
	return cfg
}

// bookingConfig reads the configuration in force: the stored one, else Bookings.
func (s *Service) bookingConfig(ctx context.Context) (domain.AfspraakConfig, error) {
	cfg, ok, err := s.bookings.StoredAfspraakConfig(ctx)
	if err != nil {
		return domain.AfspraakConfig{}, err
	}
	if !ok {
		return s.Bookings, nil
	}
	return cfg, nil
}

// MayBookAfspraak reports whether inburgeraar id may book soort (the hearing needs a fine
// pre-announcement); nil when they may.
func (s *Service) MayBookAfspraak(ctx context.Context, id int64, soort domain.AfspraakSoort) error {
	cfg, err := s.bookingConfig(ctx)
	if err != nil {
		return err
	}
	return s.mayBook(ctx, cfg, id, soort)
}

// mayBook is MayBookAfspraak under the configuration cfg.
func (s *Service) mayBook(ctx context.Context, cfg domain.AfspraakConfig, id int64, soort domain.AfspraakSoort) error {
	t, err := cfg.Type(soort)
	if err != nil {
		return err
	}
	pre := false
	if t.Doelgroep == domain.DoelgroepVooraankondiging {
		if pre, err = s.bookings.HasBericht(ctx, id, domain.BerichtBoeteVooraankondiging); err != nil {
			return err
		}
	}
	return t.MayBook(pre)
}

// SlotsPage is one page of free slots, earliest first.
type SlotsPage struct {
	Slots []domain.Tijdslot
	Next  *SlotCursor
}

// FreeSlots lists the free slots of soort (over kanaal, or every channel when empty) that can be
// booked now: from tomorrow up to the horizon.
func (s *Service) FreeSlots(ctx context.Context, soort domain.AfspraakSoort, kanaal domain.AfspraakKanaal, after *SlotCursor, limit int) (SlotsPage, error) {
	cfg, err := s.bookingConfig(ctx)
	if err != nil {
		return SlotsPage{}, err
	}
	t, err := cfg.Type(soort)
	if err != nil {
		return SlotsPage{}, err
	}
	if kanaal != "" && !t.HasKanaal(kanaal) {
		return SlotsPage{}, domain.Invalid(domain.Violation{Field: "kanaal", MessageID: "error.afspraak_kanaal_unknown"})
	}
	if limit < 1 || limit > MaxPageSize {
		return SlotsPage{}, domain.Invalid(domain.Violation{Field: "limit", MessageID: "error.limit_range", Params: map[string]any{"Max": MaxPageSize}})
	}
	first, last := cfg.BookableWindow(s.Now())
	q := SlotQuery{Soort: soort, Kanaal: kanaal, From: domain.AtAmsterdam(first, 0, 0), To: domain.AtAmsterdam(last.AddDays(1), 0, 0)}
	list, err := s.bookings.FreeTijdsloten(ctx, q, after, limit+1)
	if err != nil {
		return SlotsPage{}, err
	}
	var p SlotsPage
	if len(list) > limit {
		list = list[:limit]
		l := list[len(list)-1]
		p.Next = &SlotCursor{Start: l.Start, ID: l.ID}
	}
	p.Slots = list
	return p, nil
}

// Tijdslot returns one slot.
func (s *Service) Tijdslot(ctx context.Context, id int64) (domain.Tijdslot, error) {
	return s.bookings.Tijdslot(ctx, id)
}

// Booking is a request to book an appointment.
type Booking struct {
	Soort    domain.AfspraakSoort
	SlotID   int64
	TolkTaal string // "" when no interpreter is needed; checked with domain.ParseTolk by the face
	// Key identifies the request: the same key books once (a double submit, or an API retry with
	// the same Idempotency-Key, returns the appointment booked first).
	Key     string
	Channel string // the face: "portal" or "api"
}

// NewBookingKey returns a fresh random request key.
func NewBookingKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ErrSlotTaken is the answer when the chosen time has no place left: other times are offered.
var ErrSlotTaken = domain.Errorf(domain.KindConflict, "error.afspraak_slot_taken")

// Book books an appointment for inburgeraar id. It refuses a type they may not book, a slot of
// another type, in the past or beyond the horizon, a full or closed slot and a second open
// appointment of the same type; each refusal changes nothing. The place is taken by one
// conditional update in the database, in one transaction with the appointment, the portal
// message and the audit entry. A request whose key was used before returns the appointment
// booked then (replayed true).
func (s *Service) Book(ctx context.Context, id int64, b Booking) (a domain.Afspraak, replayed bool, err error) {
	if b.Key == "" || len(b.Key) > 100 {
		return domain.Afspraak{}, false, domain.Invalid(domain.Violation{Field: "sleutel", MessageID: "error.field_format"})
	}
	if prev, err := s.bookings.AfspraakByKey(ctx, id, b.Key); err == nil {
		return prev, true, nil
	} else if domain.ErrorKind(err) != domain.KindNotFound {
		return domain.Afspraak{}, false, err
	}
	if b.TolkTaal != "" {
		if _, err := domain.ParseTolk("ja", b.TolkTaal); err != nil {
			return domain.Afspraak{}, false, err
		}
	}
	// The configuration is read once; a full slot is refused before anything is written (the
	// conditional update below refuses the race), and the person is read only for a booking.
	cfg, err := s.bookingConfig(ctx)
	if err != nil {
		return domain.Afspraak{}, false, err
	}
	if err := s.mayBook(ctx, cfg, id, b.Soort); err != nil {
		return domain.Afspraak{}, false, err
	}
	slot, err := s.bookings.Tijdslot(ctx, b.SlotID)
	if domain.ErrorKind(err) == domain.KindNotFound {
		return domain.Afspraak{}, false, domain.Invalid(domain.Violation{Field: "tijdslot", MessageID: "error.afspraak_slot_unknown"})
	} else if err != nil {
		return domain.Afspraak{}, false, err
	}
	now := s.Now()
	if err := cfg.CheckBookable(slot, b.Soort, now); err != nil {
		return domain.Afspraak{}, false, err
	}
	at := now.UTC().Truncate(time.Microsecond)
	a = domain.Afspraak{InburgeraarID: id, Soort: b.Soort, Slot: slot, Status: domain.AfspraakGepland, TolkTaal: b.TolkTaal, Versie: 1}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		person, err := s.people.Inburgeraar(ctx, id)
		if err != nil {
			return err
		}
		if err := s.bookings.CreateAfspraak(ctx, &a, b.Key, at); err != nil {
			if domain.ErrorKind(err) == domain.KindConflict {
				return domain.Errorf(domain.KindConflict, "error.afspraak_already_open")
			}
			return err
		}
		a.Slot.Geboekt++
		if err := s.afspraakBericht(ctx, BerichtAfspraakGeboekt, a, at); err != nil {
			return err
		}
		if err := s.scheduleReminder(ctx, a); err != nil {
			return err
		}
		if err := s.audit.AppendAudit(ctx, AuditEntry{At: at, Actor: "inburgeraar", Action: AuditAfspraakGeboekt, Subject: s.Pseudonym(person.BSN),
			Details: fmt.Sprintf("afspraak=%d tijdslot=%d soort=%s kanaal=%s", a.ID, slot.ID, a.Soort, b.Channel)}); err != nil {
			return err
		}
		// The place is taken last, by one conditional update: the slot's row lock is held only
		// from here to the commit, and when the slot filled up meanwhile everything above is
		// rolled back.
		ok, err := s.bookings.ClaimPlace(ctx, slot.ID, b.Soort)
		if err != nil {
			return err
		}
		if !ok {
			return ErrSlotTaken
		}
		return nil
	})
	if domain.ErrorKind(err) == domain.KindConflict && !errors.Is(err, ErrSlotTaken) {
		// A double submit racing its twin: the key was used by the request that won. (Not after
		// a full slot: within a larger transaction the appointment written above may still be
		// visible here, to be rolled back with it.)
		if prev, perr := s.bookings.AfspraakByKey(ctx, id, b.Key); perr == nil {
			return prev, true, nil
		}
	}
	if err != nil {
		return domain.Afspraak{}, false, err
	}
	return a, false, nil
}

func (s *Service) afspraakBericht(ctx context.Context, kind domain.BerichtKind, a domain.Afspraak, at time.Time) error {
	start := domain.Amsterdam(a.Slot.Start)
	return s.addBericht(ctx, &domain.Bericht{InburgeraarID: a.InburgeraarID, Kind: kind, CreatedAt: at, Params: map[string]string{
		"Datum": domain.DateOf(start).String(), "Tijd": start.Format("15:04"), "Kenmerk": a.Reference(),
	}})
}

// Afspraak returns one appointment of inburgeraar id.
func (s *Service) Afspraak(ctx context.Context, id, afspraakID int64) (domain.Afspraak, error) {
	return s.bookings.Afspraak(ctx, id, afspraakID)
}

// Afspraken lists inburgeraar id's appointments, latest first.
func (s *Service) Afspraken(ctx context.Context, id int64) ([]domain.Afspraak, error) {
	return s.bookings.Afspraken(ctx, id)
}

// AfsprakenPage is one page of a person's appointments, latest start first.
type AfsprakenPage struct {
	Afspraken []domain.Afspraak
	Next      *SlotCursor // nil on the last page
}

// AfsprakenPaged lists inburgeraar id's appointments, latest start first (then highest id),
// limit per page (1..MaxPageSize), after the cursor when not nil.
func (s *Service) AfsprakenPaged(ctx context.Context, id int64, after *SlotCursor, limit int) (AfsprakenPage, error) {
	if limit < 1 || limit > MaxPageSize {
		return AfsprakenPage{}, domain.Invalid(domain.Violation{Field: "limit", MessageID: "error.limit_range", Params: map[string]any{"Max": MaxPageSize}})
	}
	list, err := s.bookings.AfsprakenPage(ctx, id, after, limit+1)
	if err != nil {
		return AfsprakenPage{}, err
	}
	var p AfsprakenPage
	if len(list) > limit {
		list = list[:limit]
		l := list[len(list)-1]
		p.Next = &SlotCursor{Start: l.Slot.Start, ID: l.ID}
	}
	p.Afspraken = list
	return p, nil
}

// Move moves appointment afspraakID of inburgeraar id to slot newSlotID, when it is still at
// version versie (0: whatever the current version) and the cutoff has not passed. The new place
// is claimed and the old one released in one transaction; the slot rows are touched in id order
// so two moves in opposite directions cannot deadlock.
func (s *Service) Move(ctx context.Context, id, afspraakID int64, versie int, newSlotID int64, channel string) (domain.Afspraak, error) {
	cfg, err := s.bookingConfig(ctx)
	if err != nil {
		return domain.Afspraak{}, err
	}
	a, err := s.bookings.Afspraak(ctx, id, afspraakID)
	if err != nil {
		return domain.Afspraak{}, err
	}
	if versie != 0 && versie != a.Versie {
		return domain.Afspraak{}, domain.Errorf(domain.KindConflict, "error.afspraak_changed")
	}
	now := s.Now()
	if err := cfg.CheckChangeable(a, now); err != nil {
		return domain.Afspraak{}, err
	}
	slot, err := s.bookings.Tijdslot(ctx, newSlotID)
	if domain.ErrorKind(err) == domain.KindNotFound {
		return domain.Afspraak{}, domain.Invalid(domain.Violation{Field: "tijdslot", MessageID: "error.afspraak_slot_unknown"})
	} else if err != nil {
		return domain.Afspraak{}, err
	}
	if slot.ID == a.Slot.ID {
		return domain.Afspraak{}, domain.Invalid(domain.Violation{Field: "tijdslot", MessageID: "error.afspraak_same_slot"})
	}
	if err := cfg.CheckBookable(slot, a.Soort, now); err != nil {
		return domain.Afspraak{}, err
	}
	person, err := s.people.Inburgeraar(ctx, id)
	if err != nil {
		return domain.Afspraak{}, err
	}
	at := now.UTC().Truncate(time.Microsecond)
	old := a.Slot
	moved := a
	moved.Slot = slot
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		claim := func() error {
			ok, err := s.bookings.ClaimPlace(ctx, slot.ID, a.Soort)
			if err == nil && !ok {
				err = ErrSlotTaken
			}
			return err
		}
		release := func() error { return s.bookings.ReleasePlace(ctx, old.ID) }
		first, second := claim, release
		if old.ID < slot.ID {
			first, second = release, claim
		}
		if err := first(); err != nil {
			return err
		}
		if err := second(); err != nil {
			return err
		}
		if err := s.bookings.ChangeAfspraak(ctx, moved, a.Versie, at); err != nil {
			return err
		}
		moved.Versie = a.Versie + 1
		if err := s.afspraakBericht(ctx, BerichtAfspraakVerzet, moved, at); err != nil {
			return err
		}
		// The reminder of the old time finds the version moved on and does nothing.
		if err := s.scheduleReminder(ctx, moved); err != nil {
			return err
		}
		return s.audit.AppendAudit(ctx, AuditEntry{At: at, Actor: "inburgeraar", Action: AuditAfspraakVerzet, Subject: s.Pseudonym(person.BSN),
			Details: fmt.Sprintf("afspraak=%d van=%d naar=%d kanaal=%s", a.ID, old.ID, slot.ID, channel)})
	})
	if err != nil {
		return domain.Afspraak{}, err
	}
	return s.bookings.Afspraak(ctx, id, afspraakID)
}

// Cancel cancels appointment afspraakID of inburgeraar id before the cutoff and gives its place back.
func (s *Service) Cancel(ctx context.Context, id, afspraakID int64, versie int, channel string) (domain.Afspraak, error) {
	cfg, err := s.bookingConfig(ctx)
	if err != nil {
		return domain.Afspraak{}, err
	}
	a, err := s.bookings.Afspraak(ctx, id, afspraakID)
	if err != nil {
		return domain.Afspraak{}, err
	}
	if versie != 0 && versie != a.Versie {
		return domain.Afspraak{}, domain.Errorf(domain.KindConflict, "error.afspraak_changed")
	}
	now := s.Now()
	if err := cfg.CheckChangeable(a, now); err != nil {
		return domain.Afspraak{}, err
	}
	person, err := s.people.Inburgeraar(ctx, id)
	if err != nil {
		return domain.Afspraak{}, err
	}
	at := now.UTC().Truncate(time.Microsecond)
	c := a
	c.Status = domain.AfspraakGeannuleerd
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.bookings.ChangeAfspraak(ctx, c, a.Versie, at); err != nil {
			return err
		}
		if err := s.bookings.ReleasePlace(ctx, a.Slot.ID); err != nil {
			return err
		}
		if err := s.afspraakBericht(ctx, BerichtAfspraakGeannuleerd, c, at); err != nil {
			return err
		}
		return s.audit.AppendAudit(ctx, AuditEntry{At: at, Actor: "inburgeraar", Action: AuditAfspraakGeannuleerd, Subject: s.Pseudonym(person.BSN),
			Details: fmt.Sprintf("afspraak=%d tijdslot=%d kanaal=%s", a.ID, a.Slot.ID, channel)})
	})
	if err != nil {
		return domain.Afspraak{}, err
	}
	return s.bookings.Afspraak(ctx, id, afspraakID)
}

// PublishSlots publishes staff's bulk availability, audited under the staff member's stable ID.
func (s *Service) PublishSlots(ctx context.Context, staffID string, p domain.Publicatie) (int, error) {
	cfg, err := s.bookingConfig(ctx)
	if err != nil {
		return 0, err
	}
	slots, err := cfg.Plan(p, s.Now())
	if err != nil {
		return 0, err
	}
	var n int
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if n, err = s.bookings.AddTijdsloten(ctx, slots); err != nil {
			return err
		}
		return s.audit.AppendAudit(ctx, AuditEntry{At: s.Now().UTC(), Actor: staffID, Action: AuditTijdslotenGepubl, Subject: "tijdsloten",
			Details: fmt.Sprintf("soort=%s kanaal=%s kantoor=%s van=%s tot=%s aantal=%d", p.Soort, p.Kanaal, p.Kantoor, p.From, p.To, n)})
	})
	return n, err
}

// AuditAfspraakConfig is the audit action of staff changing the appointment configuration.
const AuditAfspraakConfig = "afspraak_instellingen_gewijzigd"

// UpdateAfspraakConfig applies staff's change to the configuration in force (types' channels,
// duration and who may book them, offices' addresses, cutoff and horizon), audited. Invalid
// input changes nothing. Slots published before keep their own duration.
func (s *Service) UpdateAfspraakConfig(ctx context.Context, staffID string, w domain.AfspraakConfigWijziging) (domain.AfspraakConfig, error) {
	var out domain.AfspraakConfig
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		cfg, err := s.bookingConfig(ctx)
		if err != nil {
			return err
		}
		if out, err = cfg.Apply(w); err != nil {
			return err
		}
		at := s.Now().UTC().Truncate(time.Microsecond)
		if err := s.bookings.SaveAfspraakConfig(ctx, out, at); err != nil {
			return err
		}
		return s.audit.AppendAudit(ctx, AuditEntry{At: at, Actor: staffID, Action: AuditAfspraakConfig, Subject: "afspraaktypen",
			Details: fmt.Sprintf("typen=%d kantoren=%d wijzigtermijn=%s horizon=%d", len(out.Types), len(out.Kantoren), out.Wijzigtermijn, out.HorizonDagen)})
	})
	return out, err
}

// CloseSlot closes a slot: the people booked in it get a portal message that offers another time.
func (s *Service) CloseSlot(ctx context.Context, staffID string, slotID int64) (int, error) {
	at := s.Now().UTC().Truncate(time.Microsecond)
	var n int
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		lapsed, err := s.bookings.CloseTijdslot(ctx, slotID, at)
		if err != nil {
			return err
		}
		for _, a := range lapsed {
			if err := s.afspraakBericht(ctx, BerichtAfspraakVervallen, a, at); err != nil {
				return err
			}
		}
		n = len(lapsed)
		return s.audit.AppendAudit(ctx, AuditEntry{At: at, Actor: staffID, Action: AuditTijdslotGesloten, Subject: "tijdsloten",
			Details: fmt.Sprintf("tijdslot=%d vervallen=%d", slotID, n)})
	})
	return n, err
}

// StaffAppointment is one appointment as staff see it: with the person's name.
type StaffAppointment struct {
	domain.Afspraak
	Name string
}

// StaffDay is the day's slots and appointments for staff.
type StaffDay struct {
	Date         domain.Date
	Slots        []domain.Tijdslot
	Appointments []StaffAppointment
}

// DayFilter narrows a staff day to one channel or one office; the zero value is the whole day.
type DayFilter struct {
	Kanaal  domain.AfspraakKanaal // "" for every channel
	Kantoor string                // an office code ("" for every office); implies KanaalKantoor
}

// DayAppointments lists the slots and appointments of the Amsterdam day d for staff, of the
// channel or office f names, audited (they show personal data: who comes and the interpreter
// needed). An unknown office, or an office with another channel than the office's, is invalid.
func (s *Service) DayAppointments(ctx context.Context, staffID string, d domain.Date, f DayFilter) (StaffDay, error) {
	if f.Kanaal != "" && !slices.Contains(domain.Kanalen, f.Kanaal) {
		return StaffDay{}, domain.Invalid(domain.Violation{Field: "kanaal", MessageID: "error.afspraak_kanaal_unknown"})
	}
	if f.Kantoor != "" {
		if _, err := s.AfspraakConfig(ctx).Kantoor(f.Kantoor); err != nil || (f.Kanaal != "" && f.Kanaal != domain.KanaalKantoor) {
			return StaffDay{}, domain.Invalid(domain.Violation{Field: "kantoor", MessageID: "error.afspraak_kantoor_unknown"})
		}
		f.Kanaal = domain.KanaalKantoor
	}
	match := func(t domain.Tijdslot) bool {
		return (f.Kanaal == "" || t.Kanaal == f.Kanaal) && (f.Kantoor == "" || t.Kantoor == f.Kantoor)
	}
	from, to := domain.AtAmsterdam(d, 0, 0), domain.AtAmsterdam(d.AddDays(1), 0, 0)
	list, err := s.bookings.AfsprakenBetween(ctx, from, to)
	if err != nil {
		return StaffDay{}, err
	}
	day := StaffDay{Date: d}
	slots, err := s.bookings.TijdslotenBetween(ctx, from, to)
	if err != nil {
		return StaffDay{}, err
	}
	for _, t := range slots {
		if match(t) {
			day.Slots = append(day.Slots, t)
		}
	}
	for _, a := range list {
		if !match(a.Slot) {
			continue
		}
		p, err := s.people.Inburgeraar(ctx, a.InburgeraarID)
		if err != nil {
			return StaffDay{}, err
		}
		day.Appointments = append(day.Appointments, StaffAppointment{Afspraak: a, Name: p.Name})
	}
	if err := s.audit.AppendAudit(ctx, AuditEntry{At: s.Now().UTC(), Actor: staffID, Action: AuditAfsprakenBekeken, Subject: "afspraken",
		Details: fmt.Sprintf("dag=%s kanaal=%s kantoor=%s aantal=%d", d, f.Kanaal, f.Kantoor, len(day.Appointments))}); err != nil {
		return StaffDay{}, err
	}
	return day, nil
}

// KindAfspraakHerinnering is the job that gives the reminder of an appointment a day before.
const KindAfspraakHerinnering = "afspraak.herinnering"

// BerichtAfspraakHerinnering is the reminder in the inbox.
const BerichtAfspraakHerinnering domain.BerichtKind = "afspraak_herinnering"

// ReminderLead is how long before the start the reminder is given.
const ReminderLead = 24 * time.Hour

// reminderArgs are the reminder job's input: IDs only, no personal data.
type reminderArgs struct {
	AfspraakID int64 `json:"afspraakId"`
	Versie     int   `json:"versie"`
}

// scheduleReminder enqueues the reminder of a (at its version) a day before its start, in the
// transaction of ctx: a booking that rolls back leaves no reminder.
func (s *Service) scheduleReminder(ctx context.Context, a domain.Afspraak) error {
	if s.Jobs == nil {
		return nil
	}
	args, err := json.Marshal(reminderArgs{AfspraakID: a.ID, Versie: a.Versie})
	if err != nil {
		return err
	}
	return s.Jobs.Enqueue(ctx, Job{Kind: KindAfspraakHerinnering, Args: args, RunAt: a.Slot.Start.Add(-ReminderLead),
		UniqueKey: fmt.Sprintf("afspraak-%d-%d", a.ID, a.Versie)})
}

// RemindAppointment runs the reminder job: a portal message in the person's language (the inbox
// translates it) when the appointment is still open at the version the job was made for. A
// moved or cancelled appointment, or a reminder given before, changes nothing: the job is safe
// to run twice.
func (s *Service) RemindAppointment(ctx context.Context, args json.RawMessage) error {
	var r reminderArgs
	if err := json.Unmarshal(args, &r); err != nil || r.AfspraakID <= 0 {
		return domain.Invalid(domain.Violation{Field: "args", MessageID: "error.bad_request"})
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		ok, err := s.bookings.MarkReminded(ctx, r.AfspraakID, r.Versie)
		if err != nil || !ok {
			return err
		}
		a, err := s.bookings.AfspraakByID(ctx, r.AfspraakID)
		if err != nil {
			return err
		}
		return s.afspraakBericht(ctx, BerichtAfspraakHerinnering, a, s.Now().UTC().Truncate(time.Microsecond))
	})
}

// AuditAfspraakUitkomst is the audit action of staff recording how an appointment went.
const AuditAfspraakUitkomst = "afspraak_uitkomst"

// MarkAppointment records, for staff, that an appointment was held or that the person did not
// come (a no-show is recorded), with notes; audited. Only once it started, and only once.
func (s *Service) MarkAppointment(ctx context.Context, staffID string, afspraakID int64, status domain.AfspraakStatus, notes string) (domain.Afspraak, error) {
	a, err := s.bookings.AfspraakByID(ctx, afspraakID)
	if err != nil {
		return domain.Afspraak{}, err
	}
	marked, err := a.Mark(status, strings.TrimSpace(notes), s.Now())
	if err != nil {
		return domain.Afspraak{}, err
	}
	person, err := s.people.Inburgeraar(ctx, a.InburgeraarID)
	if err != nil {
		return domain.Afspraak{}, err
	}
	at := s.Now().UTC().Truncate(time.Microsecond)
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.bookings.MarkAfspraak(ctx, marked, strings.TrimSpace(notes), at); err != nil {
			return err
		}
		// The notes are never written to the audit log.
		return s.audit.AppendAudit(ctx, AuditEntry{At: at, Actor: staffID, Action: AuditAfspraakUitkomst, Subject: s.Pseudonym(person.BSN),
			Details: fmt.Sprintf("afspraak=%d uitkomst=%s", a.ID, status)})
	})
	if err != nil {
		return domain.Afspraak{}, err
	}
	return s.bookings.AfspraakByID(ctx, afspraakID)
}

// seedAfspraken publishes demo slots for the coming three weeks (weekdays at 09:30, 11:30 and
// 14:30, relative to today) and books one appointment for the persona olena. It is idempotent:
// slots that exist are skipped and the booking's request key returns the first booking.
func (s *Service) seedAfspraken(ctx context.Context) error {
	today := s.Today()
	for _, t := range s.Bookings.Types {
		for _, k := range t.Kanalen {
			offices := []string{""}
			if k == domain.KanaalKantoor {
				offices = offices[:0]
				for _, o := range s.Bookings.Kantoren {
					offices = append(offices, o.Code)
				}
			}
			for _, o := range offices {
				p := domain.Publicatie{Soort: t.Soort, Kanaal: k, Kantoor: o, From: today.AddDays(1), To: today.AddDays(21),
					Weekdagen: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
					Tijden:    []string{"09:30", "11:30", "14:30"}, Capaciteit: 2}
				slots, err := s.Bookings.Plan(p, s.Now())
				if err != nil {
					return err
				}
				// Seeding is not a staff action: no audit entry.
				if _, err := s.bookings.AddTijdsloten(ctx, slots); err != nil {
					return err
				}
			}
		}
	}
	olena, err := s.demo.InburgeraarByPersona(ctx, "olena")
	if err != nil {
		return err
	}
	const key = "demo-seed"
	if _, err := s.bookings.AfspraakByKey(ctx, olena.ID, key); domain.ErrorKind(err) != domain.KindNotFound {
		return err // booked before (nil), or a failure
	}
	page, err := s.FreeSlots(ctx, domain.SoortLening, domain.KanaalVideo, nil, 10)
	if err != nil || len(page.Slots) == 0 {
		return err
	}
	// The third free slot: a few days ahead, so the demo can still move or cancel it.
	slot := page.Slots[min(2, len(page.Slots)-1)]
	at := s.Now().UTC().Truncate(time.Microsecond)
	a := domain.Afspraak{InburgeraarID: olena.ID, Soort: domain.SoortLening, Slot: slot, Status: domain.AfspraakGepland, TolkTaal: "uk"}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if ok, err := s.bookings.ClaimPlace(ctx, slot.ID, a.Soort); err != nil || !ok {
			return cmp.Or[error](err, ErrSlotTaken)
		}
		if err := s.bookings.CreateAfspraak(ctx, &a, key, at); err != nil {
			return err
		}
		if err := s.scheduleReminder(ctx, a); err != nil {
			return err
		}
		return s.afspraakBericht(ctx, BerichtAfspraakGeboekt, a, at)
	})
}
