package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

func (c *client) slots(tok, soort, query string) api.TijdslotenLijst {
	c.t.Helper()
	_, body := c.get(tok, "/v2/afspraaktypen/"+soort+"/tijdsloten"+query, http.StatusOK)
	var l api.TijdslotenLijst
	mustJSON(c.t, body, &l)
	return l
}

func (c *client) book(tok, key, body string) (*http.Response, string) {
	c.t.Helper()
	return c.do(newRequest(http.MethodPost, "/v2/mijn/afspraken", body, bearer(tok), header("Idempotency-Key", key)))
}

// TestAfspraakTypes: the hearing is bookable only with a fine pre-announcement (ahmad).
func TestAfspraakTypes(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	for persona, want := range map[string]bool{"ahmad": true, "dawit": false} {
		_, body := c.get(c.token(persona), "/v2/afspraaktypen", http.StatusOK)
		var l api.AfspraaktypenLijst
		mustJSON(t, body, &l)
		if len(l.Afspraaktypen) != 3 || l.Afspraaktypen[0].Soort != api.AfspraakSoortHoorzitting || l.Afspraaktypen[0].MagBoeken != want ||
			!l.Afspraaktypen[0].AlleenMetVooraankondiging || !l.Afspraaktypen[1].MagBoeken {
			t.Errorf("%s: %s", persona, body)
		}
	}
}

// TestTijdslotenPagination: the cursor and the Link header lead through every free slot once,
// earliest first, from tomorrow; the channel filter holds.
func TestTijdslotenPagination(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	tok := c.token("dawit")
	all := c.slots(tok, "lening", "?kanaal=telefoon&limit=100")
	if len(all.Tijdsloten) < 20 || all.Volgende != nil {
		t.Fatalf("%d slots, next %v", len(all.Tijdsloten), all.Volgende)
	}
	var seen []int64
	next := "?kanaal=telefoon&limit=7"
	for next != "" {
		res, body := c.get(tok, "/v2/afspraaktypen/lening/tijdsloten"+next, http.StatusOK)
		var l api.TijdslotenLijst
		mustJSON(t, body, &l)
		for _, s := range l.Tijdsloten {
			if s.Kanaal != api.KanaalTelefoon || s.Soort != api.AfspraakSoortLening || s.VrijePlaatsen < 1 {
				t.Fatalf("slot %+v", s)
			}
			seen = append(seen, s.ID)
		}
		next = ""
		if link := res.Header.Get("Link"); link != "" {
			target := strings.TrimSuffix(strings.TrimPrefix(link, "</v2/afspraaktypen/lening/tijdsloten"), `>; rel="next"`)
			if l.Volgende == nil || !strings.Contains(target, *l.Volgende) {
				t.Fatalf("Link %q and volgende %v disagree", link, l.Volgende)
			}
			next = target
		}
	}
	if len(seen) != len(all.Tijdsloten) {
		t.Fatalf("pages gave %d slots, one page %d", len(seen), len(all.Tijdsloten))
	}
	for i, s := range all.Tijdsloten {
		if seen[i] != s.ID {
			t.Fatalf("order differs at %d", i)
		}
		if i > 0 && s.Begintijd.Before(all.Tijdsloten[i-1].Begintijd) {
			t.Fatalf("not earliest first at %d", i)
		}
	}
	if got := domain.Today(all.Tijdsloten[0].Begintijd); got != domain.Today(testenv.Now).AddDays(1) {
		t.Fatalf("first slot on %s, want tomorrow", got)
	}
	res, body := c.do(newRequest(http.MethodGet, "/v2/afspraaktypen/lening/tijdsloten?cursor=bad", "", bearer(tok)))
	mustProblem(t, res, body, http.StatusBadRequest)
	res, body = c.do(newRequest(http.MethodGet, "/v2/afspraaktypen/lening/tijdsloten?kanaal=kantoor", "", bearer(tok)))
	if p := mustProblem(t, res, body, http.StatusBadRequest); strings.Join(p.violations(), ",") != "kanaal:error.afspraak_kanaal_unknown" {
		t.Fatalf("violations %v", p.violations())
	}
}

// TestAfspraakBookMoveCancel: book with an Idempotency-Key (a retry returns the same appointment),
// read it with its ETag, move it with If-Match (428 without, 412 stale), cancel it.
func TestAfspraakBookMoveCancel(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	tok := c.token("dawit")
	slots := c.slots(tok, "lening", "?kanaal=video&limit=100").Tijdsloten
	first, later := slots[len(slots)/2], slots[len(slots)-1]
	body := fmt.Sprintf(`{"soort":"lening","tijdslotId":%d,"tolkTaal":"ti"}`, first.ID)
	res, out := c.book(tok, "k-1", body)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("book: %d %s", res.StatusCode, out)
	}
	var a api.Afspraak
	mustJSON(t, out, &a)
	if a.Status != api.AfspraakStatusGepland || a.Tijdslot.ID != first.ID || a.TolkTaal == nil || *a.TolkTaal != "ti" || !a.WijzigenMogelijk ||
		res.Header.Get("ETag") != `"1"` || res.Header.Get("Location") != fmt.Sprintf("/v2/mijn/afspraken/%d", a.ID) {
		t.Fatalf("booked: %s %v", out, res.Header)
	}
	// The same key and body: the stored response (201, its Location and ETag), nothing new.
	created := out
	res, out = c.book(tok, "k-1", body)
	var again api.Afspraak
	mustJSON(t, out, &again)
	if res.StatusCode != http.StatusCreated || again.ID != a.ID || out != created || res.Header.Get("Idempotent-Replayed") != "true" ||
		res.Header.Get("ETag") != `"1"` || res.Header.Get("Location") != fmt.Sprintf("/v2/mijn/afspraken/%d", a.ID) {
		t.Fatalf("retry: %d %s %v", res.StatusCode, out, res.Header)
	}
	// The same key with another body: 422, nothing booked.
	for _, other := range []string{
		fmt.Sprintf(`{"soort":"lening","tijdslotId":%d}`, first.ID),
		fmt.Sprintf(`{"soort":"lening","tijdslotId":%d,"tolkTaal":"ti"}`, later.ID),
	} {
		res, out = c.book(tok, "k-1", other)
		if p := mustProblem(t, res, out, http.StatusUnprocessableEntity); !strings.HasSuffix(p.Type, "error.idempotency_key_reused") {
			t.Fatalf("key reuse: %s", out)
		}
	}
	// Keys are scoped per person: another person's k-1 is a request of its own.
	tok2 := c.token("olena")
	res, out = c.book(tok2, "k-1", body)
	if res.StatusCode == http.StatusUnprocessableEntity || res.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("other person's key: %d %s", res.StatusCode, out)
	}
	// A second open appointment of the type: 409.
	res, out = c.book(tok, "k-2", fmt.Sprintf(`{"soort":"lening","tijdslotId":%d}`, later.ID))
	if p := mustProblem(t, res, out, http.StatusConflict); !strings.HasSuffix(p.Type, "error.afspraak_already_open") {
		t.Fatalf("second: %s", out)
	}
	// Without an Idempotency-Key: 400.
	res, out = c.do(newRequest(http.MethodPost, "/v2/mijn/afspraken", body, bearer(tok)))
	mustProblem(t, res, out, http.StatusBadRequest)

	self := fmt.Sprintf("/v2/mijn/afspraken/%d", a.ID)
	res, _ = c.get(tok, self, http.StatusOK)
	if res.Header.Get("ETag") != `"1"` {
		t.Fatalf("ETag %q", res.Header.Get("ETag"))
	}
	move := fmt.Sprintf(`{"tijdslotId":%d}`, later.ID)
	res, out = c.do(newRequest(http.MethodPatch, self, move, bearer(tok)))
	mustProblem(t, res, out, http.StatusPreconditionRequired)
	res, out = c.do(newRequest(http.MethodPatch, self, move, bearer(tok), header("If-Match", `"7"`)))
	mustProblem(t, res, out, http.StatusPreconditionFailed)
	res, out = c.do(newRequest(http.MethodPatch, self, `{"tijdslotId":1,"status":"geannuleerd"}`, bearer(tok), header("If-Match", `"1"`)))
	mustProblem(t, res, out, http.StatusBadRequest)
	res, out = c.do(newRequest(http.MethodPatch, self, move, bearer(tok), header("If-Match", `"1"`)))
	if res.StatusCode != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("move: %d %s", res.StatusCode, out)
	}
	mustJSON(t, out, &a)
	if a.Tijdslot.ID != later.ID {
		t.Fatalf("moved: %s", out)
	}
	// The stale ETag of before the move: 412, nothing changes.
	res, out = c.do(newRequest(http.MethodPatch, self, `{"status":"geannuleerd"}`, bearer(tok), header("If-Match", `"1"`)))
	mustProblem(t, res, out, http.StatusPreconditionFailed)
	res, out = c.do(newRequest(http.MethodPatch, self, `{"status":"geannuleerd"}`, bearer(tok), header("If-Match", `"2"`)))
	mustJSON(t, out, &a)
	if res.StatusCode != http.StatusOK || a.Status != api.AfspraakStatusGeannuleerd || a.WijzigenMogelijk {
		t.Fatalf("cancel: %d %s", res.StatusCode, out)
	}
	// The portal shows the same.
	ctx := context.Background()
	dawit, _ := c.a.Service.PersonaLogin(ctx, "dawit")
	got, err := c.a.Service.Afspraak(ctx, dawit.ID, a.ID)
	if err != nil || got.Status != domain.AfspraakGeannuleerd || got.Slot.ID != later.ID {
		t.Fatalf("use case: %+v %v", got, err)
	}
	// Someone else's appointment is not found.
	res, out = c.do(newRequest(http.MethodGet, self, "", bearer(c.token("olena"))))
	mustProblem(t, res, out, http.StatusNotFound)
	// The hearing without a pre-announcement: 403.
	hearing := c.slots(tok, "hoorzitting", "?limit=1").Tijdsloten[0]
	res, out = c.book(tok, "k-3", fmt.Sprintf(`{"soort":"hoorzitting","tijdslotId":%d}`, hearing.ID))
	mustProblem(t, res, out, http.StatusForbidden)
	// A slot of another type: 400.
	res, out = c.book(tok, "k-4", fmt.Sprintf(`{"soort":"medische_aanvraag","tijdslotId":%d}`, hearing.ID))
	if p := mustProblem(t, res, out, http.StatusBadRequest); strings.Join(p.violations(), ",") != "tijdslot:error.afspraak_slot_other_type" {
		t.Fatalf("other type: %s", out)
	}
}

// TestAfspraakStormTwoInstances: two app instances on one database (PostgreSQL when
// TEST_DATABASE_URL is set) take 200 concurrent bookings over HTTP for a slot of capacity 2;
// exactly 2 get 201, every other one 409 error.afspraak_slot_taken.
func TestAfspraakStormTwoInstances(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	a := testenv.New(t, testenv.Options{Clock: clock})
	st, err := wire.Open(context.Background(), a.Config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b, err := wire.Build(context.Background(), a.Config, st, wire.Options{Now: clock.Now, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ca, cb := wrap(t, a), wrap(t, b)
	const n = 200
	toks := make([]string, n)
	ctx := context.Background()
	for i := range toks {
		p := &domain.Inburgeraar{BSN: domain.BSN(fmt.Sprintf("8%08d", i)), Name: "Storm", TargetGroup: domain.Gezinsmigrant,
			ObligationStart: domain.NewDate(2023, 5, 1), Payer: domain.PayerLoan, PreferredLanguage: "nl"}
		persona := fmt.Sprintf("storm%d", i)
		if err := a.Store.CreateInburgeraar(ctx, p, persona); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			toks[i] = ca.token(persona)
		} else {
			toks[i] = cb.token(persona)
		}
	}
	slot := ca.slots(toks[0], "lening", "?kanaal=telefoon&limit=1").Tijdsloten[0]
	var wg sync.WaitGroup
	codes := make([]int, n)
	types := make([]string, n)
	for i := range n {
		c := ca
		if i%2 == 1 {
			c = cb
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, body := c.send(newRequest(http.MethodPost, "/v2/mijn/afspraken", fmt.Sprintf(`{"soort":"lening","tijdslotId":%d}`, slot.ID),
				bearer(toks[i]), header("Idempotency-Key", "storm")))
			codes[i] = res.StatusCode
			if res.StatusCode != http.StatusCreated {
				var p struct{ Type string }
				_ = json.Unmarshal([]byte(body), &p)
				types[i] = p.Type
			}
		}()
	}
	wg.Wait()
	created := 0
	for i, code := range codes {
		switch {
		case code == http.StatusCreated:
			created++
		case code == http.StatusConflict && strings.HasSuffix(types[i], "error.afspraak_slot_taken"):
		default:
			t.Errorf("request %d: %d %s", i, code, types[i])
		}
	}
	if created != slot.VrijePlaatsen {
		t.Fatalf("%d bookings for %d places", created, slot.VrijePlaatsen)
	}
}

// TestAfsprakenPagination: the person's appointments page by cursor like the other lists, latest
// start first, the Link header and volgende agreeing; a bad cursor or limit is 400.
func TestAfsprakenPagination(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	tok := c.token("dawit")
	for i, soort := range []string{"lening", "medische_aanvraag"} {
		s := c.slots(tok, soort, "?kanaal=telefoon&limit=5").Tijdsloten[i+1]
		if res, out := c.book(tok, fmt.Sprintf("p-%d", i), fmt.Sprintf(`{"soort":%q,"tijdslotId":%d}`, soort, s.ID)); res.StatusCode != http.StatusCreated {
			t.Fatalf("book %s: %d %s", soort, res.StatusCode, out)
		}
	}
	_, body := c.get(tok, "/v2/mijn/afspraken?limit=100", http.StatusOK)
	var all api.AfsprakenLijst
	mustJSON(t, body, &all)
	if len(all.Afspraken) != 2 || all.Volgende != nil || all.Afspraken[0].Tijdslot.Begintijd.Before(all.Afspraken[1].Tijdslot.Begintijd) {
		t.Fatalf("all: %s", body)
	}
	res, body := c.get(tok, "/v2/mijn/afspraken?limit=1", http.StatusOK)
	var p1 api.AfsprakenLijst
	mustJSON(t, body, &p1)
	if len(p1.Afspraken) != 1 || p1.Volgende == nil || p1.Afspraken[0].ID != all.Afspraken[0].ID ||
		res.Header.Get("Link") != fmt.Sprintf(`</v2/mijn/afspraken?cursor=%s&limit=1>; rel="next"`, *p1.Volgende) {
		t.Fatalf("page 1: %s %v", body, res.Header)
	}
	res, body = c.get(tok, "/v2/mijn/afspraken?limit=1&cursor="+*p1.Volgende, http.StatusOK)
	var p2 api.AfsprakenLijst
	mustJSON(t, body, &p2)
	if len(p2.Afspraken) != 1 || p2.Volgende != nil || p2.Afspraken[0].ID != all.Afspraken[1].ID || res.Header.Get("Link") != "" {
		t.Fatalf("page 2: %s %v", body, res.Header)
	}
	for _, q := range []string{"?cursor=bad", "?limit=0", "?limit=101"} {
		res, body = c.do(newRequest(http.MethodGet, "/v2/mijn/afspraken"+q, "", bearer(tok)))
		mustProblem(t, res, body, http.StatusBadRequest)
	}
}

// TestAfspraakIdempotencyRunning: a person's booking key claimed by a request still running:
// the same request again is 409 (error.idempotency_running), another body 422 — through the
// middleware for another body, and through the use case it calls for the running one (the HTTP
// path of 409 is the schools' middleware, tested there). Keys are scoped per person.
func TestAfspraakIdempotencyRunning(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	tok := c.token("dawit")
	dawit, err := c.a.Service.PersonaLogin(context.Background(), "dawit")
	if err != nil {
		t.Fatal(err)
	}
	olena, err := c.a.Service.PersonaLogin(context.Background(), "olena")
	if err != nil {
		t.Fatal(err)
	}
	slot := c.slots(tok, "lening", "?kanaal=video&limit=1").Tijdsloten[0]
	body := fmt.Sprintf(`{"soort":"lening","tijdslotId":%d}`, slot.ID)
	ctx := app.WithPrincipal(context.Background(), app.InburgeraarPrincipal(dawit.ID))
	if stored, err := c.a.Service.BeginIdempotent(ctx, "running-1", "fingerprint-a", nil); err != nil || stored != nil {
		t.Fatalf("claim: %v %v", stored, err)
	}
	if _, err := c.a.Service.BeginIdempotent(ctx, "running-1", "fingerprint-a", nil); domain.ErrorKind(err) != domain.KindConflict {
		t.Fatalf("same request while running: %v", err)
	}
	if _, err := c.a.Service.BeginIdempotent(ctx, "running-1", "fingerprint-b", nil); domain.ErrorKind(err) != domain.KindUnprocessable {
		t.Fatalf("other request: %v", err)
	}
	other := app.WithPrincipal(context.Background(), app.InburgeraarPrincipal(olena.ID))
	if stored, err := c.a.Service.BeginIdempotent(other, "running-1", "fingerprint-b", nil); err != nil || stored != nil {
		t.Fatalf("another person's key: %v %v", stored, err)
	}
	res, out := c.book(tok, "running-1", body)
	if p := mustProblem(t, res, out, http.StatusUnprocessableEntity); !strings.HasSuffix(p.Type, "error.idempotency_key_reused") {
		t.Fatalf("other body while running: %s", out)
	}
}
