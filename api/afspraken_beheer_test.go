package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
)

// TestStaffAppointmentsAPI: under scope afspraken:beheren staff publish times in bulk (a repeat
// publishes nothing twice), see a day per channel with the people and their interpreter needs,
// close a time (the people in it lapse), record how an appointment went (once, from its start)
// and change the settings; the inburgeraar's API follows the settings. Other tokens get 403,
// none 401.
func TestStaffAppointmentsAPI(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(testenv.Now)
	c := newClient(t, testenv.Options{Clock: clock})
	staff := c.token(app.DemoStaffPersona)
	dawit, ahmad := c.token("dawit"), c.token("ahmad")
	staffDo := func(method, target, body string) (*http.Response, string) {
		return c.do(newRequest(method, target, body, bearer(staff)))
	}

	// Who may call: a person's token 403, no token 401.
	res, body := c.do(newRequest(http.MethodGet, "/v2/medewerker/afspraakinstellingen", "", bearer(dawit)))
	mustProblem(t, res, body, http.StatusForbidden)
	res, body = c.do(newRequest(http.MethodGet, "/v2/medewerker/afspraakinstellingen", ""))
	mustProblem(t, res, body, http.StatusUnauthorized)

	// Publish 07:15 every day of the coming week, twice.
	today := domain.Today(clock.Now())
	from, to := today.AddDays(1), today.AddDays(7)
	pub := fmt.Sprintf(`{"soort":"lening","kanaal":"telefoon","van":"%s","tot":"%s","weekdagen":[1,2,3,4,5,6,7],"tijden":["07:15"],"capaciteit":2}`, from, to)
	for i, want := range []int{7, 0} {
		res, body = staffDo(http.MethodPost, "/v2/medewerker/tijdsloten", pub)
		var r api.TijdslotPublicatieResultaat
		if res.StatusCode != http.StatusOK {
			t.Fatalf("publish %d: %d %s", i, res.StatusCode, body)
		}
		mustJSON(t, body, &r)
		if r.Gepubliceerd != want {
			t.Fatalf("publish %d: %d new, want %d", i, r.Gepubliceerd, want)
		}
	}
	res, body = staffDo(http.MethodPost, "/v2/medewerker/tijdsloten", strings.Replace(pub, `"tijden":["07:15"]`, `"tijden":["7 uur"]`, 1))
	mustProblem(t, res, body, http.StatusBadRequest)

	// Two people book the first of them (tomorrow 07:15); a second time stays empty.
	slots := c.slots(dawit, "lening", "?kanaal=telefoon&limit=3").Tijdsloten
	first, empty := slots[0], slots[1]
	if h := domain.Amsterdam(first.Begintijd); h.Hour() != 7 || h.Minute() != 15 {
		t.Fatalf("first slot %v", first.Begintijd)
	}
	var booked api.Afspraak
	res, body = c.book(dawit, "s-1", fmt.Sprintf(`{"soort":"lening","tijdslotId":%d,"tolkTaal":"ti"}`, first.ID))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("book: %d %s", res.StatusCode, body)
	}
	mustJSON(t, body, &booked)
	if res, body = c.book(ahmad, "s-2", fmt.Sprintf(`{"soort":"lening","tijdslotId":%d}`, first.ID)); res.StatusCode != http.StatusCreated {
		t.Fatalf("book: %d %s", res.StatusCode, body)
	}

	// The day, telephone only: both people, Dawit with a Tigrinya interpreter.
	day := domain.Today(first.Begintijd)
	res, body = staffDo(http.MethodPost, "/v2/medewerker/afspraakdagoverzichten", fmt.Sprintf(`{"datum":"%s","kanaal":"telefoon"}`, day))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("day: %d %s", res.StatusCode, body)
	}
	var d api.Dagoverzicht
	mustJSON(t, body, &d)
	names := map[string]*string{}
	for _, a := range d.Afspraken {
		if a.Tijdslot.Kanaal != api.KanaalTelefoon {
			t.Fatalf("another channel: %+v", a)
		}
		names[a.Naam] = a.TolkTaal
	}
	if tolk, ok := names["Dawit Tesfay"]; !ok || tolk == nil || *tolk != "ti" || len(d.Tijdsloten) == 0 {
		t.Fatalf("day: %s", body)
	}
	if _, ok := names["Ahmad Karimi"]; !ok {
		t.Fatalf("day without Ahmad: %s", body)
	}
	res, body = staffDo(http.MethodPost, "/v2/medewerker/afspraakdagoverzichten", fmt.Sprintf(`{"datum":"%s","kanaal":"telefoon","kantoor":"groningen"}`, day))
	mustProblem(t, res, body, http.StatusBadRequest)

	// Close the empty time; again is 409.
	res, body = staffDo(http.MethodPatch, fmt.Sprintf("/v2/medewerker/tijdsloten/%d", empty.ID), `{"gesloten":true}`)
	var closed api.TijdslotSluiting
	if res.StatusCode != http.StatusOK {
		t.Fatalf("close: %d %s", res.StatusCode, body)
	}
	mustJSON(t, body, &closed)
	if !closed.Tijdslot.Gesloten || closed.VervallenAfspraken != 0 {
		t.Fatalf("closed: %s", body)
	}
	res, body = staffDo(http.MethodPatch, fmt.Sprintf("/v2/medewerker/tijdsloten/%d", empty.ID), `{"gesloten":true}`)
	mustProblem(t, res, body, http.StatusConflict)
	res, body = staffDo(http.MethodPatch, "/v2/medewerker/tijdsloten/999999", `{"gesloten":true}`)
	mustProblem(t, res, body, http.StatusNotFound)

	// Held: not before the start; then once.
	mark := fmt.Sprintf("/v2/medewerker/afspraken/%d", booked.ID)
	res, body = staffDo(http.MethodPatch, mark, `{"uitkomst":"gehouden","notities":"Besproken."}`)
	if p := mustProblem(t, res, body, http.StatusConflict); problemID(p) != "error.afspraak_not_started" {
		t.Fatalf("before the start: %s", body)
	}
	res, body = staffDo(http.MethodPatch, mark, `{"uitkomst":"misschien"}`)
	mustProblem(t, res, body, http.StatusBadRequest)
	clock.Advance(first.Begintijd.Sub(clock.Now()) + time.Minute)
	staff = c.token(app.DemoStaffPersona) // the first token expired with the clock
	res, body = staffDo(http.MethodPatch, mark, `{"uitkomst":"gehouden","notities":"Besproken."}`)
	var held api.MedewerkerAfspraak
	if res.StatusCode != http.StatusOK {
		t.Fatalf("mark: %d %s", res.StatusCode, body)
	}
	mustJSON(t, body, &held)
	if held.Status != api.MedewerkerAfspraakStatusGehouden || held.Notities != "Besproken." || held.Naam != "Dawit Tesfay" {
		t.Fatalf("held: %s", body)
	}
	res, body = staffDo(http.MethodPatch, mark, `{"uitkomst":"niet_verschenen"}`)
	mustProblem(t, res, body, http.StatusConflict)

	// Settings: read, a refused change (every violation, nothing stored), a change the
	// inburgeraar's API then shows.
	res, body = staffDo(http.MethodGet, "/v2/medewerker/afspraakinstellingen", "")
	var cfg api.Afspraakinstellingen
	if res.StatusCode != http.StatusOK {
		t.Fatalf("settings: %d %s", res.StatusCode, body)
	}
	mustJSON(t, body, &cfg)
	if len(cfg.Typen) != 3 || cfg.WijzigtermijnInUren != 24 || cfg.HorizonInDagen != 42 || len(cfg.Kantoren) != 2 {
		t.Fatalf("settings: %s", body)
	}
	bad := `{"typen":[{"soort":"lening","kanalen":["video"],"duurInMinuten":22,"doelgroep":"iedereen"}],"kantoren":[{"code":"utrecht","adres":"Stationsplein 1"}],"wijzigtermijnInUren":24,"horizonInDagen":42}`
	res, body = staffDo(http.MethodPut, "/v2/medewerker/afspraakinstellingen", bad)
	if p := mustProblem(t, res, body, http.StatusBadRequest); strings.Join(p.violations(), ",") != "duur-lening:error.afspraak_config_duration,kantoor:error.afspraak_kantoor_unknown" {
		t.Fatalf("violations %v", p.violations())
	}
	good := `{"typen":[{"soort":"lening","kanalen":["video"],"duurInMinuten":20,"doelgroep":"iedereen"}],"kantoren":[],"wijzigtermijnInUren":48,"horizonInDagen":30}`
	res, body = staffDo(http.MethodPut, "/v2/medewerker/afspraakinstellingen", good)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("change: %d %s", res.StatusCode, body)
	}
	dawit = c.token("dawit")
	_, body = c.get(dawit, "/v2/afspraaktypen", http.StatusOK)
	var types api.AfspraaktypenLijst
	mustJSON(t, body, &types)
	for _, at := range types.Afspraaktypen {
		if at.Soort == api.AfspraakSoortLening && (at.DuurInMinuten != 20 || len(at.Kanalen) != 1 || at.Kanalen[0] != api.KanaalVideo) {
			t.Fatalf("the inburgeraar's API does not follow: %s", body)
		}
	}
}
