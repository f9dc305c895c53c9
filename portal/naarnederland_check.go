package portal

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sync"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/internal/server"
)

// The check "Do I have to integrate, and do I have to take the exam abroad?": one question per
// page, a GET form each, the earlier answers carried in hidden fields. Parameters: the answers
// (nationaliteit, dag, maand, jaar, verblijfsdoel, partnerstatus, opleiding), vraag (the question
// the form answers) and stap (a question to change, from the back link or the summary).

// checkParams are the query parameters that carry answers, per question.
var checkParams = map[domain.Vraag][]string{
	domain.VraagNationaliteit: {"nationaliteit"},
	domain.VraagGeboortedatum: {"dag", "maand", "jaar"},
	domain.VraagVerblijfsdoel: {"verblijfsdoel"},
	domain.VraagPartnerstatus: {"partnerstatus"},
	domain.VraagOpleiding:     {"opleiding"},
}

type hiddenField struct{ Name, Value string }

type checkOption struct {
	Value, LabelID string
}

type country struct{ Code, Name string }

type answerRow struct {
	Question domain.Vraag
	Answer   string
	Change   string
}

// checkView is what nn_check.html shows: one question, or the result.
type checkView struct {
	Question  domain.Vraag
	Hidden    []hiddenField
	Values    map[string]string
	Countries []country
	Options   []checkOption
	Result    *app.Check
	Answers   []answerRow
	Restart   string
	Figures   map[string]any // the figures the messages name, formatted
}

func (n *naarNederland) firstQuestion(l *i18n.Localizer) *checkView {
	return n.question(l, domain.VraagNationaliteit, url.Values{}, domain.CheckAntwoorden{})
}

// check handles every step: without parameters it is the cached first question.
func (n *naarNederland) check(c echo.Context) error {
	q := c.QueryParams()
	if len(q) == 0 {
		return n.serveCached(c, nnPageByKey("check"))
	}
	l := server.Localizer(c)
	for _, vals := range q {
		if len(vals) > 1 || len(vals[0]) > 40 {
			// A repeated or overlong parameter is a manipulated form: start again, with a message.
			return n.checkPage(c, http.StatusBadRequest, n.question(l, domain.VraagNationaliteit, url.Values{}, domain.CheckAntwoorden{}),
				[]FieldError{{Field: string(domain.VraagNationaliteit), Message: l.T("nn.error.manipulated")}})
		}
	}
	submitted := domain.Vraag(q.Get("vraag"))
	if !slices.Contains(domain.Vragen, submitted) {
		submitted = ""
	}
	step := domain.Vraag(q.Get("stap"))
	if !slices.Contains(domain.Vragen, step) {
		step = ""
	}
	if step != "" {
		submitted = ""
	}

	// The answers the URL carries; on a "change" step, those from the step on are asked again.
	carried := url.Values{}
	for _, v := range domain.Vragen {
		if step != "" && v == step {
			break
		}
		for _, name := range checkParams[v] {
			if s := q.Get(name); s != "" {
				carried.Set(name, s)
			}
		}
	}
	in := app.CheckInvoer{
		Nationaliteit: carried.Get("nationaliteit"), GeboorteJaar: carried.Get("jaar"), GeboorteMaand: carried.Get("maand"),
		GeboorteDag: carried.Get("dag"), Verblijfsdoel: carried.Get("verblijfsdoel"), Partnerstatus: carried.Get("partnerstatus"),
		Opleiding: carried.Get("opleiding"),
	}
	res, err := n.p.Service.VoorlichtingCheck(in)
	if err != nil {
		var de *domain.Error
		if !errors.As(err, &de) || de.Kind != domain.KindInvalid || len(de.Violations) == 0 {
			return err
		}
		// Ask again the first question with a wrong answer, showing what was entered.
		first := de.Violations[0]
		for _, v := range de.Violations {
			if slices.Index(domain.Vragen, domain.Vraag(v.Field)) < slices.Index(domain.Vragen, domain.Vraag(first.Field)) {
				first = v
			}
		}
		vraag := domain.Vraag(first.Field)
		earlier := n.answersBefore(carried, vraag)
		cv := n.question(l, vraag, carried, earlier)
		return n.checkPage(c, http.StatusBadRequest, cv, []FieldError{{Field: string(vraag), Message: l.T(first.MessageID, first.Params)}})
	}
	if step != "" {
		// Change an answer: ask that question (or, when it does not apply, the next one), with the
		// earlier answers carried and the current one filled in.
		pre := url.Values{}
		for _, name := range checkParams[step] {
			pre.Set(name, q.Get(name))
		}
		next := res.Uitkomst.Volgende
		if next == "" {
			next = step
		}
		cv := n.question(l, next, mergeValues(carried, pre), res.Antwoorden)
		return n.checkPage(c, http.StatusOK, cv, nil)
	}
	next := res.Uitkomst.Volgende
	if submitted != "" && !res.Antwoorden.Answered(submitted) && applies(submitted, res.Antwoorden) && (next == "" || next == submitted) {
		// The question was submitted without an answer.
		return n.checkPage(c, http.StatusBadRequest, n.question(l, submitted, carried, res.Antwoorden.Before(submitted)),
			[]FieldError{{Field: string(submitted), Message: l.T(requiredMessage(submitted))}})
	}
	if next != "" && submitted != "" && slices.Index(domain.Vragen, next) < slices.Index(domain.Vragen, submitted) {
		// An earlier question was skipped (the form was changed): ask it, saying so.
		return n.checkPage(c, http.StatusBadRequest, n.question(l, next, carried, res.Antwoorden.Before(next)),
			[]FieldError{{Field: string(next), Message: l.T("nn.error.answer_required")}})
	}
	if next != "" {
		return n.checkPage(c, http.StatusOK, n.question(l, next, carried, res.Antwoorden.Before(next)), nil)
	}
	return n.checkPage(c, http.StatusOK, n.result(l, res, carried), nil)
}

// requiredMessage is the message for a question submitted without an answer.
func requiredMessage(v domain.Vraag) string {
	switch v {
	case domain.VraagGeboortedatum:
		return "nn.error.date_required"
	case domain.VraagNationaliteit:
		return "nn.error.nationality_unknown"
	}
	return "nn.error.choose"
}

// applies reports whether question v is asked at all with these answers.
func applies(v domain.Vraag, a domain.CheckAntwoorden) bool {
	return v != domain.VraagPartnerstatus || a.Verblijfsdoel == domain.DoelGezin
}

func mergeValues(a, b url.Values) url.Values {
	out := url.Values{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if len(v) > 0 && v[0] != "" {
			out[k] = v
		}
	}
	return out
}

// answersBefore parses the carried answers before v (they were valid, or v would be earlier).
func (n *naarNederland) answersBefore(carried url.Values, v domain.Vraag) domain.CheckAntwoorden {
	in := app.CheckInvoer{}
	for _, x := range domain.Vragen {
		if x == v {
			break
		}
		switch x {
		case domain.VraagNationaliteit:
			in.Nationaliteit = carried.Get("nationaliteit")
		case domain.VraagGeboortedatum:
			in.GeboorteJaar, in.GeboorteMaand, in.GeboorteDag = carried.Get("jaar"), carried.Get("maand"), carried.Get("dag")
		case domain.VraagVerblijfsdoel:
			in.Verblijfsdoel = carried.Get("verblijfsdoel")
		case domain.VraagPartnerstatus:
			in.Partnerstatus = carried.Get("partnerstatus")
		}
	}
	res, err := n.p.Service.VoorlichtingCheck(in)
	if err != nil {
		return domain.CheckAntwoorden{}
	}
	return res.Antwoorden
}

// hiddenFor lists the answers before v as hidden fields, in question order.
func hiddenFor(a domain.CheckAntwoorden, carried url.Values, v domain.Vraag) []hiddenField {
	var out []hiddenField
	for _, x := range domain.Vragen {
		if x == v {
			break
		}
		if !a.Answered(x) {
			continue
		}
		for _, name := range checkParams[x] {
			out = append(out, hiddenField{name, carried.Get(name)})
		}
	}
	return out
}

// question builds the page of question v; earlier are the valid answers before it.
func (n *naarNederland) question(l *i18n.Localizer, v domain.Vraag, carried url.Values, earlier domain.CheckAntwoorden) *checkView {
	cv := &checkView{Question: v, Hidden: hiddenFor(earlier, carried, v), Values: map[string]string{}, Figures: n.figures(l)}
	for _, name := range checkParams[v] {
		cv.Values[name] = carried.Get(name)
	}
	switch v {
	case domain.VraagNationaliteit:
		cv.Countries = countries(l)
	case domain.VraagVerblijfsdoel:
		for _, d := range domain.Verblijfsdoelen {
			cv.Options = append(cv.Options, checkOption{string(d), "nn.check.doel." + string(d)})
		}
	case domain.VraagPartnerstatus:
		for _, p := range domain.Partnerstatussen {
			cv.Options = append(cv.Options, checkOption{string(p), "nn.check.partner." + string(p)})
		}
	case domain.VraagOpleiding:
		for _, o := range domain.Opleidingen(earlier.Nationaliteit) {
			cv.Options = append(cv.Options, checkOption{string(o), "nn.check.opleiding." + string(o)})
		}
	}
	return cv
}

// result builds the result page with a summary of the answers, each with a link to change it.
func (n *naarNederland) result(l *i18n.Localizer, res app.Check, carried url.Values) *checkView {
	cv := &checkView{Result: &res, Restart: "/" + l.Code() + "/naar-nederland/check", Figures: n.figures(l)}
	all := url.Values{}
	for _, x := range domain.Vragen {
		if !res.Antwoorden.Answered(x) || !applies(x, res.Antwoorden) {
			continue
		}
		for _, name := range checkParams[x] {
			all.Set(name, carried.Get(name))
		}
	}
	for _, x := range domain.Vragen {
		if !res.Antwoorden.Answered(x) || !applies(x, res.Antwoorden) {
			continue
		}
		link := url.Values{}
		for k, v := range all {
			link[k] = v
		}
		link.Set("stap", string(x))
		row := answerRow{Question: x, Change: "/" + l.Code() + "/naar-nederland/check?" + link.Encode()}
		a := res.Antwoorden
		switch x {
		case domain.VraagNationaliteit:
			row.Answer = countryName(l, string(a.Nationaliteit))
		case domain.VraagGeboortedatum:
			row.Answer = l.Date(a.Geboortedatum.Year, a.Geboortedatum.Month, a.Geboortedatum.Day)
		case domain.VraagVerblijfsdoel:
			row.Answer = l.T("nn.check.doel." + string(a.Verblijfsdoel))
		case domain.VraagPartnerstatus:
			row.Answer = l.T("nn.check.partner." + string(a.Partnerstatus))
		case domain.VraagOpleiding:
			row.Answer = l.T("nn.check.opleiding."+string(a.Opleiding), cv.Figures)
		}
		cv.Answers = append(cv.Answers, row)
	}
	return cv
}

// checkPage renders a step of the check with its answers: never cached.
func (n *naarNederland) checkPage(c echo.Context, status int, cv *checkView, errs []FieldError) error {
	l := server.Localizer(c)
	pg := nnPageByKey("check")
	data, err := n.pageData(l, pg)
	if err != nil {
		return err
	}
	data.Check = cv
	data.NoIndex = true
	v := n.view(l, pg.Path(), pg, data)
	v.Errors = errs
	if cv.Question != "" {
		v.Back = n.backLink(l, cv)
	} else if len(cv.Answers) > 0 {
		v.Back = cv.Answers[len(cv.Answers)-1].Change
	}
	return n.renderDynamic(c, status, "nn_check", v)
}

// backLink leads to the question before cv's, with the answers before that one.
func (n *naarNederland) backLink(l *i18n.Localizer, cv *checkView) string {
	base := "/" + l.Code() + "/naar-nederland"
	carried := url.Values{}
	for _, h := range cv.Hidden {
		carried.Set(h.Name, h.Value)
	}
	prev := domain.Vraag("")
	for _, x := range domain.Vragen {
		if x == cv.Question {
			break
		}
		if len(checkParams[x]) > 0 && carried.Get(checkParams[x][0]) != "" {
			prev = x
		}
	}
	if prev == "" {
		return base
	}
	carried.Set("stap", string(prev))
	return base + "/check?" + carried.Encode()
}

// countries lists every nationality with its name in l's language (CLDR, golang.org/x/text),
// sorted as that language sorts. Built once per language.
func countries(l *i18n.Localizer) []country {
	v, _ := countryCache.LoadOrStore(l.Code(), &countryList{})
	cl := v.(*countryList)
	cl.once.Do(func() {
		tag := l.Language().Tag
		names := display.Regions(tag)
		for _, code := range domain.Nationaliteiten() {
			name := string(code)
			if names != nil {
				if r, err := language.ParseRegion(string(code)); err == nil {
					if s := names.Name(r); s != "" {
						name = s
					}
				}
			}
			cl.list = append(cl.list, country{string(code), name})
		}
		col := collate.New(tag)
		slices.SortFunc(cl.list, func(a, b country) int { return col.CompareString(a.Name, b.Name) })
	})
	return cl.list
}

type countryList struct {
	once sync.Once
	list []country
}

var countryCache sync.Map

func countryName(l *i18n.Localizer, code string) string {
	for _, c := range countries(l) {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}
