package portal

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/server"
)

// registerStaffAppointments adds the staff pages of appointments: publish availability in bulk,
// show a day (an audited read, so by POST like the lookup), close a slot.
func (p *Portal) registerStaffAppointments(staff *echo.Group) {
	staff.GET("/afspraken", p.staffAppointments)
	staff.POST("/afspraken/publiceren", p.staffPublish)
	staff.POST("/afspraken/dag", p.staffDay)
	staff.POST("/afspraken/tijdsloten/:id/sluiten", p.staffCloseSlot)
	staff.POST("/afspraken/:id/uitkomst", p.staffMark)
}

// staffBookingForm is the bulk publication form as typed.
type staffBookingForm struct {
	Soort      string   `form:"soort" validate:"max=40"`
	Kanaal     string   `form:"kanaal" validate:"max=60"`
	Van        string   `form:"van" validate:"max=10"`
	Tot        string   `form:"tot" validate:"max=10"`
	Weekdagen  []string `form:"weekdagen" validate:"max=7,dive,max=1"`
	Tijden     string   `form:"tijden" validate:"max=400"`
	Capaciteit string   `form:"capaciteit" validate:"max=4"`
}

// staffBookingData is what the staff page shows.
type staffBookingData struct {
	Form      staffBookingForm
	Types     []domain.AfspraakType
	Kantoren  []domain.Kantoor
	Published string // the number of slots just published
	Closed    string // the number of people told about a closed slot
	Day       *app.StaffDay
	DayInput  string
	Plaats    string // the day view's channel or office ("" all, a channel, or "kantoor:CODE")
	Recorded  bool
	now       time.Time
}

// Markable reports whether staff can record how a went: open, and started.
func (d staffBookingData) Markable(a domain.Afspraak) bool {
	return a.Open() && !d.now.Before(a.Slot.Start)
}

// OfficeOf names the office with code.
func (d staffBookingData) OfficeOf(code string) domain.Kantoor {
	for _, k := range d.Kantoren {
		if k.Code == code {
			return k
		}
	}
	return domain.Kantoor{}
}

// Checked reports whether weekday n (0 Sunday … 6 Saturday) was chosen.
func (d staffBookingData) Checked(n int) bool {
	for _, w := range d.Form.Weekdagen {
		if w == strconv.Itoa(n) {
			return true
		}
	}
	return false
}

// DateFields are the two date inputs of the publication form.
func (d staffBookingData) DateFields() []string { return []string{"van", "tot"} }

// DateValue is what was typed in date field f.
func (d staffBookingData) DateValue(f string) string {
	if f == "van" {
		return d.Form.Van
	}
	return d.Form.Tot
}

// TolkNaam names an interpreter language in itself.
func (d staffBookingData) TolkNaam(code string) string { return domain.TolkNaam(code) }

// WeekdayNumbers lists Monday to Sunday as the form offers them.
func (d staffBookingData) WeekdayNumbers() []int { return []int{1, 2, 3, 4, 5, 6, 0} }

// Channels lists every channel answer of every type: "soort|kanaal" pairs are not needed, the
// form offers each channel (and office) once.
func (d staffBookingData) Channels() []string {
	out := []string{string(domain.KanaalTelefoon), string(domain.KanaalVideo)}
	for _, k := range d.Kantoren {
		out = append(out, "kantoor:"+k.Code)
	}
	return out
}

func (p *Portal) staffBookingView(c echo.Context, d staffBookingData) *View {
	cfg := p.Service.AfspraakConfig(c.Request().Context())
	d.Types, d.Kantoren, d.now = cfg.Types, cfg.Kantoren, p.Service.Now()
	if d.DayInput == "" {
		d.DayInput = p.Service.Today().AddDays(1).String()
	}
	v := p.view(c, "staff_afspraak.title", d)
	v.Path = "/medewerker/afspraken"
	v.Back = link(c, "/medewerker")
	return v
}

func (p *Portal) staffAppointments(c echo.Context) error {
	d := staffBookingData{Form: staffBookingForm{Weekdagen: []string{"1", "2", "3", "4", "5"}, Tijden: "09:00 10:00 11:00", Capaciteit: "2"}}
	if n := c.QueryParam("gepubliceerd"); n != "" {
		if _, err := strconv.Atoi(n); err == nil {
			d.Published = n
		}
	}
	d.Recorded = c.QueryParam("vastgelegd") == "1"
	if n := c.QueryParam("gesloten"); n != "" {
		if _, err := strconv.Atoi(n); err == nil {
			d.Closed = n
		}
	}
	return p.Render.Render(c, http.StatusOK, "medewerker_afspraken", p.staffBookingView(c, d))
}

func (p *Portal) staffPublish(c echo.Context) error {
	var form staffBookingForm
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	k, office := kanaalOf(form.Kanaal)
	pub := domain.Publicatie{Soort: domain.AfspraakSoort(form.Soort), Kanaal: k, Kantoor: office, Tijden: strings.Fields(form.Tijden)}
	var vs []domain.Violation
	var err error
	if pub.From, err = domain.ParseDate(form.Van); err != nil {
		vs = append(vs, domain.Violation{Field: "van", MessageID: "error.date_invalid"})
	}
	if pub.To, err = domain.ParseDate(form.Tot); err != nil {
		vs = append(vs, domain.Violation{Field: "tot", MessageID: "error.date_invalid"})
	}
	for _, w := range form.Weekdagen {
		n, err := strconv.Atoi(w)
		if err != nil || n < 0 || n > 6 {
			vs = append(vs, domain.Violation{Field: "weekdagen", MessageID: "error.afspraak_weekdays"})
			break
		}
		pub.Weekdagen = append(pub.Weekdagen, time.Weekday(n))
	}
	if pub.Capaciteit, err = strconv.Atoi(form.Capaciteit); err != nil {
		pub.Capaciteit = 0
	}
	var n int
	if len(vs) > 0 {
		err = domain.Invalid(vs...)
	} else {
		n, err = p.Service.PublishSlots(c.Request().Context(), session(c).StaffID, pub)
	}
	var de *domain.Error
	if errors.As(err, &de) && de.Kind == domain.KindInvalid {
		v := p.staffBookingView(c, staffBookingData{Form: form})
		v.Errors = fieldErrors(v, de, "soort")
		for i, e := range v.Errors {
			if e.Field == "kanaal" || e.Field == "kantoor" {
				v.Errors[i].Field = "kanaal"
			}
			if e.Field == "weekdagen" {
				v.Errors[i].Field = "weekdagen-1"
			}
		}
		return p.Render.Render(c, http.StatusBadRequest, "medewerker_afspraken", v)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, fmt.Sprintf("/medewerker/afspraken?gepubliceerd=%d", n)))
}

// dayFilter reads the day view's "plaats" answer: "" for all, a channel, or "kantoor:CODE".
func dayFilter(plaats string) app.DayFilter {
	if code, ok := strings.CutPrefix(plaats, "kantoor:"); ok {
		return app.DayFilter{Kantoor: code}
	}
	return app.DayFilter{Kanaal: domain.AfspraakKanaal(plaats)}
}

func (p *Portal) staffDay(c echo.Context) error {
	var form struct {
		Dag    string `form:"dag" validate:"max=10"`
		Plaats string `form:"plaats" validate:"max=60"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	data := staffBookingData{DayInput: form.Dag, Plaats: form.Plaats, Form: staffBookingForm{Capaciteit: "2"}}
	d, err := domain.ParseDate(form.Dag)
	if err != nil {
		v := p.staffBookingView(c, data)
		v.Errors = []FieldError{{Field: "dag", Message: v.Text("error.date_invalid")}}
		return p.Render.Render(c, http.StatusBadRequest, "medewerker_afspraken", v)
	}
	day, err := p.Service.DayAppointments(c.Request().Context(), session(c).StaffID, d, dayFilter(form.Plaats))
	var de *domain.Error
	if errors.As(err, &de) && de.Kind == domain.KindInvalid {
		v := p.staffBookingView(c, data)
		v.Errors = []FieldError{{Field: "plaats", Message: v.Text(de.Violations[0].MessageID)}}
		return p.Render.Render(c, http.StatusBadRequest, "medewerker_afspraken", v)
	}
	if err != nil {
		return err
	}
	data.Day = &day
	return p.Render.Render(c, http.StatusOK, "medewerker_afspraken", p.staffBookingView(c, data))
}

func (p *Portal) staffCloseSlot(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Errorf(domain.KindNotFound, "error.afspraak_slot_unknown")
	}
	n, err := p.Service.CloseSlot(c.Request().Context(), session(c).StaffID, id)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, fmt.Sprintf("/medewerker/afspraken?gesloten=%d", n)))
}

// staffMark records how an appointment went. A missing outcome shows the day again with the error
// at that appointment.
func (p *Portal) staffMark(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Errorf(domain.KindNotFound, "error.afspraak_not_found")
	}
	var form struct {
		Uitkomst string `form:"uitkomst" validate:"max=20"`
		Notities string `form:"notities" validate:"max=10000"`
		Dag      string `form:"dag" validate:"max=10"`
		Plaats   string `form:"plaats" validate:"max=60"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	ctx := c.Request().Context()
	_, err = p.Service.MarkAppointment(ctx, session(c).StaffID, id, domain.AfspraakStatus(form.Uitkomst), form.Notities)
	var de *domain.Error
	if errors.As(err, &de) && de.Kind == domain.KindInvalid {
		d, perr := domain.ParseDate(form.Dag)
		if perr != nil {
			return err
		}
		day, derr := p.Service.DayAppointments(ctx, session(c).StaffID, d, dayFilter(form.Plaats))
		if derr != nil {
			return derr
		}
		v := p.staffBookingView(c, staffBookingData{Day: &day, DayInput: form.Dag, Plaats: form.Plaats, Form: staffBookingForm{Capaciteit: "2"}})
		v.Errors = fieldErrors(v, de, "uitkomst")
		for i := range v.Errors {
			v.Errors[i].Field = fmt.Sprintf("%s-%d", v.Errors[i].Field, id)
		}
		return p.Render.Render(c, http.StatusBadRequest, "medewerker_afspraken", v)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/medewerker/afspraken?vastgelegd=1"))
}
