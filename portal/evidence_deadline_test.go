package portal_test

// The evidence deadline on the days that matter (followups): an inburgeraar asked for evidence,
// or told that DUO intends to refuse, is asked to act "by {date}". Rendered through the real
// router on the day before that date, the date itself (up to its last minute: still open), the
// first minutes of the next Dutch day (still the deadline's date in UTC: the deadline job, which
// runs at Amsterdam midnight, may not have run yet, and in this test it never runs, so the status
// still names the step whose time is up), the day after, and the last day of the person's term:
// no page and no API answer may advise an action by a date that has passed, and once it has
// passed they say that the period ended on that date and what happens now.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/internal/testenv"
)

var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at is the instant hh:mm on day d in Amsterdam.
func at(d domain.Date, hh, mm int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hh, mm, 0, 0, amsterdam)
}

func TestEvidenceDeadlineTrueOnTheDay(t *testing.T) {
	if testing.Short() {
		t.Skip("renders the personas with open verification steps on many days")
	}
	h := newHarnessOpts(t, testenv.Options{DemoDeclarations: true})
	ctx := context.Background()

	// Every persona with a running step gets the letters its steps send, so the inbox is
	// rendered too; the instants that matter come from the declarations and the term.
	type dayCase struct {
		persona string
		when    []time.Time
	}
	var cases []dayCase
	covered := map[domain.DeclarationStatus]bool{}
	for _, persona := range []string{"yusuf", "olena", "samira", "ahmad"} {
		p, err := h.app.Store.InburgeraarByPersona(ctx, persona)
		if err != nil {
			t.Fatal(err)
		}
		ho, err := h.app.Service.HoursOverview(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		o, err := h.app.Service.Overview(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		set := map[time.Time]bool{testenv.Now: true}
		for _, d := range ho.Declarations {
			if d.Deadline == nil {
				continue
			}
			covered[d.Status] = true
			dl := *d.Deadline
			for _, w := range []time.Time{at(dl.AddDays(-1), 12, 0), at(dl, 0, 30), at(dl, 23, 30), at(dl.AddDays(1), 0, 30), at(dl.AddDays(1), 12, 0)} {
				set[w] = true
			}
			kind := map[domain.DeclarationStatus]domain.BerichtKind{domain.DeclarationAskEvidence: app.BerichtEvidenceAsked, domain.DeclarationIntentToRefuse: app.BerichtIntentToRefuse}[d.Status]
			if kind != "" {
				if err := h.app.Store.AddBericht(ctx, &domain.Bericht{InburgeraarID: p.ID, Kind: kind, CreatedAt: testenv.Now, Params: map[string]string{
					"Reactiedatum": dl.String(), "Kenmerk": app.DeclarationReference(d.ID), "UrenverklaringId": strconv.FormatInt(d.ID, 10), "School": ho.SchoolNames[d.SchoolID],
				}}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if o.Term.End != nil {
			set[at(*o.Term.End, 12, 0)] = true
			set[at(*o.Term.End, 23, 30)] = true
		}
		c := dayCase{persona: persona}
		for w := range set {
			c.when = append(c.when, w)
		}
		sort.Slice(c.when, func(i, j int) bool { return c.when[i].Before(c.when[j]) })
		cases = append(cases, c)
	}
	for _, s := range []domain.DeclarationStatus{domain.DeclarationAskSchool, domain.DeclarationAskEvidence, domain.DeclarationIntentToRefuse} {
		if !covered[s] {
			t.Fatalf("no demo declaration in status %s: the test would not see its deadline", s)
		}
	}

	// Each instant moves the shared clock; they run one after the other. No job runs.
	for _, c := range cases {
		for _, w := range c.when {
			t.Run(c.persona+"/"+w.Format("2006-01-02T15:04MST"), func(t *testing.T) {
				h.clock.Advance(w.Sub(h.clock.Now()))
				h.checkEvidenceOnDay(t, c.persona, domain.Today(w))
			})
		}
	}
	h.clock.Advance(testenv.Now.Sub(h.clock.Now()))
}

func (h *harness) checkEvidenceOnDay(t *testing.T, persona string, today domain.Date) {
	t.Helper()
	ctx := context.Background()
	p, err := h.app.Store.InburgeraarByPersona(ctx, persona)
	if err != nil {
		t.Fatal(err)
	}
	ho, err := h.app.Service.HoursOverview(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ho.Today != today {
		t.Fatalf("the service reads %s, the Dutch date is %s", ho.Today, today)
	}
	inbox, err := h.app.Service.Berichten(ctx, p.ID, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	b := h.login("nl", persona) // a fresh session: the clock may have jumped past the last one
	token := h.demoToken(t, persona)
	for _, l := range h.app.Bundle.Languages() {
		lang := l.Code
		loc, _ := h.app.Bundle.Lookup(lang)
		date := func(d domain.Date) string { return loc.Date(d.Year, d.Month, d.Day) }
		// explain is what a card says of d today: the step's text, or once its deadline has
		// passed, the text that says so. Written here from the rule, not from the view's code.
		explain := func(d domain.Declaration) string {
			id := "hours.explain." + string(d.Status)
			if d.Deadline == nil {
				return loc.T(id, nil)
			}
			if d.Deadline.Before(today) {
				id += "_passed"
			}
			return loc.T(id, map[string]any{"Date": date(*d.Deadline)})
		}

		// The hours page: one card per declaration, newest first.
		pg := get(t, b, "/"+lang+"/mijn/urenverklaringen")
		wantStatus(t, pg, http.StatusOK)
		h.checkNoPassedAdvice(t, lang+"/mijn/urenverklaringen", pg, loc, today)
		cards := queryAll(t, pg.Doc, "ul.declarations li.declaration")
		if len(cards) != len(ho.Declarations) {
			t.Fatalf("%s: %d cards, want %d", lang, len(cards), len(ho.Declarations))
		}
		for i, d := range ho.Declarations {
			card := text(cards[i])
			if want := explain(d); !strings.Contains(card, collapse(want)) {
				t.Errorf("%s on %s: card of %s (deadline %v) does not say %q:\n%s", lang, today, d.Status, d.Deadline, want, card)
			}
			if d.Deadline != nil && d.Deadline.Before(today) {
				if advice := loc.T("hours.explain."+string(d.Status), map[string]any{"Date": date(*d.Deadline)}); strings.Contains(card, collapse(advice)) {
					t.Errorf("%s on %s: card still advises %q", lang, today, advice)
				}
			}
			// On the deadline day itself the step is still open and the card says by when.
			asks := d.Status == domain.DeclarationAskEvidence || d.Status == domain.DeclarationIntentToRefuse
			if marked := queryAll(t, cards[i], "[data-advice-date]"); asks && d.Deadline != nil && !d.Deadline.Before(today) {
				if len(marked) != 1 || attrOr(marked[0], "data-advice-date") != d.Deadline.String() {
					t.Errorf("%s on %s: the open %s card is not marked with its deadline %s", lang, today, d.Status, d.Deadline)
				}
			} else if len(marked) > 0 {
				t.Errorf("%s on %s: the %s card (deadline %v) is marked as advice", lang, today, d.Status, d.Deadline)
			}

			// The upload page of each declaration with a running step.
			if d.Deadline == nil {
				continue
			}
			where := lang + "/mijn/urenverklaringen/" + strconv.FormatInt(d.ID, 10) + "/bewijs"
			up := get(t, b, "/"+where)
			wantStatus(t, up, http.StatusOK)
			h.checkNoPassedAdvice(t, where, up, loc, today)
			main := text(mustQuery(t, up.Doc, "main"))
			passed := d.Deadline.Before(today)
			wantLabel, notLabel := loc.T("evidence.deadline", nil), loc.T("evidence.deadline_passed", nil)
			if passed {
				wantLabel, notLabel = notLabel, wantLabel
			}
			var labels []string
			for _, dt := range queryAll(t, up.Doc, "main dl dt") {
				labels = append(labels, text(dt))
			}
			if !contains(labels, wantLabel) || contains(labels, notLabel) {
				t.Errorf("%s on %s: deadline labelled %q, want %q", where, today, labels, wantLabel)
			}
			form := query(t, up.Doc, "main form[enctype='multipart/form-data']") != nil
			switch {
			case d.Status == domain.DeclarationAskEvidence && passed:
				wantText(t, where, main, collapse(loc.T("evidence.intro.bewijs_gevraagd_passed", map[string]any{"Date": date(*d.Deadline)})))
			case d.Status == domain.DeclarationIntentToRefuse && passed:
				wantText(t, where, main, collapse(explain(d)))
			case d.Status == domain.DeclarationAskEvidence || d.Status == domain.DeclarationIntentToRefuse:
				wantText(t, where, main, collapse(loc.T("evidence.intro."+string(d.Status), nil)))
			}
			// Evidence is taken while asked (also late: the intent to refuse takes it as a
			// response) and up to the last day to respond to an intent to refuse.
			if want := d.Status == domain.DeclarationAskEvidence || d.Status == domain.DeclarationIntentToRefuse && !passed; form != want {
				t.Errorf("%s on %s: upload form shown %v, want %v", where, today, form, want)
			}
		}

		// The letters of the verification: the copy of the dated letter keeps its words; once
		// its date has passed the page says what happens now, in the letter's own terms.
		for _, m := range inbox.Berichten {
			if !strings.HasPrefix(string(m.Kind), "urenverklaring_") {
				continue
			}
			where := lang + "/mijn/berichten/" + strconv.FormatInt(m.ID, 10)
			lp := get(t, b, "/"+where)
			wantStatus(t, lp, http.StatusOK)
			h.checkNoPassedAdvice(t, where, lp, loc, today)
			rd, _ := m.ReplyDate()
			main := text(mustQuery(t, lp.Doc, "main"))
			now := collapse(loc.T("bericht."+string(m.Kind)+".reply_passed", loc.MessageParams(m.Params)))
			if got := strings.Contains(main, now); got != rd.Before(today) {
				t.Errorf("%s on %s (reply by %s): says the period ended: %v", where, today, rd, got)
			}
			if strings.Contains(main, collapse(loc.T("bericht.reply_passed", loc.MessageParams(m.Params)))) {
				t.Errorf("%s: the generic reply-passed text, not the letter's own", where)
			}
		}

		h.checkUrenoverzichtAPI(t, token, lang, loc, today, ho.Declarations, explain)
	}
}

// checkNoPassedAdvice: no element marked as advice names a day before today, and (nl, en) no
// sentence outside the copy of a dated letter says "by {a day that has passed}".
func (h *harness) checkNoPassedAdvice(t *testing.T, where string, pg *page, loc *i18n.Localizer, today domain.Date) {
	t.Helper()
	main := mustQuery(t, pg.Doc, "main")
	for _, n := range queryAll(t, main, "[data-advice-date]") {
		if d, err := domain.ParseDate(attrOr(n, "data-advice-date")); err != nil || d.Before(today) {
			t.Errorf("%s on %s: advice by %q: %q", where, today, attrOr(n, "data-advice-date"), text(n))
		}
	}
	if re := adviceDate[loc.Code()]; re != nil {
		for _, m := range re.FindAllStringSubmatch(textOutside(main, "letter"), -1) {
			if d, ok := parseLocalDate(h, loc, m[1]); !ok {
				t.Errorf("%s: cannot read the advised date %q", where, m[1])
			} else if d.Before(today) {
				t.Errorf("%s on %s: %q advises a day that has passed", where, today, m[0])
			}
		}
	}
}

// checkUrenoverzichtAPI: GET /v2/mijn/urenoverzicht in lang says the same as the page, and
// termijnVerstreken follows the Dutch date.
func (h *harness) checkUrenoverzichtAPI(t *testing.T, token, lang string, loc *i18n.Localizer, today domain.Date, want []domain.Declaration, explain func(domain.Declaration) string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/v2/mijn/urenoverzicht", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Language", lang)
	res := h.browser().Do(req)
	body := testenv.ReadBody(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("API urenoverzicht %s: %d %s", lang, res.StatusCode, body)
	}
	var got struct {
		Urenverklaringen []struct {
			ID                int64   `json:"id"`
			Toelichting       string  `json:"toelichting"`
			TermijnTot        *string `json:"termijnTot"`
			TermijnVerstreken *bool   `json:"termijnVerstreken"`
		} `json:"urenverklaringen"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Urenverklaringen) != len(want) {
		t.Fatalf("API %s: %d declarations, want %d", lang, len(got.Urenverklaringen), len(want))
	}
	for i, u := range got.Urenverklaringen {
		d := want[i]
		passed := d.Deadline != nil && d.Deadline.Before(today)
		if u.TermijnVerstreken == nil {
			t.Errorf("API %s on %s: declaration %d without termijnVerstreken", lang, today, u.ID)
		} else if *u.TermijnVerstreken != passed {
			t.Errorf("API %s on %s: declaration %d termijnVerstreken %v, want %v", lang, today, u.ID, *u.TermijnVerstreken, passed)
		}
		if !strings.HasPrefix(u.Toelichting, explain(d)) {
			t.Errorf("API %s on %s: declaration %d says %q, want %q", lang, today, u.ID, u.Toelichting, explain(d))
		}
		if re := adviceDate[lang]; re != nil {
			for _, m := range re.FindAllStringSubmatch(u.Toelichting, -1) {
				if dd, ok := parseLocalDate(h, loc, m[1]); ok && dd.Before(today) {
					t.Errorf("API %s on %s: %q advises a day that has passed", lang, today, m[0])
				}
			}
		}
	}
}

// demoToken is an inburgeraar's API token for persona, from the demo token endpoint.
func (h *harness) demoToken(t *testing.T, persona string) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/v2/demo-tokens", strings.NewReader(`{"persona":"`+persona+`"}`))
	req.Header.Set("Content-Type", "application/json")
	res := h.browser().Do(req)
	var tok struct {
		AccessToken string `json:"accessToken"`
	}
	if err := json.Unmarshal([]byte(testenv.ReadBody(t, res)), &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("demo token for %s: %d %v", persona, res.StatusCode, err)
	}
	return tok.AccessToken
}

// collapse folds white space as text() does, so a message can be found in a page's text.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
