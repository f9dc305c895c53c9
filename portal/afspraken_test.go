package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/portal"
)

// radios returns the values of the radio buttons named name on p.
func radios(t testing.TB, p *page, name string) []string {
	t.Helper()
	var out []string
	for _, in := range queryAll(t, p.Doc, fmt.Sprintf("input[type=radio][name=%s]", name)) {
		out = append(out, attrOr(in, "value"))
	}
	return out
}

// wantErrorSummary checks that p shows an error summary whose link leads to field's input and
// that the field has its inline error with message.
func wantErrorSummary(t testing.TB, p *page, field, message string) {
	t.Helper()
	a := query(t, p.Doc, fmt.Sprintf(`a[href="#%s"]`, field))
	if a == nil {
		t.Fatalf("%s %s: no error summary link to #%s\n%s", p.Method, p.Path, field, p.main(t))
	}
	if byID(p.Doc, field) == nil {
		t.Fatalf("%s %s: the summary links to #%s, which does not exist", p.Method, p.Path, field)
	}
	wantText(t, p.Path, norm(p.main(t)), norm(message))
}

// TestBookingJourney: book a loan question from a phone in every language, one question per
// page, each answer by POST and 303; then the check page, the confirmation with a reference and
// an .ics file, the portal message, a double submit that books nothing new, a move and a cancel.
func TestBookingJourney(t *testing.T) {
	h := newHarness(t)
	for _, lang := range h.languages() {
		t.Run(lang, func(t *testing.T) {
			b := h.login(lang, "dawit")
			base := "/" + lang + "/mijn/afspraken"
			list := get(t, b, base)
			wantStatus(t, list, http.StatusOK)
			h.checkPage(t, list, lang)

			p := get(t, b, base+"/nieuw")
			wantStatus(t, p, http.StatusOK)
			h.checkPage(t, p, lang)
			// Dawit has no fine pre-announcement: the hearing is not offered.
			if got := radios(t, p, "soort"); strings.Join(got, ",") != "lening,medische_aanvraag" {
				t.Fatalf("types offered: %v", got)
			}
			// No answer: the same page with an error summary, 400, nothing kept.
			p = submit(t, b, base+"/nieuw", url.Values{})
			wantStatus(t, p, http.StatusBadRequest)
			h.checkPage(t, p, lang)
			wantErrorSummary(t, p, "soort", h.msg(lang, "afspraak.type_required"))
			// The hearing posted anyway: refused with its own message.
			p = submit(t, b, base+"/nieuw", url.Values{"soort": {"hoorzitting"}})
			wantStatus(t, p, http.StatusBadRequest)
			wantErrorSummary(t, p, "soort", h.msg(lang, "error.afspraak_needs_vooraankondiging"))
			wantRedirect(t, submit(t, b, base+"/nieuw", url.Values{"soort": {"lening"}}), base+"/nieuw/kanaal")

			p = get(t, b, base+"/nieuw/kanaal")
			wantStatus(t, p, http.StatusOK)
			h.checkPage(t, p, lang)
			if got := radios(t, p, "kanaal"); strings.Join(got, ",") != "telefoon,video" {
				t.Fatalf("channels: %v", got)
			}
			p = submit(t, b, base+"/nieuw/kanaal", url.Values{"kanaal": {"kantoor:groningen"}})
			wantStatus(t, p, http.StatusBadRequest)
			wantErrorSummary(t, p, "kanaal", h.msg(lang, "afspraak.channel_required"))
			wantRedirect(t, submit(t, b, base+"/nieuw/kanaal", url.Values{"kanaal": {"telefoon"}}), base+"/nieuw/dag")

			p = get(t, b, base+"/nieuw/dag")
			wantStatus(t, p, http.StatusOK)
			h.checkPage(t, p, lang)
			days := radios(t, p, "dag")
			// Days grouped by week (a heading per week), two weeks per page, a link to later weeks.
			if n := len(queryAll(t, p.Doc, "fieldset h2")); n != 2 {
				t.Fatalf("%d week headings, want 2", n)
			}
			later := query(t, p.Doc, fmt.Sprintf(`a[href^="%s/nieuw/dag?vanaf="]`, base))
			if later == nil {
				t.Fatal("no link to later weeks")
			}
			if more := get(t, b, attrOr(later, "href")); len(radios(t, more, "dag")) == 0 || radios(t, more, "dag")[0] <= days[len(days)-1] {
				t.Fatalf("later weeks: %v after %v", radios(t, more, "dag"), days)
			}
			if days[0] != "2026-11-30" { // tomorrow, never today
				t.Fatalf("first day %s", days[0])
			}
			p = submit(t, b, base+"/nieuw/dag", url.Values{"dag": {"2026-11-29"}})
			wantStatus(t, p, http.StatusBadRequest)
			wantErrorSummary(t, p, "dag", h.msg(lang, "afspraak.day_required"))
			wantRedirect(t, submit(t, b, base+"/nieuw/dag", url.Values{"dag": {days[1]}}), base+"/nieuw/tijd")

			p = get(t, b, base+"/nieuw/tijd")
			wantStatus(t, p, http.StatusOK)
			h.checkPage(t, p, lang)
			times := radios(t, p, "tijd")
			if len(times) != 3 {
				t.Fatalf("times: %v", times)
			}
			// A tampered slot ID is refused like no answer.
			p = submit(t, b, base+"/nieuw/tijd", url.Values{"tijd": {"999999"}})
			wantStatus(t, p, http.StatusBadRequest)
			wantErrorSummary(t, p, "tijd", h.msg(lang, "afspraak.time_required"))
			wantRedirect(t, submit(t, b, base+"/nieuw/tijd", url.Values{"tijd": {times[0]}}), base+"/nieuw/tolk")

			p = get(t, b, base+"/nieuw/tolk")
			wantStatus(t, p, http.StatusOK)
			h.checkPage(t, p, lang)
			p = submit(t, b, base+"/nieuw/tolk", url.Values{"tolk": {"ja"}})
			wantStatus(t, p, http.StatusBadRequest)
			wantErrorSummary(t, p, "tolkTaal", h.msg(lang, "error.afspraak_tolk_language"))
			wantRedirect(t, submit(t, b, base+"/nieuw/tolk", url.Values{"tolk": {"ja"}, "tolkTaal": {"ti"}}), base+"/nieuw/controleren")

			p = get(t, b, base+"/nieuw/controleren")
			wantStatus(t, p, http.StatusOK)
			h.checkPage(t, p, lang)
			wantText(t, "check", norm(p.main(t)), norm(h.msg(lang, "afspraak.type.lening")), "ትግርኛ")
			token := csrf(b, base+"/nieuw/controleren")
			p = post(t, b, base+"/nieuw/controleren", url.Values{"_csrf": {token}})
			if p.Status != http.StatusSeeOther || !strings.HasSuffix(p.location(), "?klaar=geboekt") {
				t.Fatalf("confirm → %d %s", p.Status, p.location())
			}
			done := p.location()
			// A double submit of the confirm page books nothing new.
			again := post(t, b, base+"/nieuw/controleren", url.Values{"_csrf": {token}})
			if again.Status != http.StatusSeeOther {
				t.Fatalf("double submit → %d", again.Status)
			}
			ctx := context.Background()
			dawit, _ := h.app.Service.PersonaLogin(ctx, "dawit")
			mine, _ := h.app.Service.Afspraken(ctx, dawit.ID)
			var open []domain.Afspraak
			for _, a := range mine {
				if a.Open() {
					open = append(open, a)
				}
			}
			if len(open) != 1 {
				t.Fatalf("%d open appointments after a double submit", len(open))
			}
			a := open[0]

			p = get(t, b, done)
			wantStatus(t, p, http.StatusOK)
			h.checkPage(t, p, lang)
			wantText(t, "confirmation", norm(p.main(t)), norm(h.msg(lang, "afspraak.done_title.geboekt")), a.Reference())
			ics := query(t, p.Doc, `a[href*="/afspraak.ics"]`)
			if ics == nil {
				t.Fatal("no .ics link")
			}
			file := get(t, b, attrOr(ics, "href"))
			wantStatus(t, file, http.StatusOK)
			if ct := file.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
				t.Fatalf("content type %q", ct)
			}
			ev := parseICS(t, file.Body)
			start := domain.Amsterdam(a.Slot.Start).Format("20060102T150405")
			if ev["DTSTART;TZID=Europe/Amsterdam"] != start || ev["TZID"] != "Europe/Amsterdam" || ev["STATUS"] != "CONFIRMED" ||
				!strings.Contains(ev["DESCRIPTION"], a.Reference()) || ev["SUMMARY"] != escapeICS(h.msg(lang, "afspraak.type.lening")) {
				t.Fatalf("ics: %v", ev)
			}

			// Move to another time: the old place is given back.
			mv := get(t, b, fmt.Sprintf("%s/%d/verzetten", base, a.ID))
			wantStatus(t, mv, http.StatusOK)
			h.checkPage(t, mv, lang)
			choices := radios(t, mv, "tijd")
			if len(choices) == 0 {
				t.Fatal("no times to move to")
			}
			p = submit(t, b, fmt.Sprintf("%s/%d/verzetten", base, a.ID), url.Values{"versie": {"1"}})
			wantStatus(t, p, http.StatusBadRequest)
			wantErrorSummary(t, p, "tijd", h.msg(lang, "afspraak.time_required"))
			// The last time offered: far enough ahead to cancel it afterwards.
			to := choices[len(choices)-1]
			p = submit(t, b, fmt.Sprintf("%s/%d/verzetten", base, a.ID), url.Values{"versie": {"1"}, "tijd": {to}})
			wantRedirect(t, p, fmt.Sprintf("%s/%d?klaar=verzet", base, a.ID))
			moved, _ := h.app.Service.Afspraak(ctx, dawit.ID, a.ID)
			if fmt.Sprint(moved.Slot.ID) != to || moved.Versie != 2 {
				t.Fatalf("moved: %+v", moved)
			}

			// Cancel.
			cp := get(t, b, fmt.Sprintf("%s/%d/annuleren", base, a.ID))
			wantStatus(t, cp, http.StatusOK)
			h.checkPage(t, cp, lang)
			p = submit(t, b, fmt.Sprintf("%s/%d/annuleren", base, a.ID), url.Values{"versie": {"2"}})
			wantRedirect(t, p, fmt.Sprintf("%s/%d?klaar=geannuleerd", base, a.ID))
			if got, _ := h.app.Service.Afspraak(ctx, dawit.ID, a.ID); got.Status != domain.AfspraakGeannuleerd {
				t.Fatalf("cancelled: %+v", got)
			}
			inbox := get(t, b, "/"+lang+"/mijn/berichten")
			wantText(t, "inbox", norm(inbox.main(t)), norm(h.msg(lang, "bericht.afspraak_geboekt.onderwerp")),
				norm(h.msg(lang, "bericht.afspraak_verzet.onderwerp")), norm(h.msg(lang, "bericht.afspraak_geannuleerd.onderwerp")))
		})
	}
}

// TestBookingSlotTakenMeanwhile: when the chosen time fills up between the time page and the
// confirm page, the confirm answers 409 with the other times of that day and a clear message.
func TestBookingSlotTakenMeanwhile(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	s := h.app.Service
	b := h.login("en", "dawit")
	base := "/en/mijn/afspraken"
	wantRedirect(t, submit(t, b, base+"/nieuw", url.Values{"soort": {"medische_aanvraag"}}), base+"/nieuw/kanaal")
	wantRedirect(t, submit(t, b, base+"/nieuw/kanaal", url.Values{"kanaal": {"kantoor:den-haag"}}), base+"/nieuw/dag")
	day := radios(t, get(t, b, base+"/nieuw/dag"), "dag")[0]
	wantRedirect(t, submit(t, b, base+"/nieuw/dag", url.Values{"dag": {day}}), base+"/nieuw/tijd")
	slot := radios(t, get(t, b, base+"/nieuw/tijd"), "tijd")[0]
	wantRedirect(t, submit(t, b, base+"/nieuw/tijd", url.Values{"tijd": {slot}}), base+"/nieuw/tolk")
	wantRedirect(t, submit(t, b, base+"/nieuw/tolk", url.Values{"tolk": {"nee"}}), base+"/nieuw/controleren")
	// Two other people take both places meanwhile.
	for _, who := range []string{"olena", "kidane"} {
		p, _ := s.PersonaLogin(ctx, who)
		var id int64
		fmt.Sscan(slot, &id)
		if _, _, err := s.Book(ctx, p.ID, app.Booking{Soort: domain.SoortMedisch, SlotID: id, Key: who}); err != nil {
			t.Fatal(err)
		}
	}
	p := submit(t, b, base+"/nieuw/controleren", url.Values{})
	wantStatus(t, p, http.StatusConflict)
	h.checkPage(t, p, "en")
	wantErrorSummary(t, p, "tijd", h.msg("en", "error.afspraak_slot_taken"))
	if got := radios(t, p, "tijd"); len(got) != 2 || got[0] == slot {
		t.Fatalf("other times offered: %v", got)
	}
}

// TestHearingFromPreAnnouncement: ahmad's fine pre-announcement links to booking the hearing,
// which is offered to him and preselected.
func TestHearingFromPreAnnouncement(t *testing.T) {
	h := newHarness(t)
	b := h.login("ps", "ahmad")
	id := ""
	inbox := get(t, b, "/ps/mijn/berichten")
	for _, a := range queryAll(t, inbox.Doc, "main a") {
		if strings.Contains(text(a), h.msg("ps", "bericht.boete_vooraankondiging.onderwerp")) {
			id = attrOr(a, "href")
		}
	}
	if id == "" {
		t.Fatal("no pre-announcement in the inbox")
	}
	letter := get(t, b, id)
	a := query(t, letter.Doc, `main a[href="/ps/mijn/afspraken/nieuw?soort=hoorzitting"]`)
	if a == nil {
		t.Fatalf("the pre-announcement does not link to the hearing:\n%s", letter.main(t))
	}
	p := get(t, b, attrOr(a, "href"))
	wantStatus(t, p, http.StatusOK)
	h.checkPage(t, p, "ps")
	if in := query(t, p.Doc, `input[name=soort][value=hoorzitting]`); in == nil {
		t.Fatal("hearing not offered")
	} else if _, checked := attr(in, "checked"); !checked {
		t.Fatal("hearing not preselected")
	}
	wantRedirect(t, submit(t, b, "/ps/mijn/afspraken/nieuw", url.Values{"soort": {"hoorzitting"}}), "/ps/mijn/afspraken/nieuw/kanaal")
	if got := radios(t, get(t, b, "/ps/mijn/afspraken/nieuw/kanaal"), "kanaal"); strings.Join(got, ",") != "telefoon,video,kantoor:groningen,kantoor:den-haag" {
		t.Fatalf("channels: %v", got)
	}
}

// TestAppointmentPagesOutOfOrder: reaching a later step without the earlier answers leads back
// to the first open question; someone else's appointment is not found; after the cutoff the
// appointment can no longer be moved online.
func TestAppointmentPagesOutOfOrder(t *testing.T) {
	h := newHarness(t)
	b := h.login("nl", "dawit")
	for _, step := range []string{"kanaal", "dag", "tijd", "tolk", "controleren"} {
		wantRedirect(t, get(t, b, "/nl/mijn/afspraken/nieuw/"+step), "/nl/mijn/afspraken/nieuw")
	}
	// Olena's seeded appointment: someone else cannot see it.
	ctx := context.Background()
	olena, _ := h.app.Service.PersonaLogin(ctx, "olena")
	list, _ := h.app.Service.Afspraken(ctx, olena.ID)
	if len(list) != 1 {
		t.Fatalf("olena has %d appointments (seed)", len(list))
	}
	p := get(t, b, fmt.Sprintf("/nl/mijn/afspraken/%d", list[0].ID))
	wantStatus(t, p, http.StatusNotFound)
	// After the cutoff the move and cancel pages refuse.
	h.clock.Advance(list[0].Slot.Start.Sub(h.clock.Now()) - time.Hour)
	ob := h.login("nl", "olena")
	page := get(t, ob, fmt.Sprintf("/nl/mijn/afspraken/%d", list[0].ID))
	wantStatus(t, page, http.StatusOK)
	wantText(t, "after cutoff", norm(page.main(t)), norm(h.msg("nl", "afspraak.cutoff_passed_note")))
	mv := get(t, ob, fmt.Sprintf("/nl/mijn/afspraken/%d/verzetten", list[0].ID))
	wantStatus(t, mv, http.StatusConflict)
	wantText(t, "move after cutoff", norm(mv.main(t)), norm(h.msg("nl", "error.afspraak_cutoff_passed")))
}

// parseICS unfolds an RFC 5545 text and returns its properties by name (with parameters), the
// last one winning; it fails on a line without CRLF or longer than 75 octets.
func parseICS(t testing.TB, s string) map[string]string {
	t.Helper()
	if !strings.HasPrefix(s, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(s, "END:VCALENDAR\r\n") {
		t.Fatalf("not a calendar:\n%s", s)
	}
	out := map[string]string{}
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(l) > 75 || strings.ContainsAny(l, "\r\n") {
			t.Fatalf("bad line %q", l)
		}
		if strings.HasPrefix(l, " ") {
			lines[len(lines)-1] += l[1:]
		} else {
			lines = append(lines, l)
		}
	}
	for _, l := range lines {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("bad content line %q", l)
		}
		out[k] = v
	}
	return out
}

func escapeICS(s string) string {
	return strings.NewReplacer("\\", "\\\\", ";", "\\;", ",", "\\,").Replace(s)
}

// TestStaffAppointments: staff publish a week of times in bulk, see the day with the people and
// their interpreter needs (an audited read), and close a time: the person booked is told in the
// portal and the time is no longer offered. Bad input gets inline errors and publishes nothing.
func TestStaffAppointments(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	s := h.app.Service
	staff := h.login("en", portal.StaffPersona)
	base := "/en/medewerker/afspraken"
	home := get(t, staff, base)
	wantStatus(t, home, http.StatusOK)
	h.checkPage(t, home, "en")

	form := url.Values{"soort": {"hoorzitting"}, "kanaal": {"kantoor:groningen"}, "van": {"2026-12-07"}, "tot": {"2026-12-13"},
		"weekdagen": {"1", "3"}, "tijden": {"08:00 13:00"}, "capaciteit": {"3"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("tijden", "8 uur")
	bad.Set("capaciteit", "99")
	bad.Del("weekdagen")
	p := submit(t, staff, base+"/publiceren", bad)
	wantStatus(t, p, http.StatusBadRequest)
	h.checkPage(t, p, "en")
	wantErrorSummary(t, p, "tijden", h.msg("en", "error.afspraak_times"))
	wantErrorSummary(t, p, "capaciteit", h.msg("en", "error.afspraak_capacity", "Max", 50))
	wantErrorSummary(t, p, "weekdagen-1", h.msg("en", "error.afspraak_weekdays"))

	wantRedirect(t, submit(t, staff, base+"/publiceren", form), base+"?gepubliceerd=4")
	wantRedirect(t, submit(t, staff, base+"/publiceren", form), base+"?gepubliceerd=0") // existing times stay as they are

	// Ahmad books the Monday 08:00 hearing with a Pashto interpreter.
	ahmad, _ := s.PersonaLogin(ctx, "ahmad")
	var slot domain.Tijdslot
	page, _ := s.FreeSlots(ctx, domain.SoortHoorzitting, domain.KanaalKantoor, nil, app.MaxPageSize)
	for _, sl := range page.Slots {
		if sl.Start.Equal(domain.AtAmsterdam(domain.NewDate(2026, 12, 7), 8, 0)) {
			slot = sl
		}
	}
	if slot.ID == 0 {
		t.Fatal("published slot not offered")
	}
	if _, _, err := s.Book(ctx, ahmad.ID, app.Booking{Soort: domain.SoortHoorzitting, SlotID: slot.ID, TolkTaal: "ps", Key: "x"}); err != nil {
		t.Fatal(err)
	}
	before := h.countAudit(t, app.AuditAfsprakenBekeken)
	day := submit(t, staff, base+"/dag", url.Values{"dag": {"2026-12-07"}})
	wantStatus(t, day, http.StatusOK)
	h.checkPage(t, day, "en")
	wantText(t, "day", norm(day.main(t)), "Ahmad Karimi", "پښتو", "DUO Groningen", h.msg("en", "staff_afspraak.booked", "Booked", 1, "Capacity", 3))
	if h.countAudit(t, app.AuditAfsprakenBekeken) != before+1 {
		t.Fatal("the day view is not audited")
	}
	// The day per channel or office: Groningen shows Ahmad, the phone and another office do not;
	// an unknown office is an inline error and shows nobody.
	if sel := mustQuery(t, day.Doc, "select#plaats"); len(queryAll(t, sel, "option")) < 4 {
		t.Errorf("the day view offers %d channels and offices", len(queryAll(t, sel, "option")))
	}
	for plaats, want := range map[string]bool{"kantoor:groningen": true, "telefoon": false, "kantoor:den-haag": false, "": true} {
		p := submit(t, staff, base+"/dag", url.Values{"dag": {"2026-12-07"}, "plaats": {plaats}})
		wantStatus(t, p, http.StatusOK)
		if got := strings.Contains(p.main(t), "Ahmad Karimi"); got != want {
			t.Errorf("day at %q shows Ahmad: %v, want %v", plaats, got, want)
		}
		if plaats != "" && attrOr(mustQuery(t, p.Doc, `select#plaats option[selected]`), "value") != plaats {
			t.Errorf("day at %q: the choice is not kept", plaats)
		}
	}
	p = submit(t, staff, base+"/dag", url.Values{"dag": {"2026-12-07"}, "plaats": {"kantoor:atlantis"}})
	wantStatus(t, p, http.StatusBadRequest)
	h.checkPage(t, p, "en")
	wantErrorSummary(t, p, "plaats", h.msg("en", "error.afspraak_kantoor_unknown"))
	if strings.Contains(p.main(t), "Ahmad Karimi") {
		t.Error("an invalid filter shows the day")
	}
	closeForm := query(t, day.Doc, fmt.Sprintf(`form[action="%s/tijdsloten/%d/sluiten"]`, base, slot.ID))
	if closeForm == nil {
		t.Fatal("no close button for the slot")
	}
	wantRedirect(t, submit(t, staff, attrOr(closeForm, "action"), url.Values{}), base+"?gesloten=1")
	list, _ := s.Afspraken(ctx, ahmad.ID)
	if len(list) != 1 || list[0].Status != domain.AfspraakVervallen {
		t.Fatalf("after close: %+v", list)
	}
	ab := h.login("ps", "ahmad")
	inbox := get(t, ab, "/ps/mijn/berichten")
	wantText(t, "inbox", norm(inbox.main(t)), norm(h.msg("ps", "bericht.afspraak_vervallen.onderwerp")))
	// Once a time has started, staff record how it went (a no-show is recorded), with notes; audited.
	olena, _ := s.PersonaLogin(ctx, "olena")
	seeded, _ := s.Afspraken(ctx, olena.ID)
	h.clock.Advance(seeded[0].Slot.Start.Sub(h.clock.Now()) + 10*time.Minute)
	staff = h.login("en", portal.StaffPersona)
	dayOf := domain.Today(seeded[0].Slot.Start).String()
	day = submit(t, staff, base+"/dag", url.Values{"dag": {dayOf}})
	wantStatus(t, day, http.StatusOK)
	h.checkPage(t, day, "en")
	mark := fmt.Sprintf("%s/%d/uitkomst", base, seeded[0].ID)
	if query(t, day.Doc, fmt.Sprintf(`form[action="%s"]`, mark)) == nil {
		t.Fatal("no form to record the outcome")
	}
	p = submit(t, staff, mark, url.Values{"dag": {dayOf}})
	wantStatus(t, p, http.StatusBadRequest)
	h.checkPage(t, p, "en")
	wantErrorSummary(t, p, fmt.Sprintf("uitkomst-%d", seeded[0].ID), h.msg("en", "error.afspraak_outcome_required"))
	before = h.countAudit(t, app.AuditAfspraakUitkomst)
	wantRedirect(t, submit(t, staff, mark, url.Values{"dag": {dayOf}, "uitkomst": {"niet_verschenen"}, "notities": {"Niet opgenomen, twee keer gebeld."}}), base+"?vastgelegd=1")
	if got, _ := s.Afspraak(ctx, olena.ID, seeded[0].ID); got.Status != domain.AfspraakNietVerschenen || got.Notities != "Niet opgenomen, twee keer gebeld." {
		t.Fatalf("marked: %+v", got)
	}
	if h.countAudit(t, app.AuditAfspraakUitkomst) != before+1 {
		t.Fatal("the outcome is not audited")
	}
	for _, e := range h.auditLog(t) {
		if strings.Contains(e.Details, "gebeld") {
			t.Fatal("notes in the audit log")
		}
	}
	p = submit(t, staff, mark, url.Values{"dag": {dayOf}, "uitkomst": {"gehouden"}})
	wantStatus(t, p, http.StatusConflict) // recorded once
	// An inburgeraar cannot reach the staff pages.
	ab = h.login("ps", "ahmad")
	p = get(t, ab, base)
	if p.Status == http.StatusOK {
		t.Fatal("an inburgeraar reached the staff page")
	}
}
