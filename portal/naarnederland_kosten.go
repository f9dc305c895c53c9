package portal

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/internal/server"
)

// The cost estimator: what integration will cost (the exam abroad, a course, the exams in the
// Netherlands) and how much of it can be borrowed. A GET form; the inputs and the figures it used,
// each with its valid-from date and source, are shown beside the result.

var kostenFields = []string{"inkomen", "cursusprijs", "pogingen", "herexamens"}

// figureRow is one figure as the costs page lists it.
type figureRow struct {
	Name, Value, ValidFrom, Source string
	Zekerheid                      domain.Zekerheid
}

type kostenView struct {
	Values  map[string]string
	Raming  *domain.Kostenraming
	Figures []figureRow
	Aanname domain.Cents // the course price used when the reader gives none
	Fields  []string
}

func (n *naarNederland) kostenForm(l *i18n.Localizer, values map[string]string) *kostenView {
	if values == nil {
		values = map[string]string{"pogingen": "1", "herexamens": "0"}
	}
	_, vp := n.p.Service.Voorlichtingsbeleid()
	kv := &kostenView{Values: values, Aanname: vp.CourseCostAssumption, Fields: kostenFields}
	for _, f := range n.p.Service.Cijfers() {
		kv.Figures = append(kv.Figures, figureRow{Name: f.Naam, Value: app.FormatFigure(l, f),
			ValidFrom: l.Date(f.GeldigVanaf.Year, f.GeldigVanaf.Month, f.GeldigVanaf.Day), Source: f.Bron, Zekerheid: f.Zekerheid})
	}
	return kv
}

// kosten serves the cached page without inputs, and the estimate with them.
func (n *naarNederland) kosten(c echo.Context) error {
	q := c.QueryParams()
	if len(q) == 0 {
		return n.serveCached(c, nnPageByKey("kosten"))
	}
	l := server.Localizer(c)
	values := map[string]string{}
	var errs []FieldError
	for _, f := range kostenFields {
		if len(q[f]) > 1 {
			errs = append(errs, FieldError{Field: f, Message: l.T("nn.error.manipulated")})
		}
		values[f] = strings.TrimSpace(q.Get(f))
	}
	for f, def := range map[string]string{"pogingen": "1", "herexamens": "0"} {
		if values[f] == "" {
			values[f] = def
		}
	}
	num := func(field string, required bool, def int64) *int64 {
		s := strings.ReplaceAll(strings.TrimPrefix(values[field], "€"), " ", "")
		if s == "" {
			if required {
				errs = append(errs, FieldError{Field: field, Message: l.T("nn.error.income_required")})
			}
			if def < 0 {
				return nil
			}
			return &def
		}
		x, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			id := "nn.error.amount_format"
			if errors.Is(err, strconv.ErrRange) {
				id = "nn.error.number_too_large"
			}
			errs = append(errs, FieldError{Field: field, Message: l.T(id)})
			return nil
		}
		return &x
	}
	inkomen := num("inkomen", true, 0)
	cursus := num("cursusprijs", false, -1)
	pogingen := num("pogingen", false, 1)
	herexamens := num("herexamens", false, 0)
	kv := n.kostenForm(l, values)
	if len(errs) == 0 {
		r, err := n.p.Service.Kostenraming(*inkomen, cursus, int(clamp(*pogingen)), int(clamp(*herexamens)))
		var de *domain.Error
		switch {
		case errors.As(err, &de) && de.Kind == domain.KindInvalid:
			for _, v := range de.Violations {
				errs = append(errs, FieldError{Field: v.Field, Message: l.T(v.MessageID, v.Params)})
			}
		case err != nil:
			return err
		default:
			kv.Raming = &r
		}
	}
	pg := nnPageByKey("kosten")
	data, err := n.pageData(l, pg)
	if err != nil {
		return err
	}
	data.Kosten = kv
	data.NoIndex = true
	v := n.view(l, pg.Path(), pg, data)
	v.Errors = errs
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusBadRequest
	}
	return n.renderDynamic(c, status, "nn_kosten", v)
}

// clamp keeps a count inside int32 so that converting it cannot wrap; the domain refuses it then.
func clamp(x int64) int64 { return max(min(x, 1<<31-1), -1<<31) }
