package portal

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/server"
)

// BookingCookie carries the answers of the booking journey between its pages, sealed: which
// appointment a person makes is nobody else's business, so it never travels in a URL.
const BookingCookie = "afspraakstappen"

// bookingAnswers are the answers so far. Key is made when the journey starts and identifies the
// booking request: a second submit of the check page books nothing new.
type bookingAnswers struct {
	Inburgeraar int64  `json:"i"`
	Key         string `json:"k"`
	Soort       string `json:"s,omitempty"`
	Kanaal      string `json:"c,omitempty"` // "telefoon", "video" or "kantoor:<code>"
	Dag         string `json:"d,omitempty"` // YYYY-MM-DD
	Slot        int64  `json:"t,omitempty"`
	Tolk        string `json:"n,omitempty"` // "ja" or "nee"
	TolkTaal    string `json:"l,omitempty"`
}

// weeksPerPage is how many weeks the day page shows at once; a link leads to later weeks.
const weeksPerPage = 2

// registerAppointments adds the appointment pages: the list, the booking journey (type →
// channel → day → time → interpreter → check → confirmation), and per appointment its page,
// its .ics file, moving and cancelling.
func (p *Portal) registerAppointments(mine *echo.Group) {
	mine.GET("/afspraken", p.appointments)
	mine.GET("/afspraken/nieuw", p.bookType)
	mine.POST("/afspraken/nieuw", p.bookTypeAnswer)
	mine.GET("/afspraken/nieuw/kanaal", p.bookChannel)
	mine.POST("/afspraken/nieuw/kanaal", p.bookChannelAnswer)
	mine.GET("/afspraken/nieuw/dag", p.bookDay)
	mine.POST("/afspraken/nieuw/dag", p.bookDayAnswer)
	mine.GET("/afspraken/nieuw/tijd", p.bookTime)
	mine.POST("/afspraken/nieuw/tijd", p.bookTimeAnswer)
	mine.GET("/afspraken/nieuw/tolk", p.bookInterpreter)
	mine.POST("/afspraken/nieuw/tolk", p.bookInterpreterAnswer)
	mine.GET("/afspraken/nieuw/controleren", p.bookCheck)
	mine.POST("/afspraken/nieuw/controleren", p.bookSubmit)
	mine.GET("/afspraken/:id", p.appointment)
	mine.GET("/afspraken/:id/afspraak.ics", p.appointmentICS)
	mine.GET("/afspraken/:id/verzetten", p.moveAppointment)
	mine.POST("/afspraken/:id/verzetten", p.moveAppointmentAnswer)
	mine.GET("/afspraken/:id/annuleren", p.cancelAppointment)
	mine.POST("/afspraken/:id/annuleren", p.cancelAppointmentAnswer)
}

// bookingData is what the journey's pages show.
type bookingData struct {
	A        bookingAnswers
	Types    []domain.AfspraakType
	Type     domain.AfspraakType
	Kantoren []domain.Kantoor
	Weeks    []domain.Week
	Later    string // link to later weeks, when there are any
	Earlier  string // link back to earlier weeks
	Slots    []domain.Tijdslot
	Slot     domain.Tijdslot
	Talen    []domain.TolkTaal
	Afspraak domain.Afspraak
	List     []domain.Afspraak
	Done     string // "geboekt", "verzet", "geannuleerd": the confirmation to show
	Cutoff   time.Time

	cfg domain.AfspraakConfig
	now time.Time
}

func (p *Portal) bookingAnswers(c echo.Context) bookingAnswers {
	var a bookingAnswers
	ck, err := c.Cookie(BookingCookie)
	if err != nil || p.Sealer.Open(ck.Value, &a) != nil || a.Inburgeraar != session(c).InburgeraarID || a.Key == "" {
		return bookingAnswers{Inburgeraar: session(c).InburgeraarID}
	}
	return a
}

func (p *Portal) keepBooking(c echo.Context, a bookingAnswers) error {
	sealed, err := p.Sealer.Seal(a)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: BookingCookie, Value: sealed, Path: "/", MaxAge: 3600, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
	return nil
}

func (p *Portal) dropBooking(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: BookingCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
}

// bookingPage renders one page of the booking journey with its back link.
func (p *Portal) bookingPage(c echo.Context, status int, page, title, back string, d bookingData, errs []FieldError) error {
	v := p.appointmentView(c, title, d)
	v.Errors = errs
	v.Back = link(c, back)
	return p.Render.Render(c, status, page, v)
}

// fieldError is one inline error on field with message id.
func (p *Portal) fieldError(c echo.Context, field, id string, kv ...any) []FieldError {
	return []FieldError{{Field: field, Message: p.view(c, "", nil).Text(id, kv...)}}
}

// kanaalOf splits a channel answer into channel and office code.
func kanaalOf(s string) (domain.AfspraakKanaal, string) {
	k, office, _ := strings.Cut(s, ":")
	return domain.AfspraakKanaal(k), office
}

// step reports the first journey page whose answer is missing, so a page reached out of order
// sends the person back to the question they have not answered.
func (p *Portal) step(c echo.Context, a bookingAnswers) string {
	cfg := p.Service.AfspraakConfig(c.Request().Context())
	t, err := cfg.Type(domain.AfspraakSoort(a.Soort))
	switch {
	case a.Key == "" || err != nil:
		return "/mijn/afspraken/nieuw"
	case !p.validChannel(c, t, a.Kanaal):
		return "/mijn/afspraken/nieuw/kanaal"
	case a.Dag == "":
		return "/mijn/afspraken/nieuw/dag"
	case a.Slot == 0:
		return "/mijn/afspraken/nieuw/tijd"
	case a.Tolk == "":
		return "/mijn/afspraken/nieuw/tolk"
	}
	return ""
}

func (p *Portal) validChannel(c echo.Context, t domain.AfspraakType, s string) bool {
	k, office := kanaalOf(s)
	if !t.HasKanaal(k) {
		return false
	}
	if k == domain.KanaalKantoor {
		_, err := p.Service.AfspraakConfig(c.Request().Context()).Kantoor(office)
		return err == nil
	}
	return office == ""
}

// needs redirects to the first unanswered question before page when one is missing.
func (p *Portal) needs(c echo.Context, a bookingAnswers, page string) (bool, error) {
	order := []string{"/mijn/afspraken/nieuw", "/mijn/afspraken/nieuw/kanaal", "/mijn/afspraken/nieuw/dag", "/mijn/afspraken/nieuw/tijd", "/mijn/afspraken/nieuw/tolk", ""}
	missing := p.step(c, a)
	if slices.Index(order, missing) < slices.Index(order, page) {
		return true, c.Redirect(http.StatusSeeOther, link(c, missing))
	}
	return false, nil
}

func (p *Portal) appointments(c echo.Context) error {
	list, err := p.Service.Afspraken(c.Request().Context(), session(c).InburgeraarID)
	if err != nil {
		return err
	}
	v := p.appointmentView(c, "afspraak.list_title", bookingData{List: list})
	v.Back = link(c, "/mijn")
	return p.Render.Render(c, http.StatusOK, "afspraken", v)
}

// bookableTypes are the types the person may book, in configured order.
func (p *Portal) bookableTypes(c echo.Context) ([]domain.AfspraakType, error) {
	var out []domain.AfspraakType
	for _, t := range p.Service.AfspraakConfig(c.Request().Context()).Types {
		err := p.Service.MayBookAfspraak(c.Request().Context(), session(c).InburgeraarID, t.Soort)
		switch {
		case err == nil:
			out = append(out, t)
		case domain.ErrorKind(err) != domain.KindForbidden:
			return nil, err
		}
	}
	return out, nil
}

func (p *Portal) bookType(c echo.Context) error {
	a := p.bookingAnswers(c)
	types, err := p.bookableTypes(c)
	if err != nil {
		return err
	}
	if a.Soort == "" {
		// A link from the fine pre-announcement preselects the hearing; the GET stores nothing.
		if q := c.QueryParam("soort"); slices.ContainsFunc(types, func(t domain.AfspraakType) bool { return string(t.Soort) == q }) {
			a.Soort = q
		}
	}
	return p.bookingPage(c, http.StatusOK, "afspraak_soort", "afspraak.type_title", "/mijn/afspraken", bookingData{A: a, Types: types}, nil)
}

func (p *Portal) bookTypeAnswer(c echo.Context) error {
	a := p.bookingAnswers(c)
	var form struct {
		Soort string `form:"soort" validate:"max=40"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	types, err := p.bookableTypes(c)
	if err != nil {
		return err
	}
	if err := p.Service.MayBookAfspraak(c.Request().Context(), session(c).InburgeraarID, domain.AfspraakSoort(form.Soort)); err != nil {
		errs := p.fieldError(c, "soort", "afspraak.type_required")
		if domain.ErrorKind(err) == domain.KindForbidden {
			errs = p.fieldError(c, "soort", "error.afspraak_needs_vooraankondiging")
		}
		return p.bookingPage(c, http.StatusBadRequest, "afspraak_soort", "afspraak.type_title", "/mijn/afspraken", bookingData{A: a, Types: types}, errs)
	}
	if a.Key == "" {
		a.Key = app.NewBookingKey()
	}
	if a.Soort != form.Soort {
		a = bookingAnswers{Inburgeraar: a.Inburgeraar, Key: a.Key, Tolk: a.Tolk, TolkTaal: a.TolkTaal}
	}
	a.Soort = form.Soort
	if err := p.keepBooking(c, a); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/mijn/afspraken/nieuw/kanaal"))
}

func (p *Portal) channelData(c echo.Context, a bookingAnswers) bookingData {
	cfg := p.Service.AfspraakConfig(c.Request().Context())
	t, _ := cfg.Type(domain.AfspraakSoort(a.Soort))
	return bookingData{A: a, Type: t, Kantoren: cfg.Kantoren}
}

func (p *Portal) bookChannel(c echo.Context) error {
	a := p.bookingAnswers(c)
	if done, err := p.needs(c, a, "/mijn/afspraken/nieuw/kanaal"); done {
		return err
	}
	return p.bookingPage(c, http.StatusOK, "afspraak_kanaal", "afspraak.channel_title", "/mijn/afspraken/nieuw", p.channelData(c, a), nil)
}

func (p *Portal) bookChannelAnswer(c echo.Context) error {
	a := p.bookingAnswers(c)
	if done, err := p.needs(c, a, "/mijn/afspraken/nieuw/kanaal"); done {
		return err
	}
	var form struct {
		Kanaal string `form:"kanaal" validate:"max=60"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	d := p.channelData(c, a)
	if !p.validChannel(c, d.Type, form.Kanaal) {
		return p.bookingPage(c, http.StatusBadRequest, "afspraak_kanaal", "afspraak.channel_title", "/mijn/afspraken/nieuw", d, p.fieldError(c, "kanaal", "afspraak.channel_required"))
	}
	if a.Kanaal != form.Kanaal {
		a.Dag, a.Slot = "", 0
	}
	a.Kanaal = form.Kanaal
	if err := p.keepBooking(c, a); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/mijn/afspraken/nieuw/dag"))
}

// freeSlots lists every free slot of the answered type and channel (and office) in the bookable
// window, earliest first.
func (p *Portal) freeSlots(c echo.Context, soort domain.AfspraakSoort, kanaal string) ([]domain.Tijdslot, error) {
	k, office := kanaalOf(kanaal)
	var out []domain.Tijdslot
	var after *app.SlotCursor
	for range 20 { // at most 20 pages of 100: a horizon of weeks holds far fewer
		page, err := p.Service.FreeSlots(c.Request().Context(), soort, k, after, app.MaxPageSize)
		if err != nil {
			return nil, err
		}
		for _, s := range page.Slots {
			if s.Kantoor == office {
				out = append(out, s)
			}
		}
		if page.Next == nil {
			break
		}
		after = page.Next
	}
	return out, nil
}

// dayData groups the free slots by week and shows weeksPerPage weeks from the week of ?vanaf.
func (p *Portal) dayData(c echo.Context, a bookingAnswers, base string) (bookingData, error) {
	slots, err := p.freeSlots(c, domain.AfspraakSoort(a.Soort), a.Kanaal)
	if err != nil {
		return bookingData{}, err
	}
	weeks := domain.GroupByWeek(slots)
	from := 0
	if raw := c.QueryParam("vanaf"); raw != "" {
		if d, err := domain.ParseDate(raw); err == nil {
			for i, w := range weeks {
				if !w.Monday.Before(domain.MondayOf(d)) {
					from = i
					break
				}
				from = len(weeks)
			}
		}
	}
	from = min(from, max(len(weeks)-1, 0))
	d := bookingData{A: a}
	to := min(from+weeksPerPage, len(weeks))
	d.Weeks = weeks[from:to]
	if to < len(weeks) {
		d.Later = link(c, base+"?vanaf="+weeks[to].Monday.String())
	}
	if from > 0 {
		d.Earlier = link(c, base+"?vanaf="+weeks[max(from-weeksPerPage, 0)].Monday.String())
	}
	return d, nil
}

func (p *Portal) bookDay(c echo.Context) error {
	a := p.bookingAnswers(c)
	if done, err := p.needs(c, a, "/mijn/afspraken/nieuw/dag"); done {
		return err
	}
	d, err := p.dayData(c, a, "/mijn/afspraken/nieuw/dag")
	if err != nil {
		return err
	}
	return p.bookingPage(c, http.StatusOK, "afspraak_dag", "afspraak.day_title", "/mijn/afspraken/nieuw/kanaal", d, nil)
}

func (p *Portal) bookDayAnswer(c echo.Context) error {
	a := p.bookingAnswers(c)
	if done, err := p.needs(c, a, "/mijn/afspraken/nieuw/dag"); done {
		return err
	}
	var form struct {
		Dag string `form:"dag" validate:"max=10"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	d, err := p.dayData(c, a, "/mijn/afspraken/nieuw/dag")
	if err != nil {
		return err
	}
	day, perr := domain.ParseDate(form.Dag)
	slots, err := p.freeSlots(c, domain.AfspraakSoort(a.Soort), a.Kanaal)
	if err != nil {
		return err
	}
	if perr != nil || !slices.ContainsFunc(slots, func(s domain.Tijdslot) bool { return s.Day() == day }) {
		return p.bookingPage(c, http.StatusBadRequest, "afspraak_dag", "afspraak.day_title", "/mijn/afspraken/nieuw/kanaal", d, p.fieldError(c, "dag", "afspraak.day_required"))
	}
	if a.Dag != form.Dag {
		a.Slot = 0
	}
	a.Dag = form.Dag
	if err := p.keepBooking(c, a); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/mijn/afspraken/nieuw/tijd"))
}

// timeData lists the free slots of the answered day.
func (p *Portal) timeData(c echo.Context, a bookingAnswers) (bookingData, error) {
	slots, err := p.freeSlots(c, domain.AfspraakSoort(a.Soort), a.Kanaal)
	if err != nil {
		return bookingData{}, err
	}
	d := bookingData{A: a}
	for _, s := range slots {
		if s.Day().String() == a.Dag {
			d.Slots = append(d.Slots, s)
		}
	}
	return d, nil
}

func (p *Portal) bookTime(c echo.Context) error {
	a := p.bookingAnswers(c)
	if done, err := p.needs(c, a, "/mijn/afspraken/nieuw/tijd"); done {
		return err
	}
	d, err := p.timeData(c, a)
	if err != nil {
		return err
	}
	if len(d.Slots) == 0 { // the day filled up meanwhile: choose another day
		return c.Redirect(http.StatusSeeOther, link(c, "/mijn/afspraken/nieuw/dag"))
	}
	return p.bookingPage(c, http.StatusOK, "afspraak_tijd", "afspraak.time_title", "/mijn/afspraken/nieuw/dag", d, nil)
}

func (p *Portal) bookTimeAnswer(c echo.Context) error {
	a := p.bookingAnswers(c)
	if done, err := p.needs(c, a, "/mijn/afspraken/nieuw/tijd"); done {
		return err
	}
	var form struct {
		Tijd string `form:"tijd" validate:"max=20"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	d, err := p.timeData(c, a)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(form.Tijd, 10, 64)
	if !slices.ContainsFunc(d.Slots, func(s domain.Tijdslot) bool { return s.ID == id }) {
		return p.bookingPage(c, http.StatusBadRequest, "afspraak_tijd", "afspraak.time_title", "/mijn/afspraken/nieuw/dag", d, p.fieldError(c, "tijd", "afspraak.time_required"))
	}
	a.Slot = id
	if err := p.keepBooking(c, a); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/mijn/afspraken/nieuw/tolk"))
}

func (p *Portal) bookInterpreter(c echo.Context) error {
	a := p.bookingAnswers(c)
	if done, err := p.needs(c, a, "/mijn/afspraken/nieuw/tolk"); done {
		return err
	}
	return p.bookingPage(c, http.StatusOK, "afspraak_tolk", "afspraak.interpreter_title", "/mijn/afspraken/nieuw/tijd", bookingData{A: a, Talen: domain.TolkTalen}, nil)
}

func (p *Portal) bookInterpreterAnswer(c echo.Context) error {
	a := p.bookingAnswers(c)
	if done, err := p.needs(c, a, "/mijn/afspraken/nieuw/tolk"); done {
		return err
	}
	var form struct {
		Tolk string `form:"tolk" validate:"max=10"`
		Taal string `form:"tolkTaal" validate:"max=10"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	lang, err := domain.ParseTolk(form.Tolk, form.Taal)
	if err != nil {
		a.Tolk, a.TolkTaal = form.Tolk, form.Taal
		errs, err := formErrors(p.view(c, "", nil), err, "tolk")
		if err != nil {
			return err
		}
		return p.bookingPage(c, http.StatusBadRequest, "afspraak_tolk", "afspraak.interpreter_title", "/mijn/afspraken/nieuw/tijd", bookingData{A: a, Talen: domain.TolkTalen}, errs)
	}
	a.Tolk, a.TolkTaal = form.Tolk, lang
	if err := p.keepBooking(c, a); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/mijn/afspraken/nieuw/controleren"))
}

func (p *Portal) checkData(c echo.Context, a bookingAnswers) (bookingData, error) {
	d := p.channelData(c, a)
	slot, err := p.Service.Tijdslot(c.Request().Context(), a.Slot)
	if err != nil {
		return bookingData{}, err
	}
	d.Slot = slot
	return d, nil
}

func (p *Portal) bookCheck(c echo.Context) error {
	a := p.bookingAnswers(c)
	if done, err := p.needs(c, a, ""); done {
		return err
	}
	d, err := p.checkData(c, a)
	if err != nil {
		return err
	}
	return p.bookingPage(c, http.StatusOK, "afspraak_controleren", "afspraak.check_title", "/mijn/afspraken/nieuw/tolk", d, nil)
}

func (p *Portal) bookSubmit(c echo.Context) error {
	a := p.bookingAnswers(c)
	if a.Key == "" {
		// A submit after the journey ended (a double submit that arrives after the first
		// answer dropped the cookie): show the appointments rather than book again.
		return c.Redirect(http.StatusSeeOther, link(c, "/mijn/afspraken"))
	}
	if done, err := p.needs(c, a, ""); done {
		return err
	}
	ctx := c.Request().Context()
	booked, _, err := p.Service.Book(ctx, session(c).InburgeraarID, app.Booking{
		Soort: domain.AfspraakSoort(a.Soort), SlotID: a.Slot, TolkTaal: a.TolkTaal, Key: a.Key, Channel: "portal"})
	var de *domain.Error
	errors.As(err, &de)
	switch {
	case err == nil:
	case de != nil && (de.MessageID == app.ErrSlotTaken.MessageID || de.Kind == domain.KindInvalid && len(de.Violations) > 0):
		// The time was taken meanwhile, or is no longer bookable: offer the other times of that day
		// (or the days, when none is left), with the reason.
		msgID := de.MessageID
		if len(de.Violations) > 0 {
			msgID = de.Violations[0].MessageID
		}
		a.Slot = 0
		if err := p.keepBooking(c, a); err != nil {
			return err
		}
		d, err := p.timeData(c, a)
		if err != nil {
			return err
		}
		if len(d.Slots) == 0 {
			d, err = p.dayData(c, a, "/mijn/afspraken/nieuw/dag")
			if err != nil {
				return err
			}
			return p.bookingPage(c, http.StatusConflict, "afspraak_dag", "afspraak.day_title", "/mijn/afspraken/nieuw/kanaal", d, p.fieldError(c, "dag", msgID))
		}
		return p.bookingPage(c, http.StatusConflict, "afspraak_tijd", "afspraak.time_title", "/mijn/afspraken/nieuw/dag", d, p.fieldError(c, "tijd", msgID))
	default:
		return err
	}
	p.dropBooking(c)
	return c.Redirect(http.StatusSeeOther, link(c, fmt.Sprintf("/mijn/afspraken/%d?klaar=geboekt", booked.ID)))
}

func (p *Portal) loadAppointment(c echo.Context) (domain.Afspraak, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Afspraak{}, domain.Errorf(domain.KindNotFound, "error.afspraak_not_found")
	}
	return p.Service.Afspraak(c.Request().Context(), session(c).InburgeraarID, id)
}

// Changeable reports whether the person can still move or cancel a.
func (d bookingData) Changeable(a domain.Afspraak) bool {
	return d.cfg.CheckChangeable(a, d.now) == nil
}

// OfficeOf returns the office with code.
func (d bookingData) OfficeOf(code string) domain.Kantoor {
	k, _ := d.cfg.Kantoor(code)
	return k
}

// TolkNaam names an interpreter language in itself.
func (d bookingData) TolkNaam(code string) string { return domain.TolkNaam(code) }

// Weekday names the weekday of d.
func (v *View) Weekday(d domain.Date) string {
	return v.Text(fmt.Sprintf("weekday.%d", int(d.Time().Weekday())))
}

// Clock formats the Amsterdam time of day of t.
func (v *View) Clock(t time.Time) Fixed {
	return Fixed(v.L.Isolate(domain.Amsterdam(t).Format("15:04")))
}

func (p *Portal) appointmentView(c echo.Context, title string, d bookingData) *View {
	d.cfg, d.now = p.Service.AfspraakConfig(c.Request().Context()), p.Service.Now()
	return p.view(c, title, d)
}

func (p *Portal) appointment(c echo.Context) error {
	a, err := p.loadAppointment(c)
	if err != nil {
		return err
	}
	d := bookingData{Afspraak: a, Cutoff: a.Slot.Start.Add(-p.Service.AfspraakConfig(c.Request().Context()).Wijzigtermijn)}
	title := "afspraak.title"
	if done := c.QueryParam("klaar"); slices.Contains([]string{"geboekt", "verzet", "geannuleerd"}, done) {
		d.Done, title = done, "afspraak.done_title."+done
	}
	v := p.appointmentView(c, title, d)
	v.Back = link(c, "/mijn/afspraken")
	return p.Render.Render(c, http.StatusOK, "afspraak", v)
}

// appointmentICS serves the appointment as an RFC 5545 calendar file in the person's language.
func (p *Portal) appointmentICS(c echo.Context) error {
	a, err := p.loadAppointment(c)
	if err != nil {
		return err
	}
	v := p.view(c, "", nil)
	loc := v.Text("afspraak.channel." + string(a.Slot.Kanaal))
	if a.Slot.Kanaal == domain.KanaalKantoor {
		k, _ := p.Service.AfspraakConfig(c.Request().Context()).Kantoor(a.Slot.Kantoor)
		loc = k.Naam + ", " + k.Adres
	}
	desc := v.Text("afspraak.ics_description", "Reference", a.Reference())
	if a.TolkTaal != "" {
		desc += "\n" + v.Text("afspraak.interpreter_for", "Language", domain.TolkNaam(a.TolkTaal))
	}
	ev := domain.CalendarEvent{UID: a.Reference() + "@inburgering.duo.nl", Sequence: a.Versie - 1, Start: a.Slot.Start, End: a.Slot.End(),
		Summary: v.Text("afspraak.type." + string(a.Soort)), Location: loc, Description: desc, Cancelled: !a.Open(), Stamp: p.Service.Now()}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+a.Reference()+`.ics"`)
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", ev.ICS())
}

func (p *Portal) moveData(c echo.Context, a domain.Afspraak) (bookingData, error) {
	kanaal := string(a.Slot.Kanaal)
	if a.Slot.Kantoor != "" {
		kanaal += ":" + a.Slot.Kantoor
	}
	d, err := p.dayData(c, bookingAnswers{Soort: string(a.Soort), Kanaal: kanaal}, fmt.Sprintf("/mijn/afspraken/%d/verzetten", a.ID))
	if err != nil {
		return d, err
	}
	d.Afspraak = a
	return d, nil
}

func (p *Portal) moveAppointment(c echo.Context) error {
	a, err := p.loadAppointment(c)
	if err != nil {
		return err
	}
	if err := p.Service.AfspraakConfig(c.Request().Context()).CheckChangeable(a, p.Service.Now()); err != nil {
		return err
	}
	d, err := p.moveData(c, a)
	if err != nil {
		return err
	}
	v := p.appointmentView(c, "afspraak.move_title", d)
	v.Back = link(c, fmt.Sprintf("/mijn/afspraken/%d", a.ID))
	return p.Render.Render(c, http.StatusOK, "afspraak_verzetten", v)
}

func (p *Portal) moveAppointmentAnswer(c echo.Context) error {
	a, err := p.loadAppointment(c)
	if err != nil {
		return err
	}
	var form struct {
		Tijd   string `form:"tijd" validate:"max=20"`
		Versie int    `form:"versie" validate:"min=0,max=1000000"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	id, _ := strconv.ParseInt(form.Tijd, 10, 64)
	if id <= 0 {
		err = domain.Invalid(domain.Violation{Field: "tijd", MessageID: "afspraak.time_required"})
	} else {
		_, err = p.Service.Move(c.Request().Context(), session(c).InburgeraarID, a.ID, form.Versie, id, "portal")
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, link(c, fmt.Sprintf("/mijn/afspraken/%d?klaar=verzet", a.ID)))
	}
	status := http.StatusBadRequest
	var msgID string
	var de *domain.Error
	errors.As(err, &de)
	switch {
	case de == nil:
		return err
	case de.Kind == domain.KindInvalid && len(de.Violations) > 0:
		msgID = de.Violations[0].MessageID
	case de.MessageID == app.ErrSlotTaken.MessageID:
		status, msgID = http.StatusConflict, de.MessageID
	default:
		return err // the cutoff passed, or the appointment changed: the error page says so
	}
	d, derr := p.moveData(c, a)
	if derr != nil {
		return derr
	}
	v := p.appointmentView(c, "afspraak.move_title", d)
	v.Back = link(c, fmt.Sprintf("/mijn/afspraken/%d", a.ID))
	v.Errors = p.fieldError(c, "tijd", msgID)
	return p.Render.Render(c, status, "afspraak_verzetten", v)
}

func (p *Portal) cancelAppointment(c echo.Context) error {
	a, err := p.loadAppointment(c)
	if err != nil {
		return err
	}
	if err := p.Service.AfspraakConfig(c.Request().Context()).CheckChangeable(a, p.Service.Now()); err != nil {
		return err
	}
	v := p.appointmentView(c, "afspraak.cancel_title", bookingData{Afspraak: a})
	v.Back = link(c, fmt.Sprintf("/mijn/afspraken/%d", a.ID))
	return p.Render.Render(c, http.StatusOK, "afspraak_annuleren", v)
}

func (p *Portal) cancelAppointmentAnswer(c echo.Context) error {
	a, err := p.loadAppointment(c)
	if err != nil {
		return err
	}
	var form struct {
		Versie int `form:"versie" validate:"min=0,max=1000000"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	if _, err := p.Service.Cancel(c.Request().Context(), session(c).InburgeraarID, a.ID, form.Versie, "portal"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, fmt.Sprintf("/mijn/afspraken/%d?klaar=geannuleerd", a.ID)))
}
